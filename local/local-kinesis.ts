import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateStreamCommand, DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { kinesisClient } from '../producer/producer';

// kinesalite ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kinesalite = require('kinesalite') as (options: object) => Server;

export interface LocalKinesis {
  readonly endpoint: string;
  readonly client: KinesisClient;
  stop(): Promise<void>;
}

/**
 * A kinesalite on 127.0.0.1 that creates and changes streams at once; its data kept in `path` when given, in memory
 * otherwise. `shardLimit` is the account's shard quota it enforces (kinesalite's default: 10).
 */
export async function startLocalKinesis(options: {
  path?: string;
  maxSockets: number;
  shardLimit?: number;
}): Promise<LocalKinesis> {
  const server = kinesalite({
    createStreamMs: 0,
    deleteStreamMs: 0,
    updateStreamMs: 0,
    ...(options.path && { path: options.path }),
    ...(options.shardLimit && { shardLimit: options.shardLimit }),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = kinesisClient({ maxSockets: options.maxSockets, endpoint, local: true });
  return {
    endpoint,
    client,
    async stop() {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Creates the stream unless it exists, and waits until it is active. */
export async function ensureStream(kinesis: KinesisClient, streamName: string, shards: number): Promise<void> {
  const status = () =>
    kinesis.send(new DescribeStreamSummaryCommand({ StreamName: streamName })).then(
      (answer) => answer.StreamDescriptionSummary?.StreamStatus,
      () => undefined,
    );
  if (!(await status())) await kinesis.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: shards }));
  while ((await status()) !== 'ACTIVE') await new Promise((resolve) => setTimeout(resolve, 50));
}
