import { parseArgs } from 'node:util';
import { LocalPipeline } from './local-pipeline';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { memory: { type: 'boolean', default: false } } });
  const log = (line: string) => console.log(line);
  const port = Number(process.env.PORT ?? 8080);
  // Checked before anything starts, so a typo costs no minute of starting Kinesis and OpenSearch.
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`PORT must be an integer from 0 to 65535, got ${JSON.stringify(process.env.PORT)}`);
  }
  const pipeline = await LocalPipeline.start({
    port,
    dataDirectory: process.env.LOCAL_DATA_DIR ?? '.local',
    persistStream: !values.memory,
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    openSearchUrl: process.env.OPENSEARCH_URL,
    log,
  });
  log('');
  log(`ready      ${pipeline.url}   (status: ${pipeline.url}/status)`);
  log('SDK key: sdk-local-development-key');
  log('try:');
  log(
    `  curl -s -X POST ${pipeline.url}/bulk -H 'Authorization: sdk-local-development-key' -H 'Content-Type: application/json' ` +
      `-d '[{"kind":"identify","creationDate":${Date.now()},"context":{"kind":"user","key":"ada","name":"Ada"}}]'`,
  );
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    log('\ndraining and stopping everything this started…');
    pipeline.stop().then(
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
}

main().catch((error: unknown) => {
  console.error(`local pipeline failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
