import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { LocalPipeline } from '../../local/local-pipeline';
import { readFlag } from '../../lambdas/flag-status/flag-status-reader';
import { readContexts } from '../../lambdas/contexts-indexer/context-reader';
import { expectedFlags } from '../support/flag-status-oracle';
import { eventually } from '../support/eventually';
import { deleteRedisKeys, removeStoredState } from '../support/stored-state';
import { postEvents, writeTenantFile, TEST_TENANTS } from '../support/producer-harness';
import { testRedisUrl } from '../support/test-servers';

const redisUrl = testRedisUrl();
const environmentId = TEST_TENANTS.healthy.environmentId;

/** One run's events: a summary of `count` evaluations of the flag, and an identify event for each user. */
function runEvents(flag: string, count: number, users: readonly string[], endDate: number) {
  return [
    {
      kind: 'summary',
      startDate: endDate - 1_000,
      endDate,
      features: { [flag]: { default: false, counters: [{ value: true, variation: 1, version: 2, count }] } },
    },
    ...users.map((key, i) => ({ kind: 'identify', creationDate: endDate + i, context: { kind: 'user', key } })),
  ];
}

async function archivedLines(dataDirectory: string): Promise<{ kind: string; payloadId: string }[]> {
  const root = join(dataDirectory, 'archive', 'events');
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  const lines: { kind: string; payloadId: string }[] = [];
  for (const entry of entries.filter((each) => each.isFile())) {
    const text = gunzipSync(await readFile(join(entry.parentPath, entry.name))).toString('utf8');
    for (const line of text.split('\n').filter(Boolean))
      lines.push(JSON.parse(line) as { kind: string; payloadId: string });
  }
  return lines;
}

describe('the local pipeline across restarts', () => {
  const keyPrefix = `test-restart-${process.pid}-${Date.now()}`;
  const contextsAlias = `test-restart-contexts-${process.pid}-${Date.now()}`;
  const flag = `restart-${Date.now()}`;
  let dataDirectory: string;
  let tenantFile: string;
  let pipeline: LocalPipeline | undefined;

  const start = async (logged: string[] = []) => {
    pipeline = await LocalPipeline.start({
      // The experiment job has tests of its own (npm start's, and the job's); these are about the consumers.
      analytics: false,
      port: 0,
      // Relative, as npm start's default .local is.
      dataDirectory: relative(process.cwd(), dataDirectory),
      persistStream: true,
      redisUrl,
      openSearchUrl: process.env.OPENSEARCH_URL!,
      tenantFile,
      keyPrefix,
      contextsAlias,
      log: (line) => logged.push(line),
    });
    return pipeline;
  };
  const stop = async () => {
    await pipeline?.stop();
    pipeline = undefined;
  };

  beforeAll(async () => {
    dataDirectory = await mkdtemp(join(tmpdir(), 'local-restart-'));
    tenantFile = await writeTenantFile();
  });

  afterAll(async () => {
    await stop();
    try {
      await removeStoredState(keyPrefix, contextsAlias);
    } finally {
      await rm(dataDirectory, { recursive: true, force: true });
    }
  });

  it('carries on after a restart, and rebuilds a store that lost its data, without loss or double counting', async () => {
    // given: two runs' events, and what the stores must hold after both, computed apart from the pipeline
    const now = Date.now();
    const first = runEvents(flag, 3, ['ada', 'grace'], now - 5_000);
    const second = runEvents(flag, 4, ['grace', 'linus'], now - 4_000);
    const expected = expectedFlags([
      { environmentId, events: first, payloadId: 'first', receivedAtMs: now },
      { environmentId, events: second, payloadId: 'second', receivedAtMs: now },
    ]).get(`${environmentId}/${flag}`)!;
    const settled = async (running: LocalPipeline, events: number) => {
      for (const consumer of ['flag-status', 'contexts-indexer', 'archive']) {
        await eventually(
          () => running.consumers[consumer]!.stats.recordsProcessed,
          (processed) => processed >= 1,
          30_000,
        );
      }
      await eventually(
        () => archivedLines(dataDirectory),
        (lines) => lines.length >= events,
        30_000,
      );
    };
    const flagNow = (running: LocalPipeline) =>
      readFlag(running.redis, keyPrefix, { environmentId, flag, fromMs: now - 86_400_000, toMs: now + 3_600_000 });
    const contextKeys = async (running: LocalPipeline) =>
      (await readContexts(running.openSearch, contextsAlias, { environmentId, limit: 100 })).contexts
        .map((context) => context.key)
        .sort();

    // when: the first run takes its events and stops; the second starts on the same data folder and takes its own
    const firstRun = await start();
    expect((await postEvents(firstRun.url, first)).status).toBe(202);
    await settled(firstRun, first.length);
    await stop();
    const secondRun = await start();
    expect((await postEvents(secondRun.url, second)).status).toBe(202);
    await settled(secondRun, first.length + second.length);

    // then: each store holds both runs, each event once
    await eventually(
      async () => (await flagNow(secondRun)).perHour,
      (perHour) => JSON.stringify(perHour) === JSON.stringify(expected.perHour),
      30_000,
    );
    await eventually(
      () => contextKeys(secondRun),
      (keys) => keys.length === 3,
      30_000,
    );
    expect(await contextKeys(secondRun)).toEqual(['ada', 'grace', 'linus']);
    const lines = await archivedLines(dataDirectory);
    expect(lines.filter((line) => line.kind === 'summary')).toHaveLength(2);
    expect(lines.filter((line) => line.kind === 'identify')).toHaveLength(4);
    await stop();

    // when: Redis loses everything under the prefix while the pipeline is down (a restart without persistence)
    await deleteRedisKeys(keyPrefix);
    const logged: string[] = [];
    const thirdRun = await start(logged);

    // then: it says so, and flag-status re-reads the stream into the empty store: the same counts, not none, not twice
    expect(logged.join('\n')).toMatch(/Redis .* has lost what flag-status wrote .* re-reads the stream/);
    const rebuilt = await eventually(
      async () => (await flagNow(thirdRun)).perHour,
      (perHour) => JSON.stringify(perHour) === JSON.stringify(expected.perHour),
      30_000,
    );
    expect(rebuilt).toEqual(expected.perHour);
    expect(await contextKeys(thirdRun)).toEqual(['ada', 'grace', 'linus']);
  });
});
