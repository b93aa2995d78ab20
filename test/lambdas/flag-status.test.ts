import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster } from 'ioredis';
import type { KinesisStreamEvent } from 'aws-lambda';
import { decodeRecordWithId } from '../../codec/event-codec';
import { readFlag } from '../../lambdas/flag-status/flag-status-reader';
import { collectFlagStatusWrites, DEFAULT_TTLS } from '../../lambdas/flag-status/flag-status-updates';
import { MAX_KEY_REFERENCES_PER_SCRIPT } from '../../lambdas/flag-status/flag-status-writer';
import { decodeKinesisBatch } from '../../lambdas/shared/kinesis-batch';
import { FlagStatusSettings, updateFlagStatus } from '../../lambdas/flag-status/handler';
import { DEFAULT_EVENT_TIME_WINDOW, EventClock } from '../../lambdas/shared/event-time';
import { FilePoisonSink, PoisonEntry } from '../../lambdas/shared/poison-sink';
import { redisClient, RedisClient } from '../../lambdas/shared/redis-client';
import { expectedFlags } from '../support/flag-status-oracle';
import { startLocalKinesis, LocalKinesis } from '../support/local-kinesis';
import { startRedisCluster } from '../support/redis-cluster';
import { featureEvent } from '../support/sdk-payloads';
import { readLambdaEvents, SdkPayload, withPoisonRecord, writePayloads, writeRecords } from '../support/stream-events';
import { testRedisUrl } from '../support/test-servers';

const REDIS_URL = testRedisUrl();
const HOUR = 3_600_000;
// An hour boundary; the payloads below are received around it.
const T = 1_795_003_200_000;

type Payload = SdkPayload & { payloadId: string; receivedAtMs: number };

function summaryAt(endDate: number, flag: string, trueCount: number, falseCount: number) {
  return {
    kind: 'summary',
    startDate: endDate - 10_000,
    endDate,
    features: {
      [flag]: {
        default: false,
        counters: [
          { value: true, variation: 1, version: 3, count: trueCount },
          { value: false, variation: 0, version: 3, count: falseCount },
        ],
      },
    },
  };
}

/** Payloads over two hours, two environments and three flags, some summaries late, some evaluations tied. */
function payloadsAround(startMs: number, count: number, idPrefix: string, lateSummaries = true): Payload[] {
  return Array.from({ length: count }, (_, i) => {
    const receivedAtMs = startMs + i * 97_000;
    const flag = `flag-${i % 3}`;
    return {
      environmentId: i % 4 === 0 ? 'env-b' : 'env-a',
      payloadId: `${idPrefix}-${i}`,
      receivedAtMs,
      events: [
        summaryAt(receivedAtMs - (lateSummaries && i % 5 === 0 ? 2 * HOUR : 3_000), flag, i + 1, 2 * i + 1),
        { ...featureEvent(i, 13, 3), creationDate: receivedAtMs - 1_000 },
        { ...featureEvent(i + 1, 13, 3), creationDate: receivedAtMs - 1_000 },
      ],
    };
  });
}

interface Store {
  readonly redis: RedisClient;
  stop(): Promise<void>;
}

const STORES: [string, () => Promise<Store>][] = [
  ['a single Redis primary', () => Promise.resolve({ redis: redisClient({ url: REDIS_URL }), stop: async () => {} })],
  [
    'a Redis cluster of three primaries',
    async () => {
      const cluster = await startRedisCluster();
      return { redis: redisClient({ url: cluster.url, cluster: true }), stop: () => cluster.stop() };
    },
  ],
];

describe.each(STORES)('flag-status on %s, checked against an independent reference', (_store, startStore) => {
  let kinesis: LocalKinesis;
  let store: Store;
  let redis: RedisClient;
  let prefix: string;
  let poisonDirectory: string;
  let streamCount = 0;

  beforeAll(async () => {
    kinesis = await startLocalKinesis();
    store = await startStore();
    redis = store.redis;
    poisonDirectory = await mkdtemp(join(tmpdir(), 'flag-status-poison-'));
  });

  beforeEach(() => {
    prefix = `test-fs-${randomBytes(4).toString('hex')}`;
  });

  afterEach(async () => {
    for (const node of redis instanceof Cluster ? redis.nodes('master') : [redis]) {
      const keys = await node.keys(`${prefix}:*`);
      if (keys.length > 0) await node.pipeline(keys.map((key) => ['unlink', key])).exec();
    }
  });

  afterAll(async () => {
    await redis?.quit();
    await store?.stop();
    await kinesis?.close();
    await rm(poisonDirectory, { recursive: true, force: true });
  });

  const settings = (overrides: Partial<FlagStatusSettings> = {}): FlagStatusSettings => ({
    redis,
    keyPrefix: prefix,
    ttls: DEFAULT_TTLS,
    eventTimeWindow: DEFAULT_EVENT_TIME_WINDOW,
    generation: { generation: 0, fromMs: 0 },
    poison: new FilePoisonSink(join(poisonDirectory, `${prefix}.jsonl`)),
    ...overrides,
  });

  /** Writes each group of payloads a little after the one before, so their records arrive in that order. */
  async function streamOf(...groups: (readonly SdkPayload[])[]): Promise<{ batches: KinesisStreamEvent[] }> {
    const stream = `flag-status-${streamCount++}`;
    await kinesis.createStream(stream, 1);
    for (const payloads of groups) {
      await writePayloads(kinesis, stream, payloads);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return { batches: await readLambdaEvents(kinesis, stream, 7) };
  }

  async function applyAll(batches: readonly KinesisStreamEvent[], overrides: Partial<FlagStatusSettings> = {}) {
    for (const batch of batches) {
      const result = await updateFlagStatus(batch, settings(overrides));
      expect(result.response.batchItemFailures).toEqual([]);
    }
  }

  /**
   * A counting bug as a broken build would have left the store: every count generation 0 holds from `fromMs` on,
   * `factor` times what it should be. Written from outside the handler, as only a bug could write it.
   */
  async function countedTimes(factor: number, fromMs: number) {
    for (const node of redis instanceof Cluster ? redis.nodes('master') : [redis]) {
      for (const key of await node.keys(`${prefix}:g0:*:count:*`)) {
        if (Number(key.slice(key.lastIndexOf(':') + 1)) < fromMs) continue;
        for (const [field, count] of Object.entries(await redis.hgetall(key))) {
          await redis.hincrby(key, field, (factor - 1) * Number(count));
        }
      }
    }
  }

  /** Compares what the store answers for every flag with the reference, field by field. */
  async function expectStoreToMatch(acknowledged: readonly Payload[]) {
    for (const [id, expected] of expectedFlags(acknowledged)) {
      const [environmentId, flag] = id.split('/') as [string, string];
      const report = await readFlag(redis, prefix, { environmentId, flag, fromMs: T - 30 * HOUR, toMs: T + 4 * HOUR });
      expect({ flag: id, perMinute: report.perMinute }).toEqual({ flag: id, perMinute: expected.perMinute });
      expect({ flag: id, perHour: report.perHour }).toEqual({ flag: id, perHour: expected.perHour });
      const { order, ...last } = expected.last!;
      expect({ flag: id, order, last: report.last }).toEqual({ flag: id, order, last });
      for (const [day, contexts] of Object.entries(expected.contextsByDay)) {
        // HyperLogLog: exact for these few members in practice; allow its 0.81% standard error anyway.
        expect(Math.abs(report.dailyContexts[day]! - contexts.size)).toBeLessThanOrEqual(
          Math.ceil(contexts.size * 0.03),
        );
      }
    }
  }

  it('holds exactly what the reference computes: counts by minute and hour, last evaluation, distinct contexts', async () => {
    // given
    const payloads = payloadsAround(T - HOUR, 40, 'p');
    const { batches } = await streamOf(payloads);

    // when
    await applyAll(batches);

    // then
    await expectStoreToMatch(payloads);
  });

  it('applies a 900 KB event, alone in its record, like any other', async () => {
    // given: the newest evaluation of one flag carries a 900 KB JSON value (random base64, so compression leaves a
    // record of more than 600 KB)
    const payloads = payloadsAround(T - HOUR, 6, 'large');
    const last = payloads[5]!;
    const large = {
      ...featureEvent(7, 13, 3),
      creationDate: last.receivedAtMs - 500,
      value: { blob: randomBytes(675_000).toString('base64') },
    };
    payloads[5] = { ...last, events: [...last.events, large] };
    const { batches } = await streamOf(payloads);

    // when
    await applyAll(batches);

    // then
    expect(
      Math.max(...batches.flatMap((b) => b.Records.map((r) => Buffer.from(r.kinesis.data, 'base64').length))),
    ).toBeGreaterThan(600_000);
    await expectStoreToMatch(payloads);
  });

  it('applies a batch naming more keys than one script call takes, in parts, each event once, on a retry too', async () => {
    // given: a day of summaries, one a minute, each of a hundred flags: more distinct keys than one call can take
    // as arguments (past what the JavaScript stack holds)
    const MINUTE = 60_000;
    const payloads = Array.from({ length: 4 }, (_, p) => ({
      environmentId: 'env-a',
      payloadId: `spread-${p}`,
      receivedAtMs: T,
      events: Array.from({ length: 360 }, (_, i) => {
        const endDate = T - (p * 360 + i + 1) * MINUTE;
        const features = Object.fromEntries(
          Array.from({ length: 100 }, (_, f) => [
            `spread-${f}`,
            { default: false, counters: [{ value: true, variation: 1, version: 3, count: 1 + ((i + f) % 5) }] },
          ]),
        );
        return { kind: 'summary', startDate: endDate - 10_000, endDate, features };
      }),
    }));
    const stream = `flag-status-${streamCount++}`;
    await kinesis.createStream(stream, 1);
    await writePayloads(kinesis, stream, payloads);
    const batches = await readLambdaEvents(kinesis, stream, 100);
    expect(batches).toHaveLength(1);
    const { writes } = collectFlagStatusWrites(
      batches.flatMap((batch) => decodeKinesisBatch(batch).records),
      { prefix, ttls: DEFAULT_TTLS, clock: new EventClock(), writer: { generation: 0, fromMs: 0 }, generations: [] },
    );
    const keyReferences =
      writes.counted.reduce((sum, [, , increments]) => sum + 1 + increments.length, 0) +
      writes.last.length +
      writes.pfadd.length +
      writes.expire.length;
    expect(keyReferences).toBeGreaterThan(MAX_KEY_REFERENCES_PER_SCRIPT);

    // when: applied, then retried as Lambda does
    await applyAll(batches);
    await applyAll(batches);

    // then
    await expectStoreToMatch(payloads);
  });

  it('counts each event once through every kind of duplicate: a Lambda retry, a write whose answer was lost, a payload sent to two API instances', async () => {
    // given: the same records written twice (new sequence numbers), and the same payloads packed again elsewhere
    const payloads = payloadsAround(T - HOUR, 30, 'dup');
    const stream = `flag-status-${streamCount++}`;
    await kinesis.createStream(stream, 1);
    const records = await writePayloads(kinesis, stream, payloads);
    await writeRecords(kinesis, stream, records);
    await writePayloads(kinesis, stream, [...payloads].reverse());
    const batches = await readLambdaEvents(kinesis, stream, 11);
    const recordIds = new Set(batches.flatMap((b) => b.Records.map((r) => r.kinesis.data)));
    expect(recordIds.size).toBeLessThan(batches.reduce((sum, b) => sum + b.Records.length, 0));

    // when: every batch applied, and the first one retried as Lambda does
    await applyAll(batches);
    const retried = await updateFlagStatus(batches[0]!, settings());

    // then
    expect(retried.duplicateEvents).toBeGreaterThan(0);
    await expectStoreToMatch(payloads);
  });

  it('sets aside a poison record with its bytes, clamps events dated 1970 and 2100, and applies the rest', async () => {
    // given
    const receivedAtMs = T - HOUR / 2;
    const payloads: Payload[] = [
      ...payloadsAround(T - HOUR, 6, 'ok'),
      {
        environmentId: 'env-a',
        payloadId: 'clock-skewed',
        receivedAtMs,
        events: [
          { ...featureEvent(1, 13, 3), creationDate: 4_102_444_800_000 },
          { ...featureEvent(2, 13, 3), creationDate: 1 },
          summaryAt(9e15, 'flag-0', 5, 5),
        ],
      },
    ];
    const { batches } = await streamOf(payloads);
    const all: KinesisStreamEvent = { Records: batches.flatMap((batch) => batch.Records) };
    const poisoned = withPoisonRecord(all, 2);

    // when
    const result = await updateFlagStatus(poisoned, settings());

    // then: the shard moves on, the poison is kept whole, and every other record matches the reference
    expect(result.response.batchItemFailures).toEqual([]);
    expect(result.clampedEvents).toBe(3);
    const kept = (await readFile(join(poisonDirectory, `${prefix}.jsonl`), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as PoisonEntry);
    expect(kept).toHaveLength(1);
    expect(kept[0]!.sequenceNumber).toBe(poisoned.Records[2]!.kinesis.sequenceNumber);
    expect(Buffer.from(kept[0]!.data, 'base64').toString()).toBe('not a protobuf batch');
    const lost = decodeRecordWithId(Buffer.from(all.Records[2]!.kinesis.data, 'base64'));
    const lostPayloads = new Set(lost.events.map((event) => event.envelope.payloadId));
    await expectStoreToMatch(payloads.filter((payload) => !lostPayloads.has(payload.payloadId)));
  });

  it('reports every record while Redis is unreachable, and applies each event once after it returns', async () => {
    // given: a client whose server is gone (nothing listens on port 1)
    const payloads = payloadsAround(T - HOUR, 12, 'outage');
    const { batches } = await streamOf(payloads);
    const unreachable = redisClient({ url: 'redis://127.0.0.1:1', connectTimeoutMs: 200, commandTimeoutMs: 200 });
    unreachable.on('error', () => undefined);
    try {
      // when
      const failed = await updateFlagStatus(batches[0]!, settings({ redis: unreachable }));
      await applyAll(batches);
      await applyAll(batches);

      // then
      expect(failed.response.batchItemFailures).toHaveLength(batches[0]!.Records.length);
      expect(failed.storeErrors[0]).toBeTruthy();
      await expectStoreToMatch(payloads);
    } finally {
      unreachable.disconnect();
    }
  });

  it('repairs with a replay: a counting bug after T is rebuilt exactly, values before T stay as they were, and reads switch only once caught up', async () => {
    // given: an hour before T applied by good code, then the bug applying the hour after T. (No summary received
    // after T is dated before it: such a late event's bucket belongs to the old generation, which keeps it as applied.)
    const before = payloadsAround(T - HOUR, 20, 'before').filter((p) => p.receivedAtMs < T);
    const after = payloadsAround(T + 5_000, 20, 'after', false);
    const { batches: beforeBatches } = await streamOf(before);
    const { batches: afterBatches } = await streamOf(after.slice(0, 7), after.slice(7));
    await applyAll(beforeBatches);
    await applyAll(afterBatches);
    await countedTimes(3, T);
    await expect(expectStoreToMatch([...before, ...after])).rejects.toThrow();
    const flag0Before = await readFlag(redis, prefix, {
      environmentId: 'env-a',
      flag: 'flag-1',
      fromMs: T - 4 * HOUR,
      toMs: T - 1,
    });

    // when: the fixed build replays from T as generation 1, first with a catch-up still to do, then caught up
    const replay = { generation: { generation: 1, fromMs: T } };
    // (a slack of 1 ms: caught up means as new as the live generation, not merely recent)
    const firstHalf = await updateFlagStatus(afterBatches[0]!, settings({ ...replay, catchUpSlackMs: 1 }));
    const stillOld = await readFlag(redis, prefix, {
      environmentId: 'env-a',
      flag: 'flag-1',
      fromMs: T,
      toMs: T + HOUR,
    });
    let switched: number | undefined;
    for (const batch of afterBatches) {
      const result = await updateFlagStatus(batch, settings({ ...replay, catchUpSlackMs: 1 }));
      switched ??= result.switchedGeneration;
    }
    // and the old generation, still running during the deploy, applies the same records again
    await applyAll(afterBatches);

    // then
    expect(firstHalf.switchedGeneration).toBeUndefined();
    expect(stillOld.liveGeneration).toBe(0);
    expect(switched).toBe(1);
    await expectStoreToMatch([...before, ...after]);
    expect(
      await readFlag(redis, prefix, { environmentId: 'env-a', flag: 'flag-1', fromMs: T - 4 * HOUR, toMs: T - 1 }),
    ).toMatchObject({ perMinute: flag0Before.perMinute, perHour: flag0Before.perHour });

    // when: the same replay runs again
    await applyAll(afterBatches, { generation: replay.generation });

    // then
    await expectStoreToMatch([...before, ...after]);
  });
});
