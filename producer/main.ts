import cluster from 'node:cluster';
import { hostname } from 'node:os';
import { CommandOption, CommandSpec, runCommand } from '../scripts/command';
import { handOffSpill, jsonLog, startProducer } from './producer';
import { readProducerConfig } from './producer-config';
import { runWorkerPool, spillDirectories } from './worker-pool';

const spec = {
  name: 'npm run start:producer',
  summary:
    'Runs the events API alone, as each instance of the fleet does: it takes SDK payloads, writes them to the ' +
    'Kinesis stream, and spills to disk what the stream does not take in time.',
  options: {
    'hand-off-spill': {
      type: 'boolean',
      default: false,
      description:
        'upload the spill folder, and each worker’s in it, to SPILL_HANDOFF_S3_URI and exit (the termination hook runs this)',
    },
  },
  examples: [
    'STREAM_NAME=events-local AWS_ENDPOINT_URL_KINESIS=http://127.0.0.1:4567 AWS_REGION=us-east-1 ' +
      'AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local npm run start:producer',
  ],
  notes:
    'Settings are environment variables (docs/events-api.md lists each with its default): STREAM_NAME, PORT, WORKERS, ' +
    'TENANT_CONFIG_FILE or TENANT_CONFIG_S3_URI, SPILL_DIR, and the AWS SDK’s own (AWS_REGION, credentials, ' +
    'AWS_ENDPOINT_URL_KINESIS). npm start runs it with the rest of the pipeline.',
} as const satisfies CommandSpec<Record<string, CommandOption>>;

runCommand(spec, async ({ values }) => {
  const config = readProducerConfig(process.env);
  if (values['hand-off-spill']) {
    for (const spillDirectory of await spillDirectories(config.spillDirectory)) {
      const files = await handOffSpill({ ...config, spillDirectory }, process.env.INSTANCE_ID ?? hostname());
      jsonLog('info', 'spill handed off', { spillDirectory, files });
    }
    return;
  }
  if (config.workers > 1 && cluster.isPrimary) {
    jsonLog('info', 'starting workers', { workers: config.workers });
    process.exitCode = await runWorkerPool(config.workers, config.spillDirectory, jsonLog);
    return;
  }
  const producer = await startProducer(config);
  jsonLog('info', 'events API listening', { url: producer.url, stream: config.streamName, pid: process.pid });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    jsonLog('info', 'draining', { signal, deadlineMs: config.drainDeadlineMs });
    producer.drainAndStop().then(
      ({ spilledRecords }) => {
        const { user, system } = process.cpuUsage();
        jsonLog('info', 'stopped', {
          spilledAtDrain: spilledRecords,
          cpuSeconds: (user + system) / 1e6,
          ...producer.metrics.counters,
        });
        process.exit(0);
      },
      (error: unknown) => {
        jsonLog('error', 'drain failed', { error: String(error) });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
});
