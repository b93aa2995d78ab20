import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { CorruptRecordError, decodeRecord, DecodedEvent } from '../../codec/event-codec';

export interface StreamRecord {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly arrivalMs: number;
  readonly events: readonly DecodedEvent[];
}

export interface DecodedBatch {
  readonly records: StreamRecord[];
  /** Sequence numbers of records that could not be decoded; each is reported alone. */
  readonly corrupt: { readonly sequenceNumber: string; readonly reason: string }[];
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
    try {
      records.push({
        shardId: shardOf(record.eventID),
        sequenceNumber,
        arrivalMs: Math.round(record.kinesis.approximateArrivalTimestamp * 1000),
        events: decodeRecord(Buffer.from(record.kinesis.data, 'base64')),
      });
    } catch (error) {
      if (!(error instanceof CorruptRecordError)) throw error;
      corrupt.push({ sequenceNumber, reason: error.message });
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

/** When an event happened: the SDK's own time, or when the API received it if the SDK gave none. */
export function eventTimeMs(decoded: DecodedEvent): number {
  return Number(decoded.event.creationDateMs) || Number(decoded.envelope.receivedAtMs);
}
