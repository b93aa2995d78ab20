import type { _Record } from '@aws-sdk/client-kinesis';
import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { CorruptRecordError, decodeRecordWithId, DecodedEvent } from '../../codec/event-codec';

export interface StreamRecord {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly arrivalMs: number;
  /** The producer's id for the record, the same in every copy of it. */
  readonly recordId: string;
  readonly events: readonly DecodedEvent[];
  /** The record as read, base64, kept to set it aside whole if one of its events can never be applied. */
  readonly data: string;
}

export interface CorruptRecord {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly arrivalMs: number;
  readonly reason: string;
  readonly data: string;
}

export interface DecodedBatch {
  readonly records: StreamRecord[];
  /** Records that could not be decoded: they can never be applied, so they are set aside with their bytes. */
  readonly corrupt: CorruptRecord[];
}

/** Kinesis event IDs read "shardId-000000000000:49590338271490256608559692538361571095921575989136588898". */
function shardOf(eventId: string): string {
  const separator = eventId.indexOf(':');
  return separator === -1 ? 'unknown-shard' : eventId.slice(0, separator);
}

/** Decodes every record of a Lambda Kinesis batch; Lambda never de-aggregates, so each consumer does it here. */
export function decodeKinesisBatch(event: KinesisStreamEvent): DecodedBatch {
  const records: StreamRecord[] = [];
  const corrupt: DecodedBatch['corrupt'] = [];
  for (const record of event.Records) {
    const sequenceNumber = record.kinesis.sequenceNumber;
    const shardId = shardOf(record.eventID);
    const data = record.kinesis.data;
    const arrivalMs = Math.round(record.kinesis.approximateArrivalTimestamp * 1000);
    try {
      const decoded = decodeRecordWithId(Buffer.from(data, 'base64'));
      records.push({
        shardId,
        sequenceNumber,
        arrivalMs,
        recordId: decoded.recordId,
        events: decoded.events,
        data,
      });
    } catch (error) {
      if (!(error instanceof CorruptRecordError)) throw error;
      corrupt.push({ shardId, sequenceNumber, arrivalMs, reason: error.message, data });
    }
  }
  return { records, corrupt };
}

/** Sequence numbers are decimal strings of up to 128 bits; compare them without losing precision. */
export function compareSequenceNumbers(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

export function batchResponse(failedSequenceNumbers: Iterable<string>): KinesisStreamBatchResponse {
  return { batchItemFailures: [...new Set(failedSequenceNumbers)].map((itemIdentifier) => ({ itemIdentifier })) };
}

/** A record read with GetRecords, in the shape Lambda's Kinesis event source hands a function. */
export function lambdaKinesisRecord(
  shardId: string,
  record: _Record,
  streamArn: string,
  consumer: string,
): KinesisStreamRecord {
  return {
    eventID: `${shardId}:${record.SequenceNumber}`,
    eventName: 'aws:kinesis:record',
    eventVersion: '1.0',
    eventSource: 'aws:kinesis',
    eventSourceARN: streamArn,
    awsRegion: streamArn.split(':')[3]!,
    invokeIdentityArn: `arn:aws:iam::000000000000:role/${consumer}`,
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: record.PartitionKey!,
      sequenceNumber: record.SequenceNumber!,
      data: Buffer.from(record.Data!).toString('base64'),
      approximateArrivalTimestamp: record.ApproximateArrivalTimestamp!.getTime() / 1000,
    },
  };
}

/** Lambda's synchronous invocation payload limit; a mapping sends a smaller batch rather than exceed it. */
export const INVOCATION_PAYLOAD_BYTES = 6 * 1024 * 1024;

/** What a record of this many bytes takes in a Lambda Kinesis event: its base64 data and, generously, the JSON around. */
export const eventRecordBytes = (dataBytes: number) => Math.ceil(dataBytes / 3) * 4 + 600;

/** As many leading records as fit one invocation, and always at least one. */
export function withinInvocationLimit(records: _Record[]): _Record[] {
  let bytes = 0;
  for (let i = 0; i < records.length; i++) {
    bytes += eventRecordBytes(records[i]!.Data!.length);
    if (bytes > INVOCATION_PAYLOAD_BYTES) return records.slice(0, Math.max(1, i));
  }
  return records;
}
