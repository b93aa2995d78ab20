import { kinesisClient, RunningProducer } from '../../producer/producer';
import { ProducerConfig } from '../../producer/producer-config';
import { KinesisFaults, startFaultyKinesisProxy } from '../support/faulty-kinesis-proxy';
import { startLocalKinesis, LocalKinesis } from '../support/local-kinesis';
import { postEvents, startTestProducer } from '../support/producer-harness';
import { mixedPayload } from '../support/sdk-payloads';

type Proxy = Awaited<ReturnType<typeof startFaultyKinesisProxy>>;

const NO_FAULTS: Omit<KinesisFaults, 'shardBytesPerSecond'> = {
  throttlePerShard: false,
  requestErrorRate: 0,
  entryFailureRate: 0,
  dropConnectionRate: 0,
  outage: false,
  loseAnswers: 0,
};

/** Posts payloads of 50 events, a few at a time, and returns the creation dates of every event answered 202. */
async function offerLoad(
  url: string,
  payloads: number,
  firstSequence = 0,
): Promise<{ accepted: number[]; statuses: number[] }> {
  const accepted: number[] = [];
  const statuses: number[] = [];
  for (let p = 0; p < payloads; p += 8) {
    const batch = Array.from({ length: Math.min(8, payloads - p) }, (_, i) =>
      mixedPayload(firstSequence + (p + i) * 50, 50),
    );
    const answers = await Promise.all(batch.map((payload) => postEvents(url, payload)));
    answers.forEach((answer, i) => {
      statuses.push(answer.status);
      if (answer.status === 202) accepted.push(...batch[i]!.map((event) => event.creationDate));
    });
  }
  return { accepted, statuses };
}

describe('Kinesis writer under injected faults', () => {
  let kinesis: LocalKinesis;
  let proxy: Proxy;
  let streamNumber = 0;
  let stream: string;
  const producers: RunningProducer[] = [];

  beforeAll(async () => {
    kinesis = await startLocalKinesis();
  });

  afterAll(async () => {
    await kinesis.close();
  });

  async function setUp(shards: number, faults: Partial<KinesisFaults>, overrides: Partial<ProducerConfig> = {}) {
    stream = `faults-${++streamNumber}`;
    await kinesis.createStream(stream, shards);
    proxy = await startFaultyKinesisProxy(kinesis.endpoint, shards);
    Object.assign(proxy.faults, faults);
    const producer = await startTestProducer(
      kinesisClient({ maxSockets: 16, endpoint: proxy.endpoint }),
      stream,
      overrides,
    );
    producers.push(producer);
    return producer;
  }

  afterEach(async () => {
    for (const producer of producers.splice(0)) await producer.drainAndStop();
    await proxy.close();
  });

  async function expectExactlyOnce(producer: RunningProducer, accepted: number[]) {
    Object.assign(proxy.faults, NO_FAULTS);
    expect(await producer.writer.flush(30_000)).toBe(true);
    const stored = (await kinesis.readAll(stream)).events.map((e) => Number(e.event.creationDateMs));
    expect(stored.sort((a, b) => a - b)).toEqual([...accepted].sort((a, b) => a - b));
  }

  it('drops nothing when PutRecords partially fails', async () => {
    const producer = await setUp(2, { entryFailureRate: 0.3 });
    const { accepted } = await offerLoad(producer.url, 80);
    expect(accepted).toHaveLength(80 * 50);
    await expectExactlyOnce(producer, accepted);
    expect(proxy.stats.entriesFailed).toBeGreaterThan(0);
    expect(producer.metrics.counters.recordRetries).toBeGreaterThanOrEqual(proxy.stats.entriesFailed);
  });

  it('drops nothing under random 500s and cut connections', async () => {
    const producer = await setUp(2, { requestErrorRate: 0.3, dropConnectionRate: 0.2 });
    const { accepted } = await offerLoad(producer.url, 80);
    await expectExactlyOnce(producer, accepted);
    expect(proxy.stats.callsFailed).toBeGreaterThan(0);
    expect(proxy.stats.connectionsDropped).toBeGreaterThan(0);
    expect(producer.metrics.counters.putRequestErrors).toBe(proxy.stats.callsFailed + proxy.stats.connectionsDropped);
  });

  it('drops nothing when the per-shard write limits throttle it', async () => {
    // given: one shard at a quarter of its 1 MiB/s, so ~1 MB offered in a second or two saturates it on any machine;
    // records that fail 3 attempts spill and are offered again
    const producer = await setUp(
      1,
      { throttlePerShard: true, shardBytesPerSecond: 256 * 1024 },
      { maxAttempts: 3, spillRetryIntervalMs: 200 },
    );

    // when
    const { accepted } = await offerLoad(producer.url, 300);

    // then
    await expectExactlyOnce(producer, accepted);
    expect(proxy.stats.entriesThrottled).toBeGreaterThan(0);
    expect(producer.metrics.counters.recordsThrottled).toBe(proxy.stats.entriesThrottled);
  });

  it('holds memory under its cap through an outage, answers 503, and loses nothing', async () => {
    // given: a 1 MiB buffer and attempts that outlast the outage, so the memory cap alone holds the line
    const producer = await setUp(2, { outage: true }, { maxBufferBytes: 1024 * 1024, maxAttempts: 10_000 });
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, producer.writer.bufferedBytes)), 1);

    // when
    const { accepted, statuses } = await offerLoad(producer.url, 400);
    const health = await fetch(`${producer.url}/health`);
    clearInterval(sampler);

    // then
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
    expect(health.status).toBe(503);
    expect(peak).toBeLessThanOrEqual(1024 * 1024);
    expect(peak).toBeGreaterThan(512 * 1024);
    expect(producer.metrics.counters.recordsPut).toBe(0);
    await expectExactlyOnce(producer, accepted);
  });

  it('spills what it cannot write by the drain deadline and sends it first at the next start', async () => {
    // given
    const producer = await setUp(2, { outage: true }, { drainDeadlineMs: 300, maxAttempts: 10_000 });
    const { accepted } = await offerLoad(producer.url, 20);

    // when
    producers.splice(0);
    const { spilledRecords } = await producer.drainAndStop();
    Object.assign(proxy.faults, NO_FAULTS);
    const restarted = await startTestProducer(kinesisClient({ maxSockets: 16, endpoint: proxy.endpoint }), stream, {
      spillDirectory: producer.spill.directory,
    });
    producers.push(restarted);

    // then
    expect(spilledRecords).toBeGreaterThan(0);
    await expectExactlyOnce(restarted, accepted);
    expect(restarted.metrics.counters.recordsReplayedFromSpill).toBe(spilledRecords);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await restarted.spill.list()).toEqual([]);
  });
});
