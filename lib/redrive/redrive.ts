import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, _Record } from '@aws-sdk/client-kinesis';
import type { KinesisStreamEvent } from 'aws-lambda';
import { compareSequenceNumbers, lambdaKinesisRecord } from '../../lambdas/shared/kinesis-batch';
import type { PoisonEntry } from '../../lambdas/shared/poison-sink';

/** What a Kinesis event source mapping sends its on-failure destination: a pointer to records, not the records. */
export interface FailurePointer {
  readonly KinesisBatchInfo: {
    readonly shardId: string;
    readonly startSequenceNumber: string;
    readonly endSequenceNumber: string;
    readonly batchSize: number;
    readonly streamArn: string;
  };
}

/** What a redrive did, or with --dry-run would do. */
export interface RedriveReport {
  readonly consumer: string;
  readonly dryRun: boolean;
  readonly poisonEntries: number;
  readonly failurePointers: number;
  /** Records handed to the consumer again; each of their events applies once, however often it was applied before. */
  readonly recordsRedriven: number;
  /** Records a pointer names that the stream no longer holds (past its retention): nothing can bring them back. */
  readonly recordsExpired: number;
  /** Entries the consumer set aside again: still unusable, kept with their bytes. */
  readonly setAsideAgain: number;
}

// Lambda's synchronous invocation payload limit is 6 MB; leave room for the event's JSON around the data.
const MAX_INVOCATION_DATA_BYTES = 5 * 1024 * 1024;

/** A Kinesis event per group of records, each under the invocation limit, as the mapping would have sent them. */
export function redriveEvents(
  records: readonly { shardId: string; record: _Record }[],
  streamArn: string,
  consumer: string,
): KinesisStreamEvent[] {
  const events: KinesisStreamEvent[] = [];
  let current: KinesisStreamEvent = { Records: [] };
  let bytes = 0;
  for (const { shardId, record } of records) {
    const size = Math.ceil((record.Data!.length * 4) / 3);
    if (current.Records.length > 0 && bytes + size > MAX_INVOCATION_DATA_BYTES) {
      events.push(current);
      current = { Records: [] };
      bytes = 0;
    }
    current.Records.push(lambdaKinesisRecord(shardId, record, streamArn, consumer));
    bytes += size;
  }
  if (current.Records.length > 0) events.push(current);
  return events;
}

/** A poison entry as the record it was read as. */
export function poisonRecord(entry: PoisonEntry): { shardId: string; record: _Record } {
  return {
    shardId: entry.shardId,
    record: {
      SequenceNumber: entry.sequenceNumber,
      PartitionKey: 'redrive',
      Data: Buffer.from(entry.data, 'base64'),
      ApproximateArrivalTimestamp: new Date(entry.arrivedAt),
    },
  };
}

/**
 * Reads the records a failure pointer names. Those the stream has already trimmed are counted as expired: the
 * iterator at the start sequence number then begins at a later record, or cannot be had at all.
 */
export async function pointedRecords(
  kinesis: KinesisClient,
  streamName: string,
  pointer: FailurePointer,
): Promise<{ records: { shardId: string; record: _Record }[]; expired: number }> {
  const { shardId, startSequenceNumber, endSequenceNumber, batchSize } = pointer.KinesisBatchInfo;
  const iterator = await kinesis
    .send(
      new GetShardIteratorCommand({
        StreamName: streamName,
        ShardId: shardId,
        ShardIteratorType: 'AT_SEQUENCE_NUMBER',
        StartingSequenceNumber: startSequenceNumber,
      }),
    )
    .then(
      (answer) => answer.ShardIterator,
      () => undefined,
    );
  const records: { shardId: string; record: _Record }[] = [];
  let next = iterator;
  while (next) {
    const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: next, Limit: 1_000 }));
    const inRange = (page.Records ?? []).filter(
      (record) => compareSequenceNumbers(record.SequenceNumber!, endSequenceNumber) <= 0,
    );
    records.push(...inRange.map((record) => ({ shardId, record })));
    const passedEnd = inRange.length < (page.Records ?? []).length || records.length >= batchSize;
    const atHead = (page.Records ?? []).length === 0 && (page.MillisBehindLatest ?? 0) === 0;
    next = passedEnd || atHead ? undefined : page.NextShardIterator;
  }
  return { records, expired: Math.max(0, batchSize - records.length) };
}
