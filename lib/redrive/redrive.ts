import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, _Record } from '@aws-sdk/client-kinesis';
import type { KinesisStreamEvent } from 'aws-lambda';
import { compareSequenceNumbers, lambdaKinesisRecord, withinInvocationLimit } from '../../lambdas/shared/kinesis-batch';
import type { PoisonEntry } from '../../lambdas/shared/poison-sink';

/** What a Kinesis event source mapping sends its on-failure destination: a pointer to records, not the records. */
export interface FailurePointer {
  readonly KinesisBatchInfo: {
    readonly shardId: string;
    readonly startSequenceNumber: string;
    readonly endSequenceNumber: string;
    /** ISO-8601. */
    readonly approximateArrivalOfFirstRecord: string;
    readonly approximateArrivalOfLastRecord: string;
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

/** A Kinesis event per group of records, each under the invocation limit, as the mapping would have sent them. */
export function redriveEvents(
  records: readonly { shardId: string; record: _Record }[],
  streamArn: string,
  consumer: string,
): KinesisStreamEvent[] {
  const events: KinesisStreamEvent[] = [];
  const plain = records.map((each) => each.record);
  for (let next = 0; next < records.length;) {
    const end = next + withinInvocationLimit(plain.slice(next)).length;
    events.push({
      Records: records
        .slice(next, end)
        .map(({ shardId, record }) => lambdaKinesisRecord(shardId, record, streamArn, consumer)),
    });
    next = end;
  }
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
