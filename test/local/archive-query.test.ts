import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalPipeline } from '../../local/local-pipeline';
import { readFlag } from '../../lambdas/flag-status/flag-status-reader';
import { ARCHIVE_EXAMPLES } from '../../lib/archive-examples';
import { postEvents, TEST_TENANTS, testTenantFile, writeTenantFile } from '../support/producer-harness';
import { eventually } from '../support/eventually';
import { runScript } from '../support/run-script';
import { removeStoredState } from '../support/stored-state';
import { testRedisUrl } from '../support/test-servers';

const FLAG = `archived-flag-${Date.now()}`;

interface Posted {
  readonly userAgent: string;
  readonly events: Record<string, unknown>[];
}

/** Payloads of two SDK versions: evaluations counted in summaries, and events naming contexts whole or by key. */
function payloads(now: number): Posted[] {
  const summary = (counters: object[]) => ({
    kind: 'summary',
    startDate: now - 60_000,
    endDate: now,
    features: {
      [FLAG]: { default: false, counters },
      'other-flag': { default: 1, counters: [{ value: 2, count: 9 }] },
    },
  });
  const ada = { kind: 'user', key: 'ada', name: 'Ada' };
  return [
    {
      userAgent: 'NodeJSClient/9.13.7',
      events: [
        summary([
          { value: true, variation: 1, version: 4, count: 7 },
          { value: false, variation: 0, version: 4, count: 3 },
        ]),
        { kind: 'index', creationDate: now - 3_000, context: ada },
        { kind: 'feature', creationDate: now - 2_000, key: FLAG, version: 4, variation: 1, value: true, context: ada },
        { kind: 'custom', creationDate: now - 1_000, key: 'purchase', contextKeys: { user: 'ada' }, metricValue: 12 },
        { kind: 'custom', creationDate: now - 500, key: 'purchase', contextKeys: { user: 'grace' } },
      ],
    },
    {
      userAgent: 'NodeJSClient/9.14.0',
      events: [
        { ...summary([{ value: true, variation: 1, version: 4, count: 5 }]), context: ada },
        {
          kind: 'identify',
          creationDate: now - 1_500,
          context: { kind: 'multi', user: { key: 'ada' }, org: { key: 'o' } },
        },
        { kind: 'custom', creationDate: now - 100, key: 'search', contextKeys: { org: 'ada' } },
      ],
    },
  ];
}

/** What the examples must answer, counted from the payloads by plain code. */
function expected(posted: readonly Posted[], day: string) {
  const byVariation = new Map<number, number>();
  const history: [number, string, string][] = [];
  const kindsOf = new Map<string, Map<string, number>>();
  for (const { userAgent, events } of posted) {
    const kinds = kindsOf.get(userAgent) ?? new Map<string, number>();
    kindsOf.set(userAgent, kinds);
    for (const event of events) {
      const kind = event.kind as string;
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      if (kind === 'summary') {
        const flag = (event.features as Record<string, { counters: { variation: number; count: number }[] }>)[FLAG]!;
        for (const counter of flag.counters)
          byVariation.set(counter.variation, (byVariation.get(counter.variation) ?? 0) + counter.count);
      }
      const context = event.context as Record<string, unknown> | undefined;
      const keys = event.contextKeys as Record<string, string> | undefined;
      const isAda =
        (context?.kind === 'user' && context.key === 'ada') ||
        (context?.kind === 'multi' && (context.user as { key: string } | undefined)?.key === 'ada') ||
        keys?.user === 'ada';
      const date = (kind === 'summary' ? event.endDate : event.creationDate) as number;
      if (isAda) history.push([date, kind, (event.key as string | undefined) ?? '']);
    }
  }
  return {
    flagEvaluationsByDay: [...byVariation]
      .sort(([a], [b]) => a - b)
      .map(([variation, evaluations]) => ({ day, variation: String(variation), evaluations: String(evaluations) })),
    contextHistory: history
      .sort((a, b) => a[0] - b[0])
      .map(([created, kind, key]) => ({ created: String(created), kind, key: key === '' ? null : key })),
    eventsOfAnSdk: [...kindsOf.get('NodeJSClient/9.13.7')!]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([kind, events]) => ({ kind, events: String(events) })),
  };
}

describe('the archive answers questions: npm run query -- archive (a pipeline writing zstd records)', () => {
  let pipeline: LocalPipeline;
  let dataDirectory: string;

  beforeAll(async () => {
    dataDirectory = await mkdtemp(join(tmpdir(), 'archive-query-'));
    pipeline = await LocalPipeline.start({
      analytics: false,
      port: 0,
      dataDirectory,
      persistStream: false,
      redisUrl: testRedisUrl(),
      openSearchUrl: process.env.OPENSEARCH_URL!,
      tenantFile: await writeTenantFile(testTenantFile),
      keyPrefix: `test-archive-${process.pid}-${Date.now()}`,
      contextsAlias: `test-archive-${process.pid}-${Date.now()}`,
      // zstd records, which every consumer must read before a producer writes them: this pipeline's do.
      recordCompression: 'zstd',
    });
  });

  afterAll(async () => {
    await pipeline?.stop();
    if (pipeline) await removeStoredState(pipeline.keyPrefix, pipeline.contextsAlias);
    await rm(dataDirectory, { recursive: true, force: true });
  });

  const query = async (sql: string) => {
    const { code, output } = await runScript('scripts/query.ts', [
      'archive',
      sql,
      '--env',
      'local',
      '--json',
      '--url',
      pipeline.url,
    ]);
    return {
      code,
      output,
      answer: code === 0 ? (JSON.parse(output) as { rows: Record<string, string | null>[] }) : null,
    };
  };

  it('answers the README’s examples as the events posted say, with DuckDB over the local archive', async () => {
    // given
    const now = Date.now();
    const posted = payloads(now);
    for (const { userAgent, events } of posted) {
      const answer = await postEvents(pipeline.url, events, {
        authorization: TEST_TENANTS.healthy.sdkKey,
        'user-agent': userAgent,
      });
      expect(answer.status).toBe(202);
    }
    const events = posted.reduce((sum, each) => sum + each.events.length, 0);
    await eventually(
      async () => {
        await pipeline.archive.flush();
        return pipeline.archive.stats.lines;
      },
      (lines) => lines >= events,
      30_000,
    );
    // The archive partitions by arrival, in UTC, as Firehose does.
    const want = expected(posted, new Date(now).toISOString().slice(0, 10));

    // when
    const flag = await query(ARCHIVE_EXAMPLES.flagEvaluationsByDay(FLAG));
    const history = await query(ARCHIVE_EXAMPLES.contextHistory('user', 'ada'));
    const sdk = await query(ARCHIVE_EXAMPLES.eventsOfAnSdk('NodeJSClient/9.13.7'));

    // then: every consumer read the zstd records and set none aside
    const consumers = (
      (await (await fetch(`${pipeline.url}/status.json`)).json()) as {
        consumers: Record<string, { processed: number; failed: number }>;
      }
    ).consumers;
    expect(Object.keys(consumers).sort()).toEqual(['archive', 'contexts-indexer', 'exporter', 'flag-status']);
    for (const [name, { processed, failed }] of Object.entries(consumers)) {
      expect({ name, read: processed > 0, failed }).toEqual({ name, read: true, failed: 0 });
    }
    const flagStatus = await readFlag(pipeline.redis, pipeline.keyPrefix, {
      environmentId: TEST_TENANTS.healthy.environmentId,
      flag: FLAG,
      fromMs: now - 3_600_000,
      toMs: now + 3_600_000,
    });
    expect(flagStatus.last?.variation).toBe(1);
    // and the archive answers
    expect(flag.answer?.rows).toEqual(want.flagEvaluationsByDay);
    expect(history.answer?.rows).toEqual(want.contextHistory);
    expect(want.contextHistory).toHaveLength(5);
    expect(sdk.answer?.rows).toEqual(want.eventsOfAnSdk);
  }, 60_000);

  it('prints a table, and refuses SQL that fails, or that would write, with the engine’s message and exit 1', async () => {
    const table = await runScript('scripts/query.ts', [
      ...['archive', 'SELECT kind, count(*) AS events FROM events GROUP BY kind ORDER BY kind'],
      ...['--env', 'local', '--url', pipeline.url],
    ]);
    expect(table.code).toBe(0);
    expect(table.output).toMatch(/^kind +events\n-+ +-+\n/);
    expect(table.output).toMatch(/\n\d+ rows; [\d,]+ bytes scanned\n$/);

    const misspelt = await query('SELECT kinds FROM events');
    expect(misspelt.code).toBe(1);
    expect(misspelt.output).toMatch(/Binder Error: Referenced column "kinds" not found/);

    const outside = await query("SELECT * FROM read_text('/etc/hostname')");
    expect(outside.code).toBe(1);
    expect(outside.output).toMatch(/Permission Error: Cannot access file "\/etc\/hostname"/);

    const writing = await query(`COPY (SELECT * FROM events) TO '${join(dataDirectory, 'archive', 'copy.csv')}'`);
    expect(writing.code).toBe(2);
    expect(writing.output).toMatch(/only a query that reads \(SELECT, WITH …\) runs against the archive, not COPY/);
  }, 60_000);
});
