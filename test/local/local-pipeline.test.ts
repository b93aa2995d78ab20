import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { LocalPipeline } from '../../local/local-pipeline';
import { readFlag } from '../../lambdas/flag-status/flag-status-reader';
import { Dev } from '../../lib/config/environments';
import { EventSourceRunner } from '../../local/event-source-runner';
import { postEvents, writeTenantFile, TEST_TENANTS } from '../support/producer-harness';
import { featureEvent, identifyEvent, summaryEvent } from '../support/sdk-payloads';
import { startTcpSwitch } from '../support/tcp-switch';

async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function filesUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

describe('the whole pipeline on one machine', () => {
  let pipeline: LocalPipeline;
  let openSearch: Awaited<ReturnType<typeof startTcpSwitch>>;
  let dataDirectory: string;

  beforeAll(async () => {
    openSearch = await startTcpSwitch(Number(new URL(process.env.OPENSEARCH_URL!).port));
    dataDirectory = await mkdtemp(join(tmpdir(), 'local-pipeline-'));
    pipeline = await LocalPipeline.start({
      port: 0,
      dataDirectory,
      persistStream: false,
      redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      openSearchUrl: openSearch.url,
      tenantFile: await writeTenantFile(),
      // Keys of their own, so nothing this test writes reaches a later `npm start` or another test.
      keyPrefix: `test-local-${process.pid}-${Date.now()}`,
    });
  });

  afterAll(async () => {
    await pipeline?.stop();
    await openSearch?.close();
  });

  const status = async () =>
    (await (await fetch(`${pipeline.url}/status.json`)).json()) as {
      api: { eventsAccepted: number };
      stream: { records: number };
      consumers: Record<string, { processed: number; failed: number; lagRecords: number }>;
      archive: { lines: number; files: number };
    };

  it('keeps flag-status, the archive and the API going while OpenSearch is away, and catches contexts up after', async () => {
    // given: OpenSearch unreachable
    await openSearch.cut();
    const environment = TEST_TENANTS.healthy.environmentId;
    const flagKey = `isolation-${Date.now()}`;

    // when
    const answer = await postEvents(pipeline.url, [
      { ...featureEvent(1), key: flagKey, context: { kind: 'user', key: 'isolated-user', name: 'Iso' } },
      {
        ...summaryEvent(2),
        features: { [flagKey]: { default: false, counters: [{ value: true, variation: 1, version: 1, count: 5 }] } },
      },
      identifyEvent(3),
    ]);

    // then: the API answers, flag-status and the archive keep going, contexts-indexer holds its position
    expect(answer.status).toBe(202);
    const now = Date.now();
    const lastEvaluated = await eventually(
      async () =>
        (
          await readFlag(pipeline.redis, pipeline.keyPrefix, {
            environmentId: environment,
            flag: flagKey,
            fromMs: now,
            toMs: now,
          })
        ).last,
      (value) => value !== undefined,
    );
    expect(lastEvaluated?.version).toBe(1);
    await eventually(status, (s) => s.consumers.archive!.processed >= 1);
    const during = await eventually(status, (s) => s.consumers['contexts-indexer']!.failed > 0);
    expect(during.consumers['contexts-indexer']).toMatchObject({ processed: 0, lagRecords: 1 });
    expect(during.consumers['flag-status']!.processed).toBe(1);

    // when: OpenSearch returns
    await openSearch.restore();

    // then: the indexer catches up from where it held
    const after = await eventually(status, (s) => s.consumers['contexts-indexer']!.processed >= 1);
    expect(after.consumers['contexts-indexer']).toMatchObject({ processed: 1, lagRecords: 0 });
    await pipeline.openSearch.indices.refresh({ index: 'contexts' });
    const document = await pipeline.openSearch.get({ index: 'contexts', id: `${environment}/user/isolated-user` });
    expect(document.body._source).toMatchObject({ name: 'Iso' });
  });

  it('writes the archive as GZIP newline-delimited JSON under the deployed prefix scheme', async () => {
    await pipeline.archive.flush();
    const files = await filesUnder(join(dataDirectory, 'archive', 'events', 'environment=local'));
    expect(files.length).toBeGreaterThan(0);
    expect(files[0]).toMatch(/dt=\d{4}-\d{2}-\d{2}\/hour=\d{2}\/archive-\d+-\d+\.ndjson\.gz$/);
    const lines = (await Promise.all(files.map((file) => readFile(file))))
      .flatMap((content) => gunzipSync(content).toString('utf8').trim().split('\n'))
      .map((line) => JSON.parse(line) as { kind: string; environmentId: string });
    expect(lines.map((line) => line.kind).sort()).toEqual(['feature', 'identify', 'summary']);
  });

  it('serves counters that move on /status.json', async () => {
    const before = await status();
    await postEvents(pipeline.url, [featureEvent(10), featureEvent(11)]);
    const after = await eventually(
      status,
      (s) =>
        s.api.eventsAccepted === before.api.eventsAccepted + 2 &&
        s.consumers['flag-status']!.processed > before.consumers['flag-status']!.processed,
    );
    expect(after.stream.records).toBeGreaterThan(before.stream.records);
    expect(after.consumers['flag-status']!.processed).toBeGreaterThan(before.consumers['flag-status']!.processed);
  });

  it('shows the counters moving on the status page in a real browser', async () => {
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`${pipeline.url}/status`);
      const processed = () => page.locator('tr[data-consumer="flag-status"] td.processed').textContent();
      await page.waitForSelector('tr[data-consumer="flag-status"]');
      const before = Number(await processed());

      await postEvents(pipeline.url, [featureEvent(20)]);

      await eventually(
        async () => Number(await processed()),
        (now) => now > before,
        20_000,
      );
      expect(Number(await processed())).toBeGreaterThan(before);
      expect(await page.locator('#spark polyline').getAttribute('points')).toMatch(/\d/);
    } finally {
      await browser.close();
    }
  });

  it('leaves Redis and OpenSearch as they were after replaying the same window twice', async () => {
    // given: events written and consumed
    const environment = TEST_TENANTS.healthy.environmentId;
    const flagKey = `replay-${Date.now()}`;
    const from = new Date(Date.now() - 1_000);
    await postEvents(pipeline.url, [
      { ...featureEvent(30), key: flagKey, context: { kind: 'user', key: 'replayed-user', name: 'Rey' } },
      {
        ...summaryEvent(31),
        features: { [flagKey]: { default: false, counters: [{ value: true, variation: 1, version: 4, count: 7 }] } },
      },
    ]);
    const report = async () => {
      const now = Date.now();
      const held = await readFlag(pipeline.redis, pipeline.keyPrefix, {
        environmentId: environment,
        flag: flagKey,
        fromMs: now - 2 * 86_400_000,
        toMs: now + 3_600_000,
      });
      // the generation number changes with each replay; what it answers must not
      return { ...held, liveGeneration: undefined };
    };
    await eventually(report, (held) => Object.values(held.perHour).some((counts) => counts['1'] === 7));
    const documentId = `${environment}/user/replayed-user`;
    const snapshot = async () => {
      await pipeline.openSearch.indices.refresh({ index: 'contexts' });
      const redis = await report();
      const document = await pipeline.openSearch.get({ index: 'contexts', id: documentId }).catch(() => undefined);
      return { redis, document: document?.body._source as Record<string, unknown> | undefined };
    };
    const before = await eventually(
      snapshot,
      (state) => state.redis.last !== undefined && state.document !== undefined,
    );
    expect(before.document).toMatchObject({ name: 'Rey' });

    for (const generation of [1, 2]) {
      // when: both consumers replayed from before the events, as a deploy of a new generation would
      const replay = { from: from.toISOString(), requestedAt: new Date().toISOString(), generation };
      const runners: EventSourceRunner[] = [
        await pipeline.replay('flag-status', { ...Dev.consumers.flagStatus, replay }),
        await pipeline.replay('contexts-indexer', { ...Dev.consumers.contextsIndexer, replay }),
      ];
      for (const runner of runners) {
        await eventually(
          () => Promise.resolve(runner.stats),
          (stats) =>
            stats.recordsProcessed > 0 &&
            Object.keys(stats.iteratorAgeMs).length === 2 &&
            Object.values(stats.iteratorAgeMs).every((ms) => ms === 0),
        );
      }

      // then: the window was read again, flag-status's new generation took over reads, and they answer as before
      expect(runners.every((runner) => runner.stats.recordsProcessed > 0)).toBe(true);
      await eventually(
        () => pipeline.flagStatusGenerations(),
        (generations) => generations.some((each) => each.generation === generation && each.state === 'live'),
      );
      expect(await snapshot()).toEqual(before);
    }
  });
});
