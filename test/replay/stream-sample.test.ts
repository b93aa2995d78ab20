import { sampleFrom } from '../../lib/replay/stream-sample';
import { startLocalKinesis, LocalKinesis } from '../support/local-kinesis';
import { featureEvent } from '../support/sdk-payloads';
import { writePayloads } from '../support/stream-events';

describe('sampling the stream from a replay time', () => {
  let kinesis: LocalKinesis;

  let between: Date;

  beforeAll(async () => {
    kinesis = await startLocalKinesis();
    await kinesis.createStream('replay-sample', 2);
    const payloads = (from: number) =>
      Array.from({ length: 12 }, (_, i) => ({ environmentId: 'env-a', events: [featureEvent(from + i)] }));
    await writePayloads(kinesis, 'replay-sample', payloads(0));
    await new Promise((resolve) => setTimeout(resolve, 50));
    between = new Date();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await writePayloads(kinesis, 'replay-sample', payloads(100).slice(0, 5));
  });

  afterAll(async () => {
    await kinesis.close();
  });

  it('counts per shard what a replay from a past time re-reads', async () => {
    const samples = await sampleFrom(kinesis.client, 'replay-sample', new Date(Date.now() - 60_000));
    expect(samples.map((s) => s.shardId).sort()).toEqual(['shardId-000000000000', 'shardId-000000000001']);
    expect(samples.reduce((sum, s) => sum + s.records, 0)).toBe(17);
    expect(samples.every((s) => !s.atLeast)).toBe(true);
  });

  it('counts only what arrived at or after the time, not the shard from its start', async () => {
    const samples = await sampleFrom(kinesis.client, 'replay-sample', between);
    expect(samples.reduce((sum, s) => sum + s.records, 0)).toBe(5);
    for (const sample of samples.filter((each) => each.records > 0))
      expect(Date.parse(sample.firstRecordAt!)).toBeGreaterThanOrEqual(between.getTime());
  });

  it('finds nothing to re-read from a time after the newest record', async () => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const samples = await sampleFrom(kinesis.client, 'replay-sample', new Date(), 5, 500);
    expect(samples.map((s) => s.records)).toEqual([0, 0]);
  });

  it('refuses a time in the future, as Kinesis does', async () => {
    await expect(sampleFrom(kinesis.client, 'replay-sample', new Date(Date.now() + 60_000))).rejects.toThrow(
      /cannot be greater than the currentTimestamp/,
    );
  });
});
