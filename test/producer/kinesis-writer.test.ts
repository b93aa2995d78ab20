import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { encodeEnvelope, encodePayloadEvents } from '../../codec/event-codec';
import { readSdkPayload } from '../../producer/sdk-events';
import { KinesisWriter } from '../../producer/kinesis-writer';
import { ProducerMetrics } from '../../producer/producer-metrics';
import { SpillFileContent, SpillStore } from '../../producer/spill-store';
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

  it('lets a drain wait for the spill pass its timer began, so those records reach the stream before it returns', async () => {
    // given: a running writer, then a spill file another instance handed over, read slowly by the timer's pass
    await kinesis.createStream('writer-drain', 1);
    const spill = new GatedSpillStore(directory);
    const writer = new KinesisWriter({
      client: kinesis.client,
      streamName: 'writer-drain',
      spill,
      metrics: new ProducerMetrics(),
      spillRetryIntervalMs: 20,
    });
    await writer.start();
    const records = packPayloads([{ environmentId: 'env-drain', events: mixedPayload(0, 40) }]);
    await new SpillStore(directory).write(records.map((data) => ({ data, eventCount: 40 })));
    await spill.reading;

    // when: the drain begins while the pass is still reading
    const drained = writer.drain(10_000);
    setTimeout(() => spill.open(), 100);
    const { spilledRecords } = await drained;

    // then: the pass's records are in the stream and their file gone by the time the drain says it is done
    expect(spilledRecords).toBe(0);
    expect((await kinesis.readAll('writer-drain')).records).toEqual(records);
    expect(await spill.list()).toEqual([]);
  });

  it('puts at most 500 records a call, and counts exactly what the stream then holds', async () => {
    // given: small records, one call in flight at a time, and every PutRecords call observed on its way to kinesalite
    await kinesis.createStream('writer-counts', 2);
    const recordsPerCall: number[] = [];
    const observed = {
      send: (command: PutRecordsCommand) => {
        if (command instanceof PutRecordsCommand) recordsPerCall.push(command.input.Records!.length);
        return kinesis.client.send(command);
      },
    } as unknown as KinesisClient;
    const metrics = new ProducerMetrics();
    const writer = new KinesisWriter({
      client: observed,
      streamName: 'writer-counts',
      spill: new SpillStore(directory),
      metrics,
      recordByteCap: 300,
      recordCompression: 'none',
      maxPutsInFlight: 1,
      lingerMs: 1,
    });
    await writer.start();
    const payloads = Array.from({ length: 300 }, (_, p) => mixedPayload(p * 8, 8));

    // when
    for (const [p, events] of payloads.entries()) {
      const envelope = encodeEnvelope({
        environmentId: 'env-counts',
        receivedAtMs: 1_795_000_000_000,
        payloadId: `payload-${p}`,
        sdkName: 'NodeJSClient',
        sdkVersion: '9.0.0',
        endpoint: 1,
      });
      expect(writer.accept(envelope, encodePayloadEvents(readSdkPayload(events).events))).toBe('accepted');
    }
    await writer.drain(30_000);

    // then: calls within the API's limit, and counters that are the stream's own figures
    const stream = await kinesis.readRecords('writer-counts');
    const data = stream.flatMap((shard) => shard.data);
    const keys = stream.flatMap((shard) => shard.partitionKeys);
    expect(Math.max(...recordsPerCall)).toBe(500);
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
});
