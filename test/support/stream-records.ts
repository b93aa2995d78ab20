import { decodeRecordWithId } from '../../codec/event-codec';
import type { StreamRecord } from '../../lambdas/shared/kinesis-batch';
import { packPayloads, SdkPayload } from './stream-events';

/** One payload as the records a consumer reads, on a shard, at sequence numbers from `firstSequenceNumber`. */
export function streamRecords(payload: SdkPayload, shard = 0, firstSequenceNumber = 1): StreamRecord[] {
  return packPayloads([payload]).map((data, i) => {
    const decoded = decodeRecordWithId(data);
    return {
      shardId: `shardId-${String(shard).padStart(12, '0')}`,
      sequenceNumber: String(firstSequenceNumber + i),
      arrivalMs: Number(payload.receivedAtMs ?? 1_795_000_000_000),
      recordId: decoded.recordId,
      events: decoded.events,
      data: data.toString('base64'),
    };
  });
}

/** A payload small enough for one record, as the record a consumer reads. */
export function streamRecord(payload: SdkPayload, shard = 0, sequenceNumber = 1): StreamRecord {
  const [record, ...more] = streamRecords(payload, shard, sequenceNumber);
  if (more.length > 0) throw new Error(`the payload takes ${more.length + 1} records; use streamRecords`);
  return record!;
}
