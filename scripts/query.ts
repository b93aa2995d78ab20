import { parseArgs } from 'node:util';
import { readContexts } from '../lambdas/contexts-indexer/context-reader';
import { FlagReport, readFlag } from '../lambdas/flag-status/flag-status-reader';
import { openSearchClient } from '../lambdas/shared/opensearch-client';
import { redisClient } from '../lambdas/shared/redis-client';
import { ENVIRONMENTS } from '../lib/config/environments';
import { CONTEXTS_ALIAS, FLAG_STATUS_KEY_PREFIX } from '../lib/pipeline-stacks';
import { parseFrom } from '../lib/replay/replay-request';
import { localPipelineRequest } from '../local/local-control';
import type { LocalStores } from '../local/local-pipeline';

const usage = `usage:
  npm run query -- flag --env local|ENV --environment ID --flag KEY [--from -24h] [--to ISO-TIME] [--json]
  npm run query -- contexts --env local|ENV --environment ID [--kind KIND] [--search TEXT] [--limit 20] [--json]
With --env local the stores are found through the running npm start (--url, default http://127.0.0.1:8080).
For a deployed environment, run it where the stores are reachable and pass --redis-url or --opensearch-url.`;

const options = {
  env: { type: 'string' },
  environment: { type: 'string' },
  flag: { type: 'string' },
  from: { type: 'string', default: '-24h' },
  to: { type: 'string' },
  kind: { type: 'string' },
  search: { type: 'string' },
  limit: { type: 'string', default: '20' },
  json: { type: 'boolean', default: false },
  url: { type: 'string', default: 'http://127.0.0.1:8080' },
  'redis-url': { type: 'string' },
  'opensearch-url': { type: 'string' },
  help: { type: 'boolean', default: false },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

type Stores = Omit<LocalStores, 'kinesisEndpoint'> & { sigv4Region?: string };

async function storesOf(values: Values): Promise<Stores> {
  if (values.env === 'local') return localPipelineRequest<LocalStores>(values.url, '/local/stores');
  const config = ENVIRONMENTS.find((each) => each.name === values.env);
  if (!config) throw new Error(`--env must be local or one of ${ENVIRONMENTS.map((each) => each.name).join(', ')}`);
  return {
    redisUrl: values['redis-url'] ?? '',
    keyPrefix: FLAG_STATUS_KEY_PREFIX,
    openSearchUrl: values['opensearch-url'] ?? '',
    contextsAlias: CONTEXTS_ALIAS,
    sigv4Region: config.region,
  };
}

const iso = (ms: number | string) => new Date(Number(ms)).toISOString().replace(':00.000Z', 'Z');
const variations = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([variation, count]) => `variation ${variation}: ${count}`)
    .join(', ');

function printFlag(report: FlagReport): void {
  console.log(
    `flag ${report.flag} in environment ${report.environmentId} (reads served by generation ${report.liveGeneration ?? 0})`,
  );
  const last = report.last;
  console.log(
    last
      ? `last evaluated ${new Date(last.evaluatedAtMs).toISOString()}: variation ${last.variation} (${last.value}), flag version ${last.version}`
      : 'no evaluation stored',
  );
  for (const [title, buckets] of [
    ['per hour', report.perHour],
    ['per minute', report.perMinute],
  ] as const) {
    console.log(`\nevaluations ${title}:`);
    const entries = Object.entries(buckets);
    if (entries.length === 0) console.log('  none in this range');
    for (const [at, counts] of entries) console.log(`  ${iso(at)}  ${variations(counts)}`);
  }
  console.log('\ndistinct contexts per day (HyperLogLog, about 0.8% error):');
  for (const [day, count] of Object.entries(report.dailyContexts)) console.log(`  ${day}  ${count}`);
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ options, allowPositionals: true });
  const subject = positionals[0];
  if (values.help) {
    console.log(usage);
    return;
  }
  if ((subject !== 'flag' && subject !== 'contexts') || !values.env || !values.environment)
    throw new Error(`name what to read (flag or contexts), --env and --environment\n${usage}`);
  const stores = await storesOf(values);
  const now = Date.now();

  if (subject === 'flag') {
    if (!values.flag) throw new Error(`--flag is required to read a flag\n${usage}`);
    if (!stores.redisUrl) throw new Error('--redis-url is required for a deployed environment (rediss:// for TLS)');
    const redis = redisClient({ url: stores.redisUrl, tls: stores.redisUrl.startsWith('rediss://') });
    try {
      const report = await readFlag(redis, stores.keyPrefix, {
        environmentId: values.environment,
        flag: values.flag,
        fromMs: parseFrom(values.from, now).getTime(),
        toMs: values.to ? parseFrom(values.to, now).getTime() : now,
      });
      if (values.json) console.log(JSON.stringify(report, null, 2));
      else printFlag(report);
    } finally {
      redis.disconnect();
    }
    return;
  }

  if (!stores.openSearchUrl) throw new Error('--opensearch-url is required for a deployed environment');
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
    throw new Error(`--limit must be a whole number from 1 to 10000, got ${values.limit}`);
  const client = openSearchClient({ url: stores.openSearchUrl, sigv4Region: stores.sigv4Region });
  try {
    const report = await readContexts(client, stores.contextsAlias, {
      environmentId: values.environment,
      kind: values.kind,
      search: values.search,
      limit,
    });
    if (values.json) {
      console.log(JSON.stringify(report, null, 2));
      return;
    }
    console.log(
      `${report.total} contexts in environment ${values.environment}; the ${report.contexts.length} seen last:`,
    );
    for (const context of report.contexts) {
      const name = context.name ? ` "${context.name}"` : '';
      console.log(
        `  ${context.kind}/${context.key}${name}  first seen ${iso(context.firstSeen)}, last seen ${iso(context.lastSeen)} (${context.lastSdk})`,
      );
    }
  } finally {
    await client.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(2);
});
