import { join } from 'node:path';
import { CommandOption, CommandSpec, parseCommand, runCommand, UsageError } from './command';
import { deployedEnvironment } from './environment-option';
import { readContexts } from '../lambdas/contexts-indexer/context-reader';
import { FlagReport, readFlag } from '../lambdas/flag-status/flag-status-reader';
import { openSearchClient } from '../lambdas/shared/opensearch-client';
import { redisClient } from '../lambdas/shared/redis-client';
import { CONTEXTS_ALIAS, FLAG_STATUS_KEY_PREFIX } from '../lib/pipeline-stacks';
import { parseFrom } from '../lib/replay/replay-request';
import { LOCAL_URL_OPTION, localPipelineRequest, localPipelineUrl } from '../local/local-control';
import type { LocalStores } from '../local/pipeline-controls';
import { experimentIterations, experimentKeyPrefix, readExperimentFigures } from '../lib/experiments/figures-reader';
import { ExperimentResults, experimentResults, readDefinitions } from '../lib/experiments/experiment-results';
import { AthenaClient } from '@aws-sdk/client-athena';
import { ArchiveAnswer, formatAnswer, queryAthena, queryLocalArchive, readOnlyProblem } from '../lib/archive-query';

const LOCAL_EXPERIMENTS_FILE = join(__dirname, '..', 'config', 'local-experiments.json');

const spec = {
  name: 'npm run query',
  positionals: 'flag|contexts|experiment [KEY] | archive "SQL"',
  summary:
    'Reads what the stores hold, as the product would show it: a flag’s last evaluation, its evaluations per hour ' +
    'and minute and its distinct contexts per day (Redis), the contexts seen last (OpenSearch), or an experiment’s ' +
    'figures per variation and metric, as the experiment job wrote them (Redis). archive runs one SQL query over ' +
    'every archived event, the table events partitioned by environment, dt (yyyy-MM-dd) and hour (HH): with ' +
    'DuckDB over the local archive, with Athena in a deployed environment’s workgroup.',
  options: {
    env: { type: 'string', value: 'local|ENV', required: true, description: 'local, or an environment of lib/config' },
    environment: {
      type: 'string',
      value: 'ID',
      description: 'the SDK environment id (for flag, contexts and experiment)',
    },
    flag: { type: 'string', value: 'KEY', description: 'the flag to read (for flag)' },
    from: { type: 'string', value: 'TIME', default: '-24h', description: 'flag: from an ISO time or a time back' },
    to: { type: 'string', value: 'TIME', description: 'flag: up to an ISO time or a time back (default now)' },
    kind: { type: 'string', value: 'KIND', description: 'contexts: of this kind only' },
    iteration: { type: 'string', value: 'N', description: 'experiment: this iteration (default the newest)' },
    experiments: {
      type: 'string',
      value: 'FILE',
      description: 'experiment: its definitions (default config/local-experiments.json for local)',
    },
    search: { type: 'string', value: 'TEXT', description: 'contexts: whose key or name has this text' },
    limit: { type: 'string', value: 'N', default: '20', description: 'contexts: how many to list, 1 to 10000' },
    json: { type: 'boolean', default: false, description: 'the answer as JSON' },
    url: LOCAL_URL_OPTION,
    'redis-url': { type: 'string', value: 'URL', description: 'deployed: the flag-status Redis (rediss:// for TLS)' },
    'opensearch-url': { type: 'string', value: 'URL', description: 'deployed: the contexts OpenSearch domain' },
  },
  examples: [
    'npm run query -- flag --env local --environment local-development --flag new-checkout',
    'npm run query -- contexts --env local --environment local-development --kind user --search ada',
    'npm run query -- experiment new-checkout --env local --environment local-development',
    `npm run query -- archive "SELECT kind, count(*) AS events FROM events GROUP BY kind" --env local`,
  ],
  notes:
    'With --env local the stores are found through the running npm start. For a deployed environment, run it where ' +
    'the stores are reachable (inside the VPC) and pass --redis-url or --opensearch-url.',
} as const satisfies CommandSpec<Record<string, CommandOption>>;

type Values = ReturnType<typeof parseCommand<typeof spec.options>>['values'];

type Stores = Omit<LocalStores, 'kinesisEndpoint' | 'customerKinesisEndpoint' | 'analyticsUrl'> & {
  sigv4Region?: string;
};

async function storesOf(values: Values): Promise<Stores> {
  if (values.env === 'local')
    return localPipelineRequest<LocalStores>(values.url ?? localPipelineUrl(), '/local/stores');
  const config = deployedEnvironment(values.env);
  return {
    redisUrl: values['redis-url'] ?? '',
    keyPrefix: FLAG_STATUS_KEY_PREFIX,
    experimentKeyPrefix: experimentKeyPrefix(FLAG_STATUS_KEY_PREFIX, config.analytics.replay?.generation),
    experimentsFile: null,
    archiveDirectory: '',
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

const percent = (share: number) => `${(share * 100).toFixed(2)}%`;
const signed = (share: number) => `${share >= 0 ? '+' : ''}${(share * 100).toFixed(1)}%`;

function printExperiment(results: ExperimentResults): void {
  console.log(`experiment ${results.experimentId}, figures of ${results.emittedAt ?? 'never: none written yet'}`);
  console.log('(95% intervals; the p-value is fixed-horizon, the verdict sequential and valid at every look)');
  for (const metric of results.metrics) {
    console.log(`\nmetric ${metric.key} (${metric.kind === 'conversion' ? 'conversion rate' : 'mean per unit'}):`);
    console.log(
      `  ${'variation'.padEnd(11)} ${'units'.padStart(8)}  ${'value [interval]'.padEnd(30)} ${'lift [interval]'.padEnd(26)} ` +
        `${'p-value'.padStart(8)}  ${'P(beat control)'.padStart(15)}  verdict`,
    );
    for (const each of metric.variations) {
      const format = (value: number) => (metric.kind === 'conversion' ? percent(value) : value.toFixed(3));
      const [low, high] = each.estimate.interval;
      const value = `${format(each.estimate.value)} [${format(low)}, ${format(high)}]`;
      const comparison = each.comparison;
      const lift =
        comparison?.lift == null
          ? each.variation === results.controlVariation
            ? 'control'
            : 'n/a'
          : `${signed(comparison.lift)} [${signed(comparison.liftInterval![0])}, ${signed(comparison.liftInterval![1])}]`;
      console.log(
        `  ${String(each.variation).padEnd(11)} ${String(each.estimate.units).padStart(8)}  ${value.padEnd(30)} ${lift.padEnd(26)} ` +
          `${comparison ? comparison.pValue.toFixed(4).padStart(8) : ''.padStart(8)}  ` +
          `${comparison ? percent(comparison.probabilityToBeatControl).padStart(15) : ''.padStart(15)}  ${each.verdict ?? ''}`,
      );
    }
  }
  const { sampleRatio, crossoverUnits, lateEvents, leftOut } = results.health;
  console.log(
    `\nhealth: sample ratio ${sampleRatio.mismatch ? 'MISMATCH' : 'ok'} (chi-square ${sampleRatio.chiSquare.toFixed(2)}, ` +
      `p ${sampleRatio.pValue.toPrecision(3)}; flagged below 0.001), ${crossoverUnits} crossover units, ${lateEvents} late events`,
  );
  const reasons = Object.entries(leftOut);
  console.log(
    reasons.length === 0
      ? 'no event left out'
      : `events left out: ${reasons.map(([reason, count]) => `${reason.replace(/_/g, ' ')} ${count}`).join(', ')}`,
  );
}

async function queryExperiment(values: Values, key: string | undefined, stores: Stores): Promise<void> {
  if (!key) throw new UsageError('name the experiment: npm run query -- experiment KEY --env … --environment …');
  if (!stores.redisUrl) throw new UsageError('--redis-url is required for a deployed environment (rediss:// for TLS)');
  if (!stores.experimentKeyPrefix) throw new Error('the running npm start does not run the experiment job');
  const redis = redisClient({ url: stores.redisUrl, tls: stores.redisUrl.startsWith('rediss://') });
  try {
    const iterations = await experimentIterations(redis, stores.experimentKeyPrefix, values.environment!, key);
    const id = values.iteration ? `${values.environment}/${key}/${values.iteration}` : iterations.at(-1);
    if (!id || !iterations.includes(id)) {
      throw new Error(
        `no figures of experiment ${key}${values.iteration ? ` iteration ${values.iteration}` : ''} in environment ` +
          `${values.environment} yet (iterations with figures: ${iterations.join(', ') || 'none'}): is it defined, ` +
          'and has a unit been exposed?',
      );
    }
    const report = await readExperimentFigures(redis, stores.experimentKeyPrefix, id);
    const definitionsFile =
      values.experiments ?? stores.experimentsFile ?? (values.env === 'local' ? LOCAL_EXPERIMENTS_FILE : undefined);
    if (!definitionsFile) throw new UsageError('--experiments FILE is required for a deployed environment');
    const definition = (await readDefinitions(definitionsFile)).find(
      (each) => `${each.environmentId}/${each.key}/${each.iteration}` === id,
    );
    if (!definition) throw new Error(`${definitionsFile} does not define ${id}, which has figures`);
    const results = experimentResults(report, definition);
    if (values.json) console.log(JSON.stringify({ ...results, figures: report }, null, 2));
    else printExperiment(results);
  } finally {
    redis.disconnect();
  }
}

async function queryArchive(values: Values, sql: string | undefined): Promise<void> {
  if (!sql) throw new UsageError('give the query: npm run query -- archive "SELECT … FROM events …" --env …');
  const problem = readOnlyProblem(sql);
  if (problem) throw new UsageError(problem);
  let answer: ArchiveAnswer;
  if (values.env === 'local') {
    const stores = await localPipelineRequest<LocalStores>(values.url ?? localPipelineUrl(), '/local/stores');
    answer = await queryLocalArchive(stores.archiveDirectory, sql);
  } else {
    const config = deployedEnvironment(values.env);
    const athena = new AthenaClient({ region: config.region });
    try {
      answer = await queryAthena(athena, {
        sql,
        environment: config.name,
        scanLimitBytes: config.archive.queryScanLimitGb * 1e9,
      });
    } finally {
      athena.destroy();
    }
  }
  if (values.json) {
    const rows = answer.rows.map((row) => Object.fromEntries(answer.columns.map((name, i) => [name, row[i]])));
    console.log(JSON.stringify({ columns: answer.columns, rows, bytesScanned: answer.bytesScanned }, null, 2));
    return;
  }
  console.log(formatAnswer(answer));
  console.log(`\n${answer.rows.length} rows; ${answer.bytesScanned.toLocaleString('en-US')} bytes scanned`);
}

runCommand(spec, async ({ values, positionals }) => {
  const subject = positionals[0];
  if (subject === 'archive') return queryArchive(values, positionals[1]);
  if (subject !== 'flag' && subject !== 'contexts' && subject !== 'experiment') {
    throw new UsageError(
      `name what to read first: flag, contexts, experiment or archive${subject ? `, not ${JSON.stringify(subject)}` : ''}`,
    );
  }
  if (!values.environment)
    throw new UsageError(
      `--environment ID is required to read ${subject === 'contexts' ? 'contexts' : `a ${subject}`}`,
    );
  const stores = await storesOf(values);
  const now = Date.now();
  if (subject === 'experiment') return queryExperiment(values, positionals[1], stores);

  if (subject === 'flag') {
    if (!values.flag) throw new UsageError('--flag KEY is required to read a flag');
    if (!stores.redisUrl)
      throw new UsageError('--redis-url is required for a deployed environment (rediss:// for TLS)');
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

  if (!stores.openSearchUrl) throw new UsageError('--opensearch-url is required for a deployed environment');
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
    throw new UsageError(`--limit must be a whole number from 1 to 10000, got ${values.limit}`);
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
        `  ${context.kind}/${context.key}${name}  first seen ${iso(context.firstSeen)}, last seen in the window from ${iso(context.lastSeen)} (${context.lastSdk})`,
      );
    }
  } finally {
    await client.close();
  }
});
