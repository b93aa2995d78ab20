import { chmod, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordCompression } from '../codec/event-codec';
import { CommandOption, CommandSpec, runCommand, UsageError } from '../scripts/command';
import { localDataDirectory, runningPipeline, runningPipelineFile } from './local-control';
import { LocalPipeline } from './local-pipeline';

const spec = {
  name: 'npm start',
  summary:
    'Runs the whole pipeline on this machine: the events API, Kinesis (kinesalite), the consumers as Lambda runs ' +
    'them, Redis, OpenSearch and the archive, with a status page. Ctrl-C stops everything it started.',
  options: {
    fresh: { type: 'boolean', default: false, description: 'start from nothing: clears the data folder first' },
    memory: { type: 'boolean', default: false, description: 'keep nothing: a temporary data folder, removed at stop' },
  },
  examples: ['npm start', 'npm start -- --fresh', 'PORT=9090 npm start'],
  notes:
    'Everything is kept under one data folder (.local, or LOCAL_DATA_DIR): the stream, each consumer’s position, ' +
    'the archive, the spill, and the Redis and OpenSearch data when it starts them, so a restart carries on. ' +
    'Settings: PORT (8080), REDIS_URL (redis://127.0.0.1:6379; a redis-server is started there if none answers), ' +
    'OPENSEARCH_URL (default: one started here). The other scripts find it through .local/running.json.',
} as const satisfies CommandSpec<Record<string, CommandOption>>;

function portFromEnvironment(): number {
  const port = Number(process.env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new UsageError(`PORT must be an integer from 0 to 65535, got ${JSON.stringify(process.env.PORT)}`);
  }
  return port;
}

/** A fresh folder others may pass through (not list): OpenSearch, run as nobody under root, keeps its data inside. */
async function temporaryDataDirectory(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'events-pipeline-'));
  await chmod(directory, 0o711);
  return directory;
}

const processAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

runCommand(spec, async ({ values }) => {
  if (values.fresh && values.memory) throw new UsageError('--fresh and --memory: choose one');
  // Checked before anything starts, so a typo costs no minute of starting Kinesis and OpenSearch.
  const port = portFromEnvironment();
  const dataDirectory = values.memory ? await temporaryDataDirectory() : localDataDirectory();
  const other = runningPipeline(dataDirectory);
  if (other && other.pid !== process.pid && processAlive(other.pid)) {
    throw new Error(
      `npm start already runs on ${dataDirectory} (pid ${other.pid}, ${other.url}): stop it first, ` +
        `or give this one a data folder of its own with LOCAL_DATA_DIR`,
    );
  }
  if (values.fresh) await rm(dataDirectory, { recursive: true, force: true });

  const log = (line: string) => console.log(line);
  const pipeline = await LocalPipeline.start({
    port,
    dataDirectory,
    persistStream: !values.memory,
    redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
    openSearchUrl: process.env.OPENSEARCH_URL,
    recordCompression: process.env.RECORD_COMPRESSION as RecordCompression | undefined,
    log,
  });
  await writeFile(runningPipelineFile(dataDirectory), `${JSON.stringify(pipeline.running, null, 2)}\n`);
  log('');
  log(`ready      ${pipeline.url}   (status: ${pipeline.url}/status)`);
  log(`data       ${dataDirectory}${values.memory ? ' (removed at stop)' : ' (npm start -- --fresh starts over)'}`);
  log('SDK key: sdk-local-development-key');
  log('try:');
  log(
    `  curl -s -X POST ${pipeline.url}/bulk -H 'Authorization: sdk-local-development-key' -H 'Content-Type: application/json' ` +
      `-d '[{"kind":"identify","creationDate":${Date.now()},"context":{"kind":"user","key":"ada","name":"Ada"}}]'`,
  );
  log('  npm run query -- contexts --env local --environment local-development');
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    log('\ndraining and stopping everything this started…');
    pipeline
      .stop()
      .then(() => unlink(runningPipelineFile(dataDirectory)).catch(() => undefined))
      .then(() => (values.memory ? rm(dataDirectory, { recursive: true, force: true }) : undefined))
      .then(
        () => {
          log('stopped');
          process.exit(0);
        },
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
});
