import { appendFile, mkdir, mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { LOCAL_STREAM, LocalPipeline } from '../../local/local-pipeline';
import { kinesisClient } from '../../producer/producer';
import { startFaultyKinesisProxy } from '../support/faulty-kinesis-proxy';
import { readStreamRecords } from '../support/local-kinesis';
import { readFlag } from '../../lambdas/flag-status/flag-status-reader';
import {
  postEvents,
  startTestProducer,
  writeTenantFile,
  TEST_TENANTS,
  testTenantFile,
} from '../support/producer-harness';
import Ajv from 'ajv';
import destinationsFile from '../../config/export-destinations.json';
import { destinationsOf, DestinationsFile, streamNameOf } from '../../lambdas/exporter/destinations';
import { sha256Hex } from '../../producer/tenant-directory';
import exportedEventSchema from '../../schemas/exported-event.schema.json';
import type { DestinationStatus } from '../../local/local-export';
import { featureEvent, identifyEvent, summaryEvent } from '../support/sdk-payloads';
import { expectedFlags } from '../support/flag-status-oracle';
import { startHttpSwitch } from '../support/http-switch';
import { packPayloads } from '../support/stream-events';
import { startTcpSwitch } from '../support/tcp-switch';
import { eventually } from '../support/eventually';
import { removeStoredState } from '../support/stored-state';
import { Dev } from '../../lib/config/environments';
import type { ReplayStatus } from '../../local/pipeline-controls';
import type { RedriveReport } from '../../lib/redrive/redrive';
import type { DoctorRow } from '../../lib/doctor/doctor';
import { localChecks } from '../../local/doctor-checks';
import { testRedisUrl } from '../support/test-servers';

/** A summary of one flag's counters, over the second before `endDate`. */
const summaryEndingAt = (endDate: number, flag: string, counters: object[]) => ({
  kind: 'summary',
  startDate: endDate - 1_000,
  endDate,
  features: { [flag]: { default: false, counters } },
});

async function filesUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/** The destination `npm start` runs, as the exporter's bundle carries it. */
const EXPORTED = destinationsOf(destinationsFile as DestinationsFile, 'local')[0]!;
const EXPORTED_SDK_KEY = 'sdk-exported-environment';

describe('the whole pipeline on one machine', () => {
  let pipeline: LocalPipeline;
  let openSearch: Awaited<ReturnType<typeof startHttpSwitch>>;
  let redis: Awaited<ReturnType<typeof startTcpSwitch>>;
  let dataDirectory: string;
  let tenantFile: string;

  beforeAll(async () => {
    openSearch = await startHttpSwitch(Number(new URL(process.env.OPENSEARCH_URL!).port));
    redis = await startTcpSwitch(Number(new URL(testRedisUrl()).port));
    dataDirectory = await mkdtemp(join(tmpdir(), 'local-pipeline-'));
    // With the environment the bundled local export destination names, so its events are exported.
    tenantFile = await writeTenantFile({
      ...testTenantFile,
      environments: [
        ...testTenantFile.environments,
        { id: EXPORTED.environment, sdkKeySha256: [sha256Hex(EXPORTED_SDK_KEY)] },
      ],
    });
    pipeline = await LocalPipeline.start({
      // The experiment job has tests of its own (npm start's, and the job's); these are about the consumers.
      analytics: false,
      port: 0,
      dataDirectory,
      persistStream: false,
      redisUrl: redis.url.replace('http://', 'redis://'),
      openSearchUrl: openSearch.url,
      tenantFile,
      // Keys and indices of their own, so nothing this test writes reaches a later `npm start` or another test.
      keyPrefix: `test-local-${process.pid}-${Date.now()}`,
      contextsAlias: `test-contexts-${process.pid}-${Date.now()}`,
      exportDrainSeconds: 1,
    });
  });

  afterAll(async () => {
    await pipeline?.stop();
    await openSearch?.close();
    await redis?.close();
    if (pipeline) await removeStoredState(pipeline.keyPrefix, pipeline.contextsAlias);
  });

  const control = async <T>(path: string, body: object) => {
    const response = await fetch(`${pipeline.url}${path}`, { method: 'POST', body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as T & { error?: string } };
  };
  const flagReport = (environmentId: string, flag: string) => {
    const now = Date.now();
    return readFlag(pipeline.redis, pipeline.keyPrefix, {
      environmentId,
      flag,
      fromMs: now - 2 * 86_400_000,
      toMs: now + 3_600_000,
    });
  };

  const status = async () =>
    (await (await fetch(`${pipeline.url}/status.json`)).json()) as {
      api: { eventsAccepted: number };
      stream: { records: number };
      consumers: Record<string, { processed: number; failed: number; lagRecords: number }>;
      archive: { lines: number; files: number };
      replays: ReplayStatus[];
      exportDestinations: DestinationStatus[];
    };

  it('keeps flag-status, the archive and the API going while OpenSearch is away, and catches contexts up after', async () => {
    // given: OpenSearch unreachable
    openSearch.set('refuse');
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
    openSearch.set('forward');

    // then: the indexer catches up from where it held
    const after = await eventually(status, (s) => s.consumers['contexts-indexer']!.processed >= 1);
    expect(after.consumers['contexts-indexer']).toMatchObject({ processed: 1, lagRecords: 0 });
    await pipeline.openSearch.indices.refresh({ index: pipeline.contextsAlias });
    const document = await pipeline.openSearch.get({
      index: pipeline.contextsAlias,
      id: `${environment}/user/isolated-user`,
    });
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

  // The mappings used to give up after 10 retries: about 8.4 s of the runner's backoff (0.2 + 0.4 + 0.8 + 7 × 1 s).
  const OLD_RETRY_BUDGET_MS = 8_400;

  it('sends nothing to a failure destination while Redis is down and OpenSearch throttles past the old retry budget, and ends exact', async () => {
    // given: Redis unreachable and OpenSearch answering 429 to everything
    const environmentId = TEST_TENANTS.healthy.environmentId;
    const flag = `outage-${Date.now()}`;
    const now = Date.now();
    const events = [
      {
        ...featureEvent(40),
        creationDate: now,
        key: flag,
        context: { kind: 'user', key: 'outage-user', name: 'Otto' },
      },
      summaryEndingAt(now, flag, [{ value: true, variation: 1, version: 2, count: 4 }]),
    ];
    const before = await status();
    const functionErrorsBefore = pipeline.functions['flag-status'].stats.errors;
    await redis.cut();
    openSearch.set('throttle');

    // when: events are accepted during an outage longer than the old retry budget
    expect((await postEvents(pipeline.url, events)).status).toBe(202);
    await eventually(status, (s) => s.consumers['flag-status']!.failed > before.consumers['flag-status']!.failed);
    await new Promise((resolve) => setTimeout(resolve, OLD_RETRY_BUDGET_MS));
    const during = await status();
    await redis.restore();
    openSearch.set('forward');

    // then: the deployed handler answered with batch item failures (no invocation error), both consumers held their
    // shard instead of giving records up, and applied every event once after
    expect(pipeline.functions['flag-status'].stats.errors).toBe(functionErrorsBefore);
    expect(during.consumers['flag-status']).toMatchObject({ sentToFailureDestination: 0 });
    expect(during.consumers['contexts-indexer']).toMatchObject({ sentToFailureDestination: 0 });
    expect(during.consumers['contexts-indexer']!.processed).toBe(before.consumers['contexts-indexer']!.processed);
    expect(await filesUnder(join(dataDirectory, 'failures'))).toEqual([]);
    const expected = expectedFlags([{ environmentId, events, payloadId: 'outage', receivedAtMs: now }]).get(
      `${environmentId}/${flag}`,
    )!;
    const report = await eventually(
      () => flagReport(environmentId, flag),
      (held) => Object.keys(held.perMinute).length > 0 && held.last !== undefined,
    );
    expect(report.perMinute).toEqual(expected.perMinute);
    expect(report.perHour).toEqual(expected.perHour);
    expect(report.last).toEqual({
      evaluatedAtMs: expected.last!.evaluatedAtMs,
      version: expected.last!.version,
      variation: expected.last!.variation,
      value: expected.last!.value,
    });
    const document = await eventually(
      async () => {
        await pipeline.openSearch.indices.refresh({ index: pipeline.contextsAlias });
        return pipeline.openSearch
          .get({ index: pipeline.contextsAlias, id: `${environmentId}/user/outage-user` })
          .then((found) => found.body._source as Record<string, unknown>)
          .catch(() => undefined);
      },
      (found) => found !== undefined,
    );
    // Last seen is kept to the start of its window (the config's resolution).
    const window = Dev.openSearch.lastSeenResolutionMinutes * 60_000;
    expect(document).toMatchObject({ name: 'Otto', firstSeen: now, lastSeen: now - (now % window) });
  });

  it('applies each event once however the producers duplicate it: a PutRecords answer lost, one payload posted to two API processes', async () => {
    // given: a second events API process on the same stream, whose first PutRecords is written but its answer lost
    const proxy = await startFaultyKinesisProxy(pipeline.stores.kinesisEndpoint, 2);
    proxy.faults.loseAnswers = 1;
    const kinesis = kinesisClient({ maxSockets: 4, endpoint: proxy.endpoint, local: true });
    const second = await startTestProducer(kinesis, LOCAL_STREAM, { tenantConfig: { file: tenantFile } });
    const environmentId = TEST_TENANTS.healthy.environmentId;
    const flag = `duplicated-${Date.now()}`;
    const now = Date.now();
    const events = [
      { ...featureEvent(60), creationDate: now, key: flag, context: { kind: 'user', key: 'twice-user', name: 'Twi' } },
      summaryEndingAt(now, flag, [{ value: true, variation: 1, version: 5, count: 9 }]),
    ];
    const headers = { authorization: TEST_TENANTS.healthy.sdkKey, 'x-launchdarkly-payload-id': `twice-${now}` };
    const processedBefore = pipeline.consumers['flag-status']!.stats.recordsProcessed;
    try {
      // when: the SDK's payload reaches both processes (a retry the load balancer sent elsewhere)
      expect((await postEvents(pipeline.url, events, headers)).status).toBe(202);
      expect((await postEvents(second.url, events, headers)).status).toBe(202);
      await eventually(
        () => Promise.resolve(proxy.stats),
        (stats) => stats.answersLost === 1 && stats.entriesWritten >= 2,
      );

      // then: three copies in the stream, and the stores hold what the reference says for one
      expect(proxy.stats.answersLost).toBe(1);
      expect(proxy.stats.entriesWritten).toBeGreaterThanOrEqual(2);
      const expected = expectedFlags([{ environmentId, events, payloadId: `twice-${now}`, receivedAtMs: now }]).get(
        `${environmentId}/${flag}`,
      )!;
      // Every copy has reached flag-status before the stores are compared.
      const flagStatus = pipeline.consumers['flag-status']!.stats;
      await eventually(
        () => Promise.resolve(flagStatus.recordsProcessed),
        (processed) => processed >= processedBefore + 3,
      );
      expect(flagStatus.recordsProcessed).toBeGreaterThanOrEqual(processedBefore + 3);
      const report = await eventually(
        () => flagReport(environmentId, flag),
        (held) => Object.keys(held.perMinute).length > 0,
      );
      expect(report.perMinute).toEqual(expected.perMinute);
      expect(report.perHour).toEqual(expected.perHour);
    } finally {
      await second.drainAndStop();
      kinesis.destroy();
      await proxy.close();
    }
  });

  it('redrives what a consumer set aside: applied once however often, and what is still unusable is kept', async () => {
    // given: a record a faulty build set aside (never applied), and a record no build can read
    const environmentId = TEST_TENANTS.healthy.environmentId;
    const flag = `redrive-${Date.now()}`;
    const now = Date.now();
    const events = [summaryEndingAt(now, flag, [{ value: 'b', variation: 2, version: 9, count: 3 }])];
    const [record] = packPayloads([{ environmentId, events, payloadId: `redrive-${now}`, receivedAtMs: now }]);
    const entry = (data: Buffer, sequenceNumber: string) => ({
      consumer: 'flag-status',
      shardId: 'shardId-000000000000',
      sequenceNumber,
      arrivedAt: new Date(now).toISOString(),
      reason: 'set aside by a faulty build',
      data: data.toString('base64'),
      setAsideAt: new Date(now).toISOString(),
    });
    const poisonFile = join(dataDirectory, 'poison', 'flag-status.jsonl');
    const setAside = async () => {
      await mkdir(join(dataDirectory, 'poison'), { recursive: true });
      await appendFile(
        poisonFile,
        [entry(record!, '1'), entry(Buffer.from('not a record'), '2')]
          .map((each) => `${JSON.stringify(each)}\n`)
          .join(''),
      );
    };
    await setAside();

    // when: a dry run, then two redrives of the same entries
    const dryRun = await control<RedriveReport>('/local/redrive', { consumer: 'flag-status', dryRun: true });
    const first = await control<RedriveReport>('/local/redrive', { consumer: 'flag-status' });
    const afterFirst = await flagReport(environmentId, flag);
    await mkdir(join(dataDirectory, 'poison'), { recursive: true });
    await appendFile(poisonFile, `${JSON.stringify(entry(record!, '1'))}\n`);
    const second = await control<RedriveReport>('/local/redrive', { consumer: 'flag-status' });

    // then: the dry run changed nothing, each redrive handed both over, the counts are applied once
    expect(dryRun.body).toMatchObject({ poisonEntries: 2, recordsRedriven: 2, setAsideAgain: 0, dryRun: true });
    expect(first.body).toMatchObject({ poisonEntries: 2, recordsRedriven: 2, setAsideAgain: 1, recordsExpired: 0 });
    expect(second.body).toMatchObject({ poisonEntries: 2, recordsRedriven: 2, setAsideAgain: 1 });
    const expected = expectedFlags([{ environmentId, events, payloadId: `redrive-${now}`, receivedAtMs: now }]).get(
      `${environmentId}/${flag}`,
    )!;
    expect(afterFirst.perMinute).toEqual(expected.perMinute);
    expect((await flagReport(environmentId, flag)).perMinute).toEqual(expected.perMinute);
    const kept = (await readFile(poisonFile, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { data: string });
    expect(kept.map((each) => Buffer.from(each.data, 'base64').toString())).toEqual(['not a record']);
    expect((await control('/local/redrive', { consumer: 'nope' })).status).toBe(400);
  });

  it('exports the destination environment’s events to the stand-in for its owner’s stream, each once, as the schema says', async () => {
    // given: a flag of this test's own, evaluated in the destination's environment and in another one
    const flagKey = `exported-${Date.now()}`;
    const evaluations = [1, 2, 3].map((n) => ({ ...featureEvent(n), key: flagKey }));

    // when
    const answers = [
      await postEvents(pipeline.url, evaluations, { authorization: EXPORTED_SDK_KEY }),
      await postEvents(pipeline.url, [{ ...featureEvent(4), key: flagKey }]),
    ];

    // then: the three of the destination's environment, and nothing of the other, in the customer's stream
    expect(answers.map((answer) => answer.status)).toEqual([202, 202]);
    const customer = kinesisClient({ maxSockets: 2, endpoint: pipeline.stores.customerKinesisEndpoint!, local: true });
    try {
      const exported = await eventually(
        async () =>
          (await readStreamRecords(customer, streamNameOf(EXPORTED)))
            .flatMap((shard) => shard.data)
            .map((data) => JSON.parse(data.toString('utf8')) as Record<string, unknown>)
            .filter((each) => each.key === flagKey),
        (records) => records.length >= 3,
        30_000,
      );
      const validate = new Ajv({ allErrors: true }).compile(exportedEventSchema);
      for (const record of exported) expect([record, validate(record) ? [] : validate.errors]).toEqual([record, []]);
      expect(exported.map((each) => [each.environmentId, each.kind, each.creationDate]).sort()).toEqual(
        evaluations.map((each) => [EXPORTED.environment, 'feature', each.creationDate]).sort(),
      );
      expect(new Set(exported.map((each) => each.exportId)).size).toBe(3);
    } finally {
      customer.destroy();
    }
    const destination = await eventually(
      async () => (await status()).exportDestinations.find((each) => each.id === EXPORTED.id),
      (each) => (each?.delivered ?? 0) >= 3,
    );
    expect(destination).toMatchObject({ state: 'flowing', reason: null, keptInBacklog: 0 });
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

  it('doctor: every row of the running pipeline as it is, and Redis red while it is away', async () => {
    // given
    const running = pipeline.running;
    const setAside = async (consumer: string) => {
      const lines = async (folder: string) =>
        (await readFile(join(dataDirectory, folder, `${consumer}.jsonl`), 'utf8').catch(() => ''))
          .split('\n')
          .filter((line) => line.trim() !== '').length;
      return (await lines('failures')) + (await lines('poison'));
    };

    // when: the consumers have caught up with what the earlier tests wrote (an error they recovered from stays shown)
    const rows = await eventually(
      () => localChecks(running),
      (table) => table.filter((row) => row.check.endsWith(' consumer')).every((row) => row.healthy),
    );
    await redis.cut();
    const withoutRedis = await localChecks(running).finally(() => redis.restore());

    // then
    const health = (table: DoctorRow[]) => Object.fromEntries(table.map((row) => [row.check, row.healthy]));
    expect(health(rows)).toEqual({
      'events API': true,
      stream: true,
      'contexts-indexer consumer': true,
      'flag-status consumer': true,
      'archive consumer': true,
      'exporter consumer': true,
      OpenSearch: true,
      Redis: true,
      'contexts-indexer set aside': (await setAside('contexts-indexer')) === 0,
      'flag-status set aside': (await setAside('flag-status')) === 0,
      'archive set aside': true,
      'exporter set aside': (await setAside('exporter')) === 0,
    });
    expect(health(withoutRedis)).toEqual({ ...health(rows), Redis: false });
    expect(withoutRedis.find((row) => row.check === 'Redis')!.detail).toMatch(/^could not check: /);
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
      await postEvents(pipeline.url, [featureEvent(21)], { authorization: EXPORTED_SDK_KEY });

      await eventually(
        async () => Number(await processed()),
        (now) => now > before,
        20_000,
      );
      expect(Number(await processed())).toBeGreaterThan(before);
      expect(await page.locator('#spark polyline').getAttribute('points')).toMatch(/\d/);

      // the export destination, its state as its functions' metrics say
      const exported = page.locator(`tr[data-destination="${EXPORTED.id}"]`);
      await exported.locator('td.state').filter({ hasText: 'flowing' }).waitFor({ timeout: 20_000 });
      expect(Number((await exported.locator('td.delivered').textContent())!.replace(/,/g, ''))).toBeGreaterThan(0);

      // a flag's last hour, per variation, read through the same module as `npm run query`
      const flag = `charted-${Date.now()}`;
      const now = Date.now();
      await postEvents(pipeline.url, [
        summaryEndingAt(now, flag, [
          { value: true, variation: 1, version: 1, count: 6 },
          { value: false, variation: 0, version: 1, count: 2 },
        ]),
      ]);
      await page.fill('#flag-environment', TEST_TENANTS.healthy.environmentId);
      await page.fill('#flag-key', flag);
      await page.click('#flag-form button');
      await page.waitForSelector('#flag-chart circle[data-variation="1"]', { timeout: 20_000 });
      expect(await page.locator('#flag-summary').textContent()).toContain('variation 1: 6');
      expect(await page.locator('#flag-summary').textContent()).toContain('variation 0: 2');
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
      await pipeline.openSearch.indices.refresh({ index: pipeline.contextsAlias });
      const redis = await report();
      const document = await pipeline.openSearch
        .get({ index: pipeline.contextsAlias, id: documentId })
        .catch(() => undefined);
      return { redis, document: document?.body._source as Record<string, unknown> | undefined };
    };
    const before = await eventually(
      snapshot,
      (state) => state.redis.last !== undefined && state.document !== undefined,
    );
    expect(before.document).toMatchObject({ name: 'Rey' });

    for (const generation of [1, 2]) {
      // when: both consumers replayed from before the events, as `npm run replay -- --env local` asks the pipeline
      const started = await Promise.all(
        (['flag-status', 'contexts-indexer'] as const).map((consumer) =>
          control<ReplayStatus>('/local/replay', { consumer, from: from.toISOString() }),
        ),
      );
      expect(started.map((each) => [each.status, each.body.generation])).toEqual([
        [202, generation],
        [202, generation],
      ]);
      const runners = [pipeline.consumers['flag-status']!, pipeline.consumers['contexts-indexer']!];
      for (const runner of runners) {
        await eventually(
          () => Promise.resolve(runner.stats),
          (stats) =>
            stats.recordsProcessed > 0 &&
            Object.keys(stats.iteratorAgeMs).length === 2 &&
            Object.values(stats.iteratorAgeMs).every((ms) => ms === 0),
        );
      }

      // then: the window was read again, each consumer's new generation took over reads, and they answer as before
      expect(runners.every((runner) => runner.stats.recordsProcessed > 0)).toBe(true);
      const shown = await eventually(
        status,
        (s) => s.replays.filter((each) => each.generation === generation && each.state === 'live').length === 2,
      );
      const shownNow = shown.replays.filter((each) => each.generation === generation);
      expect(shownNow.map((each) => [each.consumer, each.state]).sort()).toEqual([
        ['contexts-indexer', 'live'],
        ['flag-status', 'live'],
      ]);
      expect(await pipeline.liveGeneration('flag-status')).toBe(generation);
      expect(await pipeline.liveGeneration('contexts-indexer')).toBe(generation);
      expect(await snapshot()).toEqual(before);
    }
  });
});
