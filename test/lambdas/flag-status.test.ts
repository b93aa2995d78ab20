import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { KinesisStreamEvent } from 'aws-lambda';
import { DEFAULT_TTLS } from '../../lambdas/flag-status/flag-status-updates';
import { updateFlagStatus } from '../../lambdas/flag-status/handler';
import { redisClient } from '../../lambdas/shared/redis-client';
import { startLocalKinesis, LocalKinesis } from '../support/local-kinesis';
import { featureEvent, summaryEvent } from '../support/sdk-payloads';
import { readLambdaEvents, withPoisonRecord, writePayloads } from '../support/stream-events';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SUMMARY_END_MS = 1_795_000_060_000 + 20_000;
const MINUTE = SUMMARY_END_MS - (SUMMARY_END_MS % 60_000);

/** Everything under a prefix, read back type by type, so two states can be compared whole. */
async function snapshot(redis: Redis, prefix: string): Promise<Record<string, unknown>> {
  const keys = (await redis.keys(`${prefix}:*`)).sort();
  const state: Record<string, unknown> = {};
  for (const key of keys) {
    const type = await redis.type(key);
    if (type === 'hash') state[key] = await redis.hgetall(key);
    else if (key.includes(':contexts:')) state[key] = await redis.pfcount(key);
    else state[key] = await redis.get(key);
  }
  return state;
}

describe('flag-status against the local Redis', () => {
  let kinesis: LocalKinesis;
  let redis: Redis;
  let batches: KinesisStreamEvent[];
  let prefix: string;

  beforeAll(async () => {
    kinesis = await startLocalKinesis();
    await kinesis.createStream('flag-status', 1);
    await writePayloads(kinesis, 'flag-status', [
      {
        environmentId: 'env-a',
        events: [summaryEvent(20_000), ...Array.from({ length: 30 }, (_, i) => featureEvent(i, 7, 1))],
      },
      { environmentId: 'env-b', events: [summaryEvent(20_000), summaryEvent(20_000)] },
      { environmentId: 'env-a', events: [{ ...featureEvent(50_000, 7, 1), version: 4, variation: 1, value: 'late' }] },
    ]);
    batches = await readLambdaEvents(kinesis, 'flag-status');
    redis = redisClient({ url: REDIS_URL });
  });

  beforeEach(() => {
    prefix = `test-fs-${randomBytes(4).toString('hex')}`;
  });

  afterEach(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
  });

  afterAll(async () => {
    await redis.quit();
    await kinesis.close();
  });

  const settings = () => ({ redis, keyPrefix: prefix, ttls: DEFAULT_TTLS });

  it('counts evaluations per variation by minute and hour, keeps the last evaluation, and counts distinct contexts', async () => {
    // when
    const result = await updateFlagStatus(batches[0]!, settings());

    // then
    expect(result.response.batchItemFailures).toEqual([]);
    expect(await redis.hgetall(`${prefix}:count:m:env-a:flag-1:${MINUTE}`)).toEqual({ '1': '10', '0': '4' });
    expect(await redis.hgetall(`${prefix}:count:m:env-b:flag-1:${MINUTE}`)).toEqual({ '1': '20', '0': '8' });
    const hour = MINUTE - (MINUTE % 3_600_000);
    expect(await redis.hgetall(`${prefix}:count:h:env-b:flag-1:${hour}`)).toEqual({ '1': '20', '0': '8' });
    expect(await redis.hgetall(`${prefix}:flag:env-a:flag-0`)).toMatchObject({
      version: '4',
      variation: '1',
      value: '"late"',
    });
    const day = new Date(1_795_000_000_000).toISOString().slice(0, 10);
    expect(await redis.pfcount(`${prefix}:contexts:d:env-a:flag-0:${day}`)).toBe(7);
    expect(await redis.ttl(`${prefix}:count:m:env-a:flag-1:${MINUTE}`)).toBeGreaterThan(
      DEFAULT_TTLS.minuteBucketSeconds - 60,
    );
  });

  it('leaves identical state when the same batch is processed again, as on a retry or a replay', async () => {
    await updateFlagStatus(batches[0]!, settings());
    const once = await snapshot(redis, prefix);

    const again = await updateFlagStatus(batches[0]!, settings());

    expect(again.skippedRecords).toBe(batches[0]!.Records.length);
    expect(await snapshot(redis, prefix)).toEqual(once);
  });

  it('keeps the newest last evaluation when batches arrive out of order', async () => {
    // given: the record with the late evaluation, then the earlier ones, as from two shards
    const [first, second, late] = batches[0]!.Records;
    await updateFlagStatus({ Records: [late!] }, { ...settings(), keyPrefix: prefix });
    await updateFlagStatus(
      { Records: [{ ...first!, eventID: `shardId-000000000009:${first!.kinesis.sequenceNumber}` }, second!] },
      settings(),
    );

    expect(await redis.hgetall(`${prefix}:flag:env-a:flag-0`)).toMatchObject({
      version: '4',
      variation: '1',
      value: '"late"',
    });
  });

  it('reports a poison record alone and applies the rest', async () => {
    const poisoned = withPoisonRecord(batches[0]!, 1);

    const result = await updateFlagStatus(poisoned, settings());

    expect(result.response.batchItemFailures).toEqual([
      { itemIdentifier: poisoned.Records[1]!.kinesis.sequenceNumber },
    ]);
    expect(await redis.hgetall(`${prefix}:count:m:env-a:flag-1:${MINUTE}`)).toEqual({ '1': '10', '0': '4' });
  });

  it('fails the whole batch while Redis is unreachable, and counts it once after it returns', async () => {
    // given: a client whose server is gone (nothing listens on port 1)
    const unreachable = redisClient({ url: 'redis://127.0.0.1:1', connectTimeoutMs: 200, commandTimeoutMs: 200 });
    try {
      // when
      const failed = await updateFlagStatus(batches[0]!, { ...settings(), redis: unreachable });
      const retried = await updateFlagStatus(batches[0]!, settings());
      const retriedAgain = await updateFlagStatus(batches[0]!, settings());

      // then
      expect(failed.response.batchItemFailures).toHaveLength(batches[0]!.Records.length);
      expect(failed.storeErrors[0]).toBeTruthy();
      expect(retried.response.batchItemFailures).toEqual([]);
      expect(retriedAgain.skippedRecords).toBe(batches[0]!.Records.length);
      expect(await redis.hgetall(`${prefix}:count:m:env-a:flag-1:${MINUTE}`)).toEqual({ '1': '10', '0': '4' });
    } finally {
      unreachable.disconnect();
    }
  });
});
