import { decodeRecordWithId } from '../../codec/event-codec';
import type { StreamRecord } from '../../lambdas/shared/kinesis-batch';
import { packPayloads, SdkPayload } from './stream-events';

/** One payload as the record a consumer reads (its first, when it takes more), on a shard and at a sequence number. */
export function streamRecord(payload: SdkPayload, shard = 0, sequenceNumber = '1'): StreamRecord {
  const [data] = packPayloads([payload]);
  const decoded = decodeRecordWithId(data!);
  return {
    shardId: `shardId-${String(shard).padStart(12, '0')}`,
    sequenceNumber,
    arrivalMs: Number(payload.receivedAtMs ?? 1_795_000_000_000),
    recordId: decoded.recordId,
    events: decoded.events,
    data: data!.toString('base64'),
  };
}
