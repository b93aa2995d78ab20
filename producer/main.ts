import { hostname } from 'node:os';
import { handOffSpill, jsonLog, startProducer } from './producer';
import { readProducerConfig } from './producer-config';

async function main(): Promise<void> {
  const config = readProducerConfig(process.env);
  if (process.argv.includes('--hand-off-spill')) {
    const files = await handOffSpill(config, process.env.INSTANCE_ID ?? hostname());
    jsonLog('info', 'spill handed off', { files });
    return;
  }
  const producer = await startProducer(config);
  jsonLog('info', 'events API listening', { url: producer.url, stream: config.streamName });

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
}

main().catch((error: unknown) => {
  jsonLog('error', 'events API failed to start', { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
