import { execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { handOffSpill, kinesisClient, RunningProducer, startProducer } from '../../producer/producer';
import { ProducerConfig } from '../../producer/producer-config';
import { KinesisFaults, startFaultyKinesisProxy } from '../support/faulty-kinesis-proxy';
import { startLocalKinesis, LocalKinesis } from '../support/local-kinesis';
import { startLocalS3 } from '../support/local-s3';
import { postEvents, startTestProducer, testProducerConfig } from '../support/producer-harness';
import { SpillStore } from '../../producer/spill-store';
import { decodeRecordWithId } from '../../codec/event-codec';
import { mixedPayload } from '../support/sdk-payloads';
import { eventually } from '../support/eventually';
import { writeDamagedSpillFiles } from '../support/damaged-spill';

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
    // Enough load for dozens of calls, so that both faults happen whatever the random draws.
    const { accepted } = await offerLoad(producer.url, 200);
    expect(accepted).toHaveLength(200 * 50);
    await expectExactlyOnce(producer, accepted);
    expect(proxy.stats.callsFailed).toBeGreaterThan(0);
    expect(proxy.stats.connectionsDropped).toBeGreaterThan(0);
    expect(producer.metrics.counters.putRequestErrors).toBe(proxy.stats.callsFailed + proxy.stats.connectionsDropped);
  });

  it('drops nothing when Kinesis writes a call but the answer is lost, and every copy it resends keeps its record id', async () => {
    // given: the first three PutRecords calls are written, then their connections cut before the answer
    const producer = await setUp(2, { loseAnswers: 3 });

    // when
    const { accepted } = await offerLoad(producer.url, 40);
    expect(await producer.writer.flush(30_000)).toBe(true);

    // then: every accepted event is in the stream; the only extra copies are whole records resent with the same id
    expect(accepted).toHaveLength(40 * 50);
    expect(proxy.stats.answersLost).toBe(3);
    const { records } = await kinesis.readAll(stream);
    const byId = new Map<string, Buffer[]>();
    for (const record of records) {
      const { recordId } = decodeRecordWithId(record);
      byId.set(recordId, [...(byId.get(recordId) ?? []), record]);
    }
    const copies = [...byId.values()].filter((each) => each.length > 1);
    expect(copies.length).toBeGreaterThan(0);
    for (const each of copies) expect(each.every((copy) => copy.equals(each[0]!))).toBe(true);
    const distinct = [...byId.values()].flatMap(([first]) => decodeRecordWithId(first!).events);
    expect(distinct.map((event) => Number(event.event.creationDateMs)).sort((a, b) => a - b)).toEqual(
      [...accepted].sort((a, b) => a - b),
    );
  });

  it('drops nothing when the per-shard write limits throttle it', async () => {
    // given: one shard at 1/32 of its 1 MiB/s, so the ~200 KB that 300 payloads compress to saturate it on any
    // machine, and some entries failing for another reason; records that fail 3 attempts spill and are offered again
    const producer = await setUp(
      1,
      { throttlePerShard: true, shardBytesPerSecond: 32 * 1024, entryFailureRate: 0.1 },
      { maxAttempts: 3, spillRetryIntervalMs: 200 },
    );

    // when
    const { accepted } = await offerLoad(producer.url, 300);

    // then
    await expectExactlyOnce(producer, accepted);
    expect(proxy.stats.entriesThrottled).toBeGreaterThan(0);
    expect(proxy.stats.entriesFailed).toBeGreaterThan(0);
    // Only throttling counts as throttling: it is what tells the operator to add shards.
    expect(producer.metrics.counters.recordsThrottled).toBe(proxy.stats.entriesThrottled);
  });

  it('holds memory under its cap through an outage, answers 503, and loses nothing', async () => {
    // given: a 256 KiB buffer (records compress about sixfold, so 400 payloads fill it) and attempts that outlast
    // the outage, so the memory cap alone holds the line
    const producer = await setUp(2, { outage: true }, { maxBufferBytes: 256 * 1024, maxAttempts: 10_000 });
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, producer.writer.bufferedBytes)), 1);

    // when
    const { accepted, statuses } = await offerLoad(producer.url, 400);
    const health = await fetch(`${producer.url}/health`);
    const live = await fetch(`${producer.url}/live`);
    clearInterval(sampler);

    // then: traffic steered away, and the instance not taken for dead (replacing it would lose what it holds)
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
    expect([health.status, live.status]).toEqual([503, 200]);
    expect(peak).toBeLessThanOrEqual(256 * 1024);
    expect(peak).toBeGreaterThan(128 * 1024);
    expect(producer.metrics.counters.recordsPut).toBe(0);
    await expectExactlyOnce(producer, accepted);
  });

  // Mounting a small filesystem needs root; CI runs as root, so there the full disk is real.
  (process.getuid?.() === 0 ? it : it.skip)(
    'keeps records in memory when the spill disk is full, never leaves a short file, and loses nothing',
    async () => {
      // given: a 128 KiB filesystem for spill files, and records that give up on Kinesis after two attempts
      const spillDirectory = await mkdtemp(join(tmpdir(), 'spill-full-'));
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=128k', 'tmpfs', spillDirectory]);
      try {
        const producer = await setUp(2, { outage: true }, { spillDirectory, maxAttempts: 2 });

        // when: load is offered during the outage until the disk has filled (100 payloads compress to about 60 KB), so
        // the test does not rest on how much a busy machine's producer takes in
        const accepted: number[] = [];
        await eventually(
          async () => {
            const offered = await offerLoad(producer.url, 100, accepted.length + 1_000_000);
            accepted.push(...offered.accepted);
            return producer.metrics.counters.spillWriteErrors;
          },
          (errors) => errors > 0,
          60_000,
        );

        // then: the disk filled, every file on it is whole, and after the outage everything arrives once
        expect(producer.metrics.counters.spillWriteErrors).toBeGreaterThan(0);
        expect(producer.metrics.counters.recordsSpilled).toBeGreaterThan(0);
        expect(accepted.length).toBeGreaterThan(0);
        for (const name of await producer.spill.list())
          expect((await producer.spill.read(name)).damage).toBeUndefined();
        expect(await producer.spill.temporaryFiles()).toEqual([]);
        await expectExactlyOnce(producer, accepted);
      } finally {
        // Stopped here, even when an expectation failed: a running producer would keep the filesystem busy. A drain
        // that finds records it can no longer spill to the full disk refuses to drop them, which it reports; that is
        // not what this test checks, and must not hide what it found.
        for (const each of producers.splice(0)) await each.drainAndStop().catch(() => undefined);
        execFileSync('umount', [spillDirectory]);
      }
    },
  );

  it('starts with a truncated spill file and a temporary file a crash left, sends their whole records, quarantines both', async () => {
    // given: three records of 40 events each in a spill file cut inside its last record, and a crash's temporary
    // file holding two more records whole
    const spillDirectory = await mkdtemp(join(tmpdir(), 'spill-damaged-'));
    const { records, truncated, crashed } = await writeDamagedSpillFiles(spillDirectory, 'env-spill');

    // when
    const producer = await setUp(2, {}, { spillDirectory });

    // then: the events of the four whole records arrive once, and both damaged files wait in quarantine
    const whole = [...records.slice(0, 2), ...records.slice(3)];
    const expected = whole.flatMap(({ data }) =>
      decodeRecordWithId(data).events.map((e) => Number(e.event.creationDateMs)),
    );
    await expectExactlyOnce(producer, expected);
    expect(producer.metrics.counters.spillFilesQuarantined).toBe(2);
    expect((await producer.spill.quarantined()).sort()).toEqual([`.${crashed}.tmp`, truncated].sort());
    expect(await producer.spill.list()).toEqual([]);
  });

  it('hands spill off at termination: drained, uploaded to S3, adopted and sent by another instance, none lost', async () => {
    // given: an instance that drains during an outage and spills, and a bucket for hand-off
    const s3 = await startLocalS3('spill-handoff');
    const spillHandoff = { bucket: 'spill-handoff', prefix: 'spill/' };
    try {
      const terminating = await setUp(2, { outage: true }, { drainDeadlineMs: 300, maxAttempts: 10_000 });
      const { accepted } = await offerLoad(terminating.url, 20);
      producers.splice(0);
      const { spilledRecords } = await terminating.drainAndStop();

      // when: the termination hook's last step, then a running instance that looks for handed-off spill
      const config = await testProducerConfig(stream, { spillDirectory: terminating.spill.directory, spillHandoff });
      const files = await handOffSpill(config, 'i-terminating', s3.client);
      Object.assign(proxy.faults, NO_FAULTS);
      const running = await startProducer(
        await testProducerConfig(stream, { spillHandoff, spillRetryIntervalMs: 50 }),
        { kinesis: kinesisClient({ maxSockets: 16, endpoint: proxy.endpoint }), s3: s3.client, log: () => undefined },
      );
      producers.push(running);
      await eventually(
        () => running.metrics.counters.recordsReplayedFromSpill,
        (replayed) => replayed >= spilledRecords,
        20_000,
      );

      // then: every accepted event once, nothing left on the terminated disk or in the bucket
      expect(spilledRecords).toBeGreaterThan(0);
      expect(files).toBeGreaterThan(0);
      expect(await terminating.spill.list()).toEqual([]);
      await expectExactlyOnce(running, accepted);
      const left = await s3.client.send(new ListObjectsV2Command({ Bucket: 'spill-handoff' }));
      expect(left.Contents ?? []).toEqual([]);
    } finally {
      for (const producer of producers.splice(0)) await producer.drainAndStop();
      await s3.close();
    }
  });

  it('sends a spill file once when it cannot be removed, however often the spill timer runs', async () => {
    // given: spilled records, and a disk that refuses to remove the file (mocked: root removes any file here)
    const producer = await setUp(2, { outage: true }, { drainDeadlineMs: 300, maxAttempts: 10_000 });
    const { accepted } = await offerLoad(producer.url, 12);
    producers.splice(0);
    const { spilledRecords } = await producer.drainAndStop();
    const remove = jest
      .spyOn(SpillStore.prototype, 'remove')
      .mockRejectedValue(Object.assign(new Error('EPERM: operation not permitted'), { code: 'EPERM' }));

    try {
      // when: restarted with the spill timer every 20 ms, and given time for many rounds of it
      Object.assign(proxy.faults, NO_FAULTS);
      const restarted = await startTestProducer(kinesisClient({ maxSockets: 16, endpoint: proxy.endpoint }), stream, {
        spillDirectory: producer.spill.directory,
        spillRetryIntervalMs: 20,
      });
      producers.push(restarted);
      await expectExactlyOnce(restarted, accepted);
      await new Promise((resolve) => setTimeout(resolve, 500));

      // then: sent once, the file still there for the next start
      expect(spilledRecords).toBeGreaterThan(0);
      expect(restarted.metrics.counters.recordsReplayedFromSpill).toBe(spilledRecords);
      expect(remove).toHaveBeenCalled();
      expect((await restarted.spill.list()).length).toBeGreaterThan(0);
      expect((await kinesis.readAll(stream)).events).toHaveLength(accepted.length);
    } finally {
      remove.mockRestore();
    }
  });

  it('spills what it cannot write by the drain deadline and sends it first at the next start, once, on a slow disk', async () => {
    // given: spilled records, and a disk whose unlink takes 50 ms (slowed here: a slow disk cannot be made for real)
    const producer = await setUp(2, { outage: true }, { drainDeadlineMs: 300, maxAttempts: 10_000 });
    const { accepted } = await offerLoad(producer.url, 20);
    const unlink = Object.getOwnPropertyDescriptor(SpillStore.prototype, 'remove')!.value as SpillStore['remove'];
    const remove = jest.spyOn(SpillStore.prototype, 'remove').mockImplementation(async function (
      this: SpillStore,
      name: string,
    ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return unlink.call(this, name);
    });

    try {
      // when
      producers.splice(0);
      const { spilledRecords } = await producer.drainAndStop();
      Object.assign(proxy.faults, NO_FAULTS);
      const restarted = await startTestProducer(kinesisClient({ maxSockets: 16, endpoint: proxy.endpoint }), stream, {
        spillDirectory: producer.spill.directory,
      });
      producers.push(restarted);
      const fresh = await offerLoad(restarted.url, 8, 1_000_000);

      // then: each spilled event went out once, before any event accepted after the restart, and the files are gone
      expect(spilledRecords).toBeGreaterThan(0);
      await expectExactlyOnce(restarted, [...accepted, ...fresh.accepted]);
      expect(restarted.metrics.counters.recordsReplayedFromSpill).toBe(spilledRecords);
      const spilled = new Set(accepted);
      for (const shard of (await kinesis.readAll(stream)).eventsByShard) {
        const times = shard.map((event) => Number(event.event.creationDateMs));
        const firstFresh = times.findIndex((time) => !spilled.has(time));
        if (firstFresh !== -1) expect(times.slice(firstFresh).filter((time) => spilled.has(time))).toEqual([]);
      }
      expect(await restarted.spill.list()).toEqual([]);
    } finally {
      remove.mockRestore();
    }
  });
});
