import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
} from '@aws-sdk/client-kinesis';
import { decodeRecord, DecodedEvent } from '../../codec/event-codec';
import { ensureStream, startLocalKinesis as startKinesalite } from '../../local/local-kinesis';

process.env.AWS_REGION ??= 'us-east-1';
process.env.AWS_ACCESS_KEY_ID ??= 'local';
process.env.AWS_SECRET_ACCESS_KEY ??= 'local';

export interface LocalKinesis {
  readonly endpoint: string;
  readonly client: KinesisClient;
  createStream(name: string, shards: number): Promise<void>;
  /** Every record's data and partition key, shard by shard, each in its order, as written. */
  readRecords(name: string): Promise<{ data: Buffer[]; partitionKeys: string[] }[]>;
  /** Every record (and its partition key) and event, shard after shard, each in its order; each shard's events. */
  readAll(name: string): Promise<{
    records: Buffer[];
    partitionKeys: string[];
    events: DecodedEvent[];
    eventsByShard: DecodedEvent[][];
  }>;
  close(): Promise<void>;
}

/** Every record's data and partition key of any stream, shard by shard, each in its order, as written. */
export async function readStreamRecords(
  client: KinesisClient,
  name: string,
): Promise<{ data: Buffer[]; partitionKeys: string[] }[]> {
  const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamName: name }));
  const shards: { data: Buffer[]; partitionKeys: string[] }[] = [];
  for (const shard of StreamDescription?.Shards ?? []) {
    const read = { data: [] as Buffer[], partitionKeys: [] as string[] };
    let { ShardIterator: iterator } = await client.send(
      new GetShardIteratorCommand({ StreamName: name, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    while (iterator) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      for (const record of page.Records ?? []) {
        read.data.push(Buffer.from(record.Data!));
        read.partitionKeys.push(record.PartitionKey!);
      }
      if ((page.Records ?? []).length === 0) break;
      iterator = page.NextShardIterator;
    }
    shards.push(read);
  }
  return shards;
}

/** A real kinesalite server on 127.0.0.1, in memory. */
export async function startLocalKinesis(): Promise<LocalKinesis> {
  const server = await startKinesalite({ maxSockets: 16, shardLimit: 100 });
  const { endpoint, client } = server;
  const local: LocalKinesis = {
    endpoint,
    client,
    createStream: (name, shards) => ensureStream(client, name, shards),
    readRecords: (name) => readStreamRecords(client, name),
    async readAll(name) {
      const shards = await local.readRecords(name);
      const eventsByShard = shards.map((shard) => shard.data.flatMap((record) => decodeRecord(record)));
      return {
        records: shards.flatMap((shard) => shard.data),
        partitionKeys: shards.flatMap((shard) => shard.partitionKeys),
        events: eventsByShard.flat(),
        eventsByShard,
      };
    },
    close: () => server.stop(),
  };
  return local;
}
