import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
} from '@aws-sdk/client-kinesis';

export interface ShardSample {
  readonly shardId: string;
  /** Records read from the replay time onward, up to the sampling limit. */
  readonly records: number;
  /** True when the limit stopped the count: the shard holds at least this many. */
  readonly atLeast: boolean;
  readonly firstRecordAt?: string;
}

/**
 * Reads each shard from the replay time (GetShardIterator AT_TIMESTAMP, then GetRecords) to show how much a replay
 * will re-read. Sampled: at most `maxPages` pages of 10,000 records per shard.
 */
export async function sampleFrom(
  client: KinesisClient,
  streamName: string,
  from: Date,
  maxPages = 5,
  atTimestampTimeoutMs = 5_000,
): Promise<ShardSample[]> {
  const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamName: streamName }));
  const samples: ShardSample[] = [];
  for (const shard of StreamDescription?.Shards ?? []) {
    // kinesalite never answers an AT_TIMESTAMP past a shard's newest record; there the shard is read from its start
    // and records that arrived before the time are left out of the count.
    const atTimestamp = await client
      .send(
        new GetShardIteratorCommand({
          StreamName: streamName,
          ShardId: shard.ShardId,
          ShardIteratorType: 'AT_TIMESTAMP',
          Timestamp: from,
        }),
        { abortSignal: AbortSignal.timeout(atTimestampTimeoutMs) },
      )
      .catch((error: Error) => {
        if (error.name !== 'AbortError' && error.name !== 'TimeoutError') throw error;
        return undefined;
      });
    let iterator =
      atTimestamp?.ShardIterator ??
      (
        await client.send(
          new GetShardIteratorCommand({
            StreamName: streamName,
            ShardId: shard.ShardId,
            ShardIteratorType: 'TRIM_HORIZON',
          }),
        )
      ).ShardIterator;
    let records = 0;
    let firstRecordAt: string | undefined;
    let pages = 0;
    let behind = 1;
    while (iterator && pages < maxPages && behind > 0) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      pages++;
      const read = (page.Records ?? []).filter((record) => record.ApproximateArrivalTimestamp! >= from);
      records += read.length;
      firstRecordAt ??= read[0]?.ApproximateArrivalTimestamp?.toISOString();
      behind = (page.Records?.length ?? 0) === 0 ? 0 : (page.MillisBehindLatest ?? 0);
      iterator = page.NextShardIterator;
    }
    samples.push({ shardId: shard.ShardId!, records, atLeast: pages >= maxPages && behind > 0, firstRecordAt });
  }
  return samples;
}
