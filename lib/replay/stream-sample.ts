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
): Promise<ShardSample[]> {
  const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamName: streamName }));
  const samples: ShardSample[] = [];
  for (const shard of StreamDescription?.Shards ?? []) {
    // Some Kinesis stand-ins never answer an AT_TIMESTAMP past the newest record; give up on the shard after 5 s.
    const iteratorResponse = await client
      .send(
        new GetShardIteratorCommand({
          StreamName: streamName,
          ShardId: shard.ShardId,
          ShardIteratorType: 'AT_TIMESTAMP',
          Timestamp: from,
        }),
        {
          abortSignal: AbortSignal.timeout(5_000),
        },
      )
      .catch(() => undefined);
    let iterator = iteratorResponse?.ShardIterator;
    let records = 0;
    let firstRecordAt: string | undefined;
    let pages = 0;
    let behind = 1;
    while (iterator && pages < maxPages && behind > 0) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      pages++;
      records += page.Records?.length ?? 0;
      firstRecordAt ??= page.Records?.[0]?.ApproximateArrivalTimestamp?.toISOString();
      behind = (page.Records?.length ?? 0) === 0 ? 0 : (page.MillisBehindLatest ?? 0);
      iterator = page.NextShardIterator;
    }
    samples.push({ shardId: shard.ShardId!, records, atLeast: pages >= maxPages && behind > 0, firstRecordAt });
  }
  return samples;
}
