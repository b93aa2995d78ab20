import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { KinesisClient, PutRecordsCommand, PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { encodeEnvelope, encodePayloadEvents } from '../../codec/event-codec';
import { readSdkPayload } from '../../producer/sdk-events';
import {
  DEFAULT_RECORD_DATA_BYTE_CAP,
  fullJitterBackoffMs,
  KinesisWriter,
  KinesisWriterOptions,
} from '../../producer/kinesis-writer';
import { kinesisClient } from '../../producer/producer';
import { ProducerMetrics } from '../../producer/producer-metrics';
import { SpillFileContent, SpillStore } from '../../producer/spill-store';
import { startFaultyKinesisProxy } from '../support/faulty-kinesis-proxy';
import { writeDamagedSpillFiles } from '../support/damaged-spill';
import { eventually } from '../support/eventually';
import { startLocalKinesis, LocalKinesis } from '../support/local-kinesis';
import { mixedPayload } from '../support/sdk-payloads';
import { packPayloads } from '../support/stream-events';

/**
 * A real spill store whose reads wait at a gate the test opens: a disk slow at exactly the wrong moment cannot be
 * provoked for real, so the gate stands for it.
 */
class GatedSpillStore extends SpillStore {
  private openGate = () => {};
  private readonly gate = new Promise<void>((resolve) => (this.openGate = resolve));
  private reportReading = () => {};
  /** Resolves once a read is waiting at the gate. */
  readonly reading = new Promise<void>((resolve) => (this.reportReading = resolve));

  open(): void {
    this.openGate();
  }

  override async read(name: string): Promise<SpillFileContent> {
    this.reportReading();
    await this.gate;
    return super.read(name);
  }
}

/** A real client whose PutRecords calls are recorded on their way out: entries, calls in flight, and their ends. */
function observedClient(client: KinesisClient) {
  const calls: PutRecordsRequestEntry[][] = [];
  const answers: Promise<unknown>[] = [];
  let inFlight = 0;
  let peakInFlight = 0;
  const observed = {
    send: (command: PutRecordsCommand) => {
      if (!(command instanceof PutRecordsCommand)) return client.send(command);
      calls.push(command.input.Records!);
      peakInFlight = Math.max(peakInFlight, ++inFlight);
      const answer = client.send(command).finally(() => inFlight--);
      answers.push(answer.catch(() => undefined));
      return answer;
    },
  } as unknown as KinesisClient;
  return {
    client: observed,
    calls,
    peakInFlight: () => peakInFlight,
    /** Resolves once every call made so far has its answer and the writer has acted on it. */
    answered: async () => {
      await Promise.all(answers);
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

function envelopeFor(environmentId: string, payloadId: string): Uint8Array {
  return encodeEnvelope({
    environmentId,
    receivedAtMs: 1_795_000_000_000,
    payloadId,
    sdkName: 'NodeJSClient',
    sdkVersion: '9.0.0',
    endpoint: 1,
  });
}

const recordBytes = (entry: PutRecordsRequestEntry) => entry.Data!.length + Buffer.byteLength(entry.PartitionKey!);

/** A real spill store that counts how often its folder is listed: the spill timer lists it on every pass. */
class ListCountingSpillStore extends SpillStore {
  lists = 0;

  override async list(): Promise<string[]> {
    this.lists++;
    return super.list();
  }
}

describe('full-jitter backoff', () => {
  it('waits a random share of a ceiling that doubles from the base with each attempt, up to the maximum', () => {
    const halfway = () => 0.5;
    expect([1, 2, 3, 6, 7, 20].map((attempts) => fullJitterBackoffMs(attempts, 100, 5_000, halfway))).toEqual([
      50, 100, 200, 1_600, 2_500, 2_500,
    ]);
    expect(fullJitterBackoffMs(3, 100, 5_000, () => 0)).toBe(0);
  });
});

describe('the Kinesis writer', () => {
  let kinesis: LocalKinesis;
  let directory: string;

  beforeAll(async () => {
    kinesis = await startLocalKinesis();
  });

  afterAll(async () => {
    await kinesis.close();
  });

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'writer-spill-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  /** A started writer whose spill timer is reading, at a gate the test opens, a file another instance handed over. */
  async function writerReadingHandedOverFile(streamName: string) {
    await kinesis.createStream(streamName, 1);
    const spill = new GatedSpillStore(directory);
    const { writer } = writerFor({ streamName, spill, spillRetryIntervalMs: 20 });
    await writer.start();
    const records = packPayloads([{ environmentId: `env-${streamName}`, events: mixedPayload(0, 40) }]);
    await new SpillStore(directory).write(records.map((data) => ({ data, eventCount: 40 })));
    await spill.reading;
    return { writer, spill, records };
  }

  it('lets a drain wait for the spill pass its timer began, so those records reach the stream before it returns', async () => {
    // given: a running writer, then a spill file another instance handed over, read slowly by the timer's pass
    const { writer, spill, records } = await writerReadingHandedOverFile('writer-drain');

    // when: the drain begins while the pass is still reading
    const drained = writer.drain(10_000);
    setTimeout(() => spill.open(), 100);
    const { spilledRecords } = await drained;

    // then: the pass's records are in the stream and their file gone by the time the drain says it is done
    expect(spilledRecords).toBe(0);
    expect((await kinesis.readAll('writer-drain')).records).toEqual(records);
    expect(await spill.list()).toEqual([]);
  });

  it('lets a flush wait for the spill pass its timer began, so those records are in the stream when it returns', async () => {
    // given: a running writer with nothing held, and a spill file another instance handed over, read slowly by the
    // timer's pass
    const { writer, spill, records } = await writerReadingHandedOverFile('writer-flush');

    // when: the flush begins while the pass is still reading
    const flushed = writer.flush(10_000);
    setTimeout(() => spill.open(), 100);

    // then
    expect(await flushed).toBe(true);
    expect((await kinesis.readAll('writer-flush')).records).toEqual(records);
    expect(await spill.list()).toEqual([]);
    await writer.drain(1_000);
  });

  it('puts at most 500 records a call, and counts exactly what the stream then holds', async () => {
    // given: small records, one call in flight at a time, and every PutRecords call observed on its way to kinesalite
    await kinesis.createStream('writer-counts', 2);
    const observed = observedClient(kinesis.client);
    const { writer, metrics } = writerFor({
      client: observed.client,
      streamName: 'writer-counts',
      recordByteCap: 300,
      recordCompression: 'none',
      maxPutsInFlight: 1,
      lingerMs: 1,
    });
    await writer.start();
    const payloads = Array.from({ length: 300 }, (_, p) => mixedPayload(p * 8, 8));

    // when
    for (const [p, events] of payloads.entries()) {
      const envelope = envelopeFor('env-counts', `payload-${p}`);
      expect(writer.accept(envelope, encodePayloadEvents(readSdkPayload(events).events))).toBe('accepted');
    }
    await writer.drain(30_000);

    // then: calls within the API's limit and one at a time, and counters that are the stream's own figures
    const recordsPerCall = observed.calls.map((call) => call.length);
    const stream = await kinesis.readRecords('writer-counts');
    const data = stream.flatMap((shard) => shard.data);
    const keys = stream.flatMap((shard) => shard.partitionKeys);
    expect(Math.max(...recordsPerCall)).toBe(500);
    expect(observed.peakInFlight()).toBe(1);
    // The cap is of data and partition key together.
    expect(Math.max(...data.map((record, i) => record.length + Buffer.byteLength(keys[i]!)))).toBeLessThanOrEqual(300);
    expect(recordsPerCall.reduce((sum, count) => sum + count, 0)).toBe(data.length);
    expect(metrics.counters).toMatchObject({
      putRequests: recordsPerCall.length,
      recordsPut: data.length,
      bytesPut: data.reduce((sum, record) => sum + record.length, 0),
      eventsPut: payloads.flat().length,
      // A PUT payload unit is each started 25 KB of a record, its partition key included (Kinesis pricing).
      putPayloadUnits: data.reduce(
        (sum, record, i) => sum + Math.ceil((record.length + Buffer.byteLength(keys[i]!)) / 25_000),
        0,
      ),
    });
    expect((await kinesis.readAll('writer-counts')).events).toHaveLength(payloads.flat().length);
  });

  /** A writer with fresh counters (and a fresh spill store unless given one), every failure it reports in `reports`. */
  function writerFor(options: Partial<KinesisWriterOptions> & Pick<KinesisWriterOptions, 'streamName'>) {
    const reports: string[] = [];
    const spill = options.spill ?? new SpillStore(directory);
    const metrics = new ProducerMetrics();
    const writer = new KinesisWriter({
      client: kinesis.client,
      spill,
      metrics,
      onError: (message) => reports.push(message),
      ...options,
    });
    return { writer, spill, metrics, reports };
  }

  /** A client straight to kinesalite that, like the producer's, leaves every retry to the writer. */
  const writerClient = (endpoint: string) => kinesisClient({ maxSockets: 4, endpoint, local: true });

  const payloadEvents = (count: number) => encodePayloadEvents(readSdkPayload(mixedPayload(0, count)).events);

  it('refuses a buffer that cannot hold four records, naming the option', () => {
    const options = { streamName: 'writer-unused', recordByteCap: 1_000 };
    expect(() => writerFor({ ...options, maxBufferBytes: 3_999 })).toThrow(
      new RangeError('maxBufferBytes must hold at least four records'),
    );
    expect(() => writerFor({ ...options, maxBufferBytes: 4_000 })).not.toThrow();
  });

  it('takes a payload that fills its buffer exactly, refuses one a byte over, and takes nothing once draining', async () => {
    // given: two writers whose buffers are a payload's documented cost and one byte less, and a linger that never ends
    await kinesis.createStream('writer-limit', 1);
    const events = payloadEvents(100);
    const envelope = envelopeFor('env-limit', 'payload-limit');
    // What a payload costs the buffer: its envelope, and each event's bytes plus at most 8 of framing.
    const cost = envelope.length + events.reduce((sum, event) => sum + event.length + 8, 0);
    const limited = (maxBufferBytes: number) =>
      writerFor({
        streamName: 'writer-limit',
        recordByteCap: Math.floor((cost - 1) / 4),
        recordCompression: 'none',
        maxBufferBytes,
        lingerMs: 60_000,
      }).writer;
    const exact = limited(cost);
    const short = limited(cost - 1);

    // when, then
    expect(short.accept(envelope, events)).toBe('buffer_full');
    expect(short.bufferedBytes).toBe(0);
    expect(exact.accept(envelope, events)).toBe('accepted');
    expect(exact.bufferedBytes).toBeGreaterThan(0);
    expect(exact.bufferedBytes).toBeLessThanOrEqual(cost);
    const drained = exact.drain(10_000);
    expect(exact.accept(envelope, events)).toBe('draining');
    expect(await drained).toEqual({ spilledRecords: 0 });
    expect(exact.bufferedBytes).toBe(0);
    expect((await kinesis.readAll('writer-limit')).events).toHaveLength(100);
  });

  it('counts the open record in its buffered bytes, and lets a record closed early drop the space it was packed in', async () => {
    // given: a record far larger than one payload, left open, uncompressed so every event's bytes are in it
    await kinesis.createStream('writer-open', 1);
    const observed = observedClient(kinesis.client);
    const { writer } = writerFor({
      streamName: 'writer-open',
      client: observed.client,
      recordCompression: 'none',
      lingerMs: 60_000,
    });
    const events = payloadEvents(20);

    // when
    writer.accept(envelopeFor('env-open', 'payload-open'), events);

    // then
    expect(writer.bufferedBytes).toBeGreaterThanOrEqual(events.reduce((sum, event) => sum + event.length, 0));
    await writer.drain(10_000);
    expect(writer.bufferedBytes).toBe(0);
    const [sent] = observed.calls.flat();
    expect(sent!.Data!.length).toBeLessThan(DEFAULT_RECORD_DATA_BYTE_CAP / 4);
    // A copy of a record this small comes from Node's 8 KiB buffer pool, not the 25 KB the record was packed in.
    expect(sent!.Data!.buffer.byteLength).toBeLessThanOrEqual(Buffer.poolSize);
  });

  it('ends a call before it passes 5 MiB, partition keys included', async () => {
    // given: 300 full records (opaque bytes to the writer) in a spill file, so that all are queued at start at once
    await kinesis.createStream('writer-bytes', 2);
    const records = Array.from({ length: 300 }, () => randomBytes(DEFAULT_RECORD_DATA_BYTE_CAP));
    await new SpillStore(directory).write(records.map((data) => ({ data, eventCount: 1 })));
    const observed = observedClient(kinesis.client);
    const { writer } = writerFor({ streamName: 'writer-bytes', client: observed.client });

    // when
    await writer.start();
    expect(await writer.flush(60_000)).toBe(true);
    await writer.drain(1_000);

    // then: no call over the limit, and the first, which had all 300 to choose from, as full as the limit allows
    const fiveMiB = 5 * 1024 * 1024;
    const callBytes = observed.calls.map((call) => call.reduce((sum, entry) => sum + recordBytes(entry), 0));
    expect(Math.max(...callBytes)).toBeLessThanOrEqual(fiveMiB);
    expect(callBytes[0]! + recordBytes(observed.calls[1]![0]!)).toBeGreaterThan(fiveMiB);
    const stored = (await kinesis.readRecords('writer-bytes')).flatMap((shard) => shard.data);
    const sortedHex = (buffers: Buffer[]) => buffers.map((buffer) => buffer.toString('hex')).sort();
    expect(sortedHex(stored)).toEqual(sortedHex(records));
  });

  it('tries a record maxAttempts times, reporting each failure, then spills it, and sends it once Kinesis is back', async () => {
    // given: every call failing, three attempts a record, and a spill timer too slow to take part
    await kinesis.createStream('writer-attempts', 1);
    const proxy = await startFaultyKinesisProxy(kinesis.endpoint, 1);
    proxy.faults.outage = true;
    const { writer, spill, metrics, reports } = writerFor({
      streamName: 'writer-attempts',
      client: writerClient(proxy.endpoint),
      maxAttempts: 3,
      baseBackoffMs: 1,
      maxBackoffMs: 2,
      lingerMs: 1,
      spillRetryIntervalMs: 60_000,
    });
    try {
      await writer.start();

      // when
      expect(writer.accept(envelopeFor('env-attempts', 'payload-attempts'), payloadEvents(40))).toBe('accepted');
      await eventually(
        () => metrics.counters.recordsSpilled,
        (spilled) => spilled === 1,
      );

      // then: three calls, two retries, one record on disk and none counted as put
      expect(proxy.stats.putCalls).toBe(3);
      expect(metrics.counters).toMatchObject({ putRequests: 3, putRequestErrors: 3, recordRetries: 2, recordsPut: 0 });
      expect(reports).toEqual(Array(3).fill('PutRecords failed; retrying its records'));
      expect(await spill.list()).toHaveLength(1);
      expect(writer.bufferedBytes).toBe(0);

      // when Kinesis is back, then the spilled record is sent, once
      proxy.faults.outage = false;
      expect(await writer.flush(10_000)).toBe(true);
      expect(metrics.counters).toMatchObject({ recordsReplayedFromSpill: 1, recordsPut: 1 });
      expect((await kinesis.readAll('writer-attempts')).events).toHaveLength(40);
      expect(await spill.list()).toEqual([]);
    } finally {
      await writer.drain(1_000);
      await proxy.close();
    }
  });

  it('reports a stream it cannot write once, naming it and the fix, until a put succeeds', async () => {
    // given: a stream that does not exist yet
    const { writer, metrics, reports } = writerFor({
      streamName: 'writer-missing',
      client: writerClient(kinesis.endpoint),
      maxAttempts: 3,
      baseBackoffMs: 1,
      maxBackoffMs: 2,
      lingerMs: 1,
      spillRetryIntervalMs: 60_000,
    });
    await writer.start();

    // when
    writer.accept(envelopeFor('env-missing', 'payload-missing'), payloadEvents(40));
    await eventually(
      () => metrics.counters.recordsSpilled,
      (spilled) => spilled === 1,
    );

    // then: three failed calls and one report, which routing health repeats until the stream is there
    const problem =
      'Kinesis stream writer-missing cannot be written (ResourceNotFoundException): the stream does not exist: ' +
      'check STREAM_NAME, AWS_REGION and AWS_ENDPOINT_URL_KINESIS';
    expect(metrics.counters.putRequestErrors).toBe(3);
    expect(reports).toEqual([problem]);
    expect(writer.cannotReachKinesis).toBe(problem);
    await kinesis.createStream('writer-missing', 1);
    expect(await writer.flush(10_000)).toBe(true);
    expect(writer.cannotReachKinesis).toBeUndefined();
    expect((await kinesis.readAll('writer-missing')).events).toHaveLength(40);
    await writer.drain(1_000);
  });

  it.each([
    ['is answered', false],
    ['fails', true],
  ])(
    'leaves alone a call that %s after the drain deadline spilled its records: neither counted nor retried',
    async (_, outage) => {
      // given: a call held by the proxy past the drain's deadline
      const streamName = `writer-late-${outage ? 'failing' : 'answered'}`;
      await kinesis.createStream(streamName, 1);
      const proxy = await startFaultyKinesisProxy(kinesis.endpoint, 1);
      const release = proxy.stall();
      const observed = observedClient(writerClient(proxy.endpoint));
      const { writer, spill, metrics, reports } = writerFor({ streamName, client: observed.client, lingerMs: 1 });
      try {
        await writer.start();
        expect(writer.accept(envelopeFor('env-late', 'payload-late'), payloadEvents(40))).toBe('accepted');
        await eventually(
          () => proxy.stats.putCalls,
          (calls) => calls === 1,
        );
        expect(await writer.drain(50)).toEqual({ spilledRecords: 1 });

        // when: the call ends after all
        proxy.faults.outage = outage;
        release();
        await observed.answered();

        // then: the spill file is the record's one account (a copy in the stream too is a duplicate, not a loss)
        expect(metrics.counters).toMatchObject({
          putRequests: 1,
          putRequestErrors: 0,
          recordRetries: 0,
          recordsPut: 0,
          recordsSpilled: 1,
        });
        expect(writer.bufferedBytes).toBe(0);
        expect(reports).toEqual([]);
        expect(await spill.list()).toHaveLength(1);
      } finally {
        await proxy.close();
      }
    },
  );

  it('quarantines each damaged spill file at start, saying what was wrong with it and where its whole records went', async () => {
    // given: a spill file cut inside its third record, a crash's temporary file with two whole records, and a file
    // too short to hold one
    await kinesis.createStream('writer-damaged', 1);
    const { truncated, truncatedBytes, crashed } = await writeDamagedSpillFiles(directory, 'env-damaged');
    const stub = await new SpillStore(directory).write([]);
    await writeFile(join(directory, stub), Buffer.from([0, 0, 1]));
    const { writer, reports, metrics } = writerFor({ streamName: 'writer-damaged' });

    // when
    await writer.start();
    expect(await writer.flush(10_000)).toBe(true);

    // then
    const keptIn = 'kept in spill-\\d+-\\d+-\\d+\\.bin, the file moved to quarantine$';
    expect(reports).toHaveLength(3);
    expect(reports).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^\\.${crashed}\\.tmp was left mid-write; 2 whole records ${keptIn}`)),
        expect.stringMatching(
          new RegExp(
            `^spill file ${truncated} is truncated at byte \\d+ of ${truncatedBytes}; 2 whole records ${keptIn}`,
          ),
        ),
        `spill file ${stub} is truncated at byte 0 of 3; 0 whole records kept, the file moved to quarantine`,
      ]),
    );
    expect(metrics.counters.spillFilesQuarantined).toBe(3);
    expect((await kinesis.readAll('writer-damaged')).events).toHaveLength(4 * 40);
    await writer.drain(1_000);
  });

  it('leaves spilled records on disk while its buffer is over half full', async () => {
    // given: more than half its buffer in records whose calls the proxy holds, and then another instance's spill file
    await kinesis.createStream('writer-half-full', 1);
    const proxy = await startFaultyKinesisProxy(kinesis.endpoint, 1);
    const release = proxy.stall();
    const spill = new ListCountingSpillStore(directory);
    const { writer, metrics } = writerFor({
      client: writerClient(proxy.endpoint),
      streamName: 'writer-half-full',
      spill,
      recordCompression: 'none',
      maxBufferBytes: 100_000,
      spillRetryIntervalMs: 10,
    });
    try {
      await writer.start();
      const events = payloadEvents(50);
      for (let p = 0; writer.bufferedBytes <= 50_000; p++) {
        expect(writer.accept(envelopeFor('env-half-full', `payload-${p}`), events)).toBe('accepted');
      }
      const handedOver = packPayloads([{ environmentId: 'env-handed-over', events: mixedPayload(0, 40) }]);
      await new SpillStore(directory).write(handedOver.map((data) => ({ data, eventCount: 40 })));

      // when: the spill timer has looked at the folder three times since
      const listsBefore = spill.lists;
      await eventually(
        () => spill.lists,
        (lists) => lists >= listsBefore + 3,
      );

      // then: the file waits, and once Kinesis answers it is sent too
      expect(metrics.counters.recordsReplayedFromSpill).toBe(0);
      release();
      expect(await writer.flush(10_000)).toBe(true);
      expect(metrics.counters.recordsReplayedFromSpill).toBe(1);
      expect(await spill.list()).toEqual([]);
    } finally {
      release();
      await writer.drain(1_000);
      await proxy.close();
    }
  });

  it('removes an empty spill file it finds at start', async () => {
    const { writer, spill } = writerFor({ streamName: 'writer-unused' });
    await spill.write([]);
    expect(await spill.list()).toHaveLength(1);
    await writer.start();
    expect(await spill.list()).toEqual([]);
    await writer.drain(1_000);
  });
});
