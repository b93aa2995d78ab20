import { sampleFrom } from '../../lib/replay/stream-sample';
import { startLocalKinesis, LocalKinesis } from '../support/local-kinesis';
import { featureEvent } from '../support/sdk-payloads';
import { writePayloads } from '../support/stream-events';

describe('sampling the stream from a replay time', () => {
  let kinesis: LocalKinesis;

  beforeAll(async () => {
    kinesis = await startLocalKinesis();
    await kinesis.createStream('replay-sample', 2);
    await writePayloads(
      kinesis,
      'replay-sample',
      Array.from({ length: 12 }, (_, i) => ({ environmentId: 'env-a', events: [featureEvent(i)] })),
    );
  });

  afterAll(async () => {
    await kinesis.close();
  });

  it('counts per shard what a replay from a past time re-reads', async () => {
    const samples = await sampleFrom(kinesis.client, 'replay-sample', new Date(Date.now() - 60_000));
    expect(samples.map((s) => s.shardId).sort()).toEqual(['shardId-000000000000', 'shardId-000000000001']);
    expect(samples.reduce((sum, s) => sum + s.records, 0)).toBe(12);
    expect(samples.every((s) => !s.atLeast)).toBe(true);
  });

  it('finds nothing to re-read from a time after the newest record', async () => {
    const samples = await sampleFrom(kinesis.client, 'replay-sample', new Date(Date.now() + 1_000));
    expect(samples.map((s) => s.records)).toEqual([0, 0]);
  });
});
