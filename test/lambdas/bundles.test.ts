import { execFile } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EntryPointName } from '../../lib/bundling';
import { bundleEntryPoint } from '../../local/lambda-function';
import { CONTEXTS_TEMPLATE } from '../../lambdas/contexts-indexer/context-index';
import { readFlag } from '../../lambdas/flag-status/flag-status-reader';
import { openSearchClient } from '../../lambdas/shared/opensearch-client';
import { redisClient } from '../../lambdas/shared/redis-client';
import { startLocalKinesis, LocalKinesis } from '../support/local-kinesis';
import { featureEvent, summaryEvent } from '../support/sdk-payloads';
import { firehoseEventFrom, readLambdaEvents, writePayloads } from '../support/stream-events';
import { testRedisUrl } from '../support/test-servers';

const run = promisify(execFile);
const out = mkdtempSync(join(tmpdir(), 'bundles-'));

const bundle = (name: EntryPointName) => bundleEntryPoint(name, out);

/** Loads a bundle in a fresh Node process, as Lambda does, and invokes its handler once. */
async function invoke(file: string, event: unknown, env: Record<string, string>): Promise<unknown> {
  const script = `
    const { handler } = require(${JSON.stringify(file)});
    const context = { functionName: 'test', functionVersion: '$LATEST', invokedFunctionArn: 'arn:aws:lambda:us-east-1:0:function:test',
      memoryLimitInMB: '512', awsRequestId: 'request-1', logGroupName: 'g', logStreamName: 's', getRemainingTimeInMillis: () => 30000 };
    handler(JSON.parse(process.argv[1]), context).then((result) => { process.stdout.write('RESULT' + JSON.stringify(result)); process.exit(0); },
      (error) => { console.error(error); process.exit(1); });`;
  const { stdout } = await run(process.execPath, ['-e', script, JSON.stringify(event)], {
    env: {
      ...process.env,
      POWERTOOLS_METRICS_DISABLED: 'true',
      AWS_REGION: 'us-east-1',
      POISON_BUCKET: 'poison-not-used',
      ...env,
    },
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout.slice(stdout.indexOf('RESULT') + 'RESULT'.length)) as unknown;
}

describe('deployable bundles', () => {
  let kinesis: LocalKinesis;

  beforeAll(async () => {
    kinesis = await startLocalKinesis();
    await kinesis.createStream('bundles', 1);
    await writePayloads(kinesis, 'bundles', [
      { environmentId: 'env-bundle', events: [featureEvent(1), summaryEvent(2)] },
    ]);
  });

  afterAll(async () => {
    await kinesis.close();
  });

  it.each(['contexts-indexer', 'flag-status', 'archive-transform'] as const)(
    'bundles %s alone, under 1 MB',
    async (name) => {
      expect(statSync(await bundle(name)).size).toBeLessThan(1024 * 1024);
    },
  );

  it('runs the archive-transform bundle on a Firehose event', async () => {
    const event = firehoseEventFrom(await readLambdaEvents(kinesis, 'bundles'));
    const result = (await invoke(await bundle('archive-transform'), event, {})) as { records: { result: string }[] };
    expect(result.records.map((r) => r.result)).toEqual(['Ok']);
  });

  it('runs the flag-status bundle against the local Redis', async () => {
    const [batch] = await readLambdaEvents(kinesis, 'bundles');
    const prefix = `bundle-${process.pid}-${Date.now()}`;
    const env = { REDIS_URL: testRedisUrl(), KEY_PREFIX: prefix };
    const redis = redisClient({ url: env.REDIS_URL });
    try {
      expect(await invoke(await bundle('flag-status'), batch, env)).toEqual({ batchItemFailures: [] });
      const report = await readFlag(redis, prefix, {
        environmentId: 'env-bundle',
        flag: 'flag-1',
        fromMs: 1_794_900_000_000,
        toMs: 1_795_100_000_000,
      });
      expect(report.liveGeneration).toBe(0);
      expect(Object.values(report.perHour)).toEqual([{ '0': 4, '1': 10 }]);
    } finally {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    }
  });

  it('runs the contexts-indexer bundle against OpenSearch', async () => {
    const [batch] = await readLambdaEvents(kinesis, 'bundles');
    const alias = `contexts-bundle-${process.pid}-${Date.now()}`;
    const env = { OPENSEARCH_URL: process.env.OPENSEARCH_URL!, CONTEXTS_ALIAS: alias };
    const client = openSearchClient({ url: env.OPENSEARCH_URL });
    try {
      expect(await invoke(await bundle('contexts-indexer'), batch, env)).toEqual({ batchItemFailures: [] });
      await client.indices.refresh({ index: alias });
      expect((await client.count({ index: alias })).body.count).toBeGreaterThan(0);
    } finally {
      await client.indices.delete({ index: `${alias}-*` });
      await client.indices.deleteIndexTemplate({ name: `${CONTEXTS_TEMPLATE}-${alias}` });
      await client.close();
    }
  });

  it('names the missing variable when a handler starts without its configuration', async () => {
    const [batch] = await readLambdaEvents(kinesis, 'bundles');
    await expect(invoke(await bundle('flag-status'), batch, { REDIS_URL: '' })).rejects.toThrow(
      /REDIS_URL environment variable is not set/,
    );
  });
});
