import type { Redis } from 'ioredis';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { batchResponse, decodeKinesisBatch, StreamRecord } from '../shared/kinesis-batch';
import { FlagStatusTtls } from './flag-status-updates';
import { writeShardRecords } from './flag-status-writer';

export interface FlagStatusSettings {
  readonly redis: Redis;
  readonly keyPrefix: string;
  readonly ttls: FlagStatusTtls;
}

export interface FlagStatusBatchResult {
  readonly response: KinesisStreamBatchResponse;
  readonly appliedRecords: number;
  readonly skippedRecords: number;
  readonly events: number;
  readonly corruptRecords: number;
  readonly storeErrors: string[];
}

/**
 * Applies a batch to Redis per shard, atomically with the shard's watermark. If Redis fails, the shard's records
 * are all reported so Lambda retries them; the watermark guarantees nothing is counted twice when it does.
 */
export async function updateFlagStatus(
  event: KinesisStreamEvent,
  settings: FlagStatusSettings,
): Promise<FlagStatusBatchResult> {
  const batch = decodeKinesisBatch(event);
  const byShard = new Map<string, StreamRecord[]>();
  for (const record of batch.records) {
    const records = byShard.get(record.shardId) ?? [];
    records.push(record);
    byShard.set(record.shardId, records);
  }
  const failed = batch.corrupt.map((record) => record.sequenceNumber);
  const storeErrors: string[] = [];
  let appliedRecords = 0;
  let skippedRecords = 0;
  let events = 0;
  for (const [shardId, records] of byShard) {
    try {
      const outcome = await writeShardRecords(settings.redis, shardId, records, settings.keyPrefix, settings.ttls);
      appliedRecords += outcome.applied;
      skippedRecords += outcome.skipped;
      events += outcome.events;
    } catch (error) {
      storeErrors.push((error as Error).message);
      failed.push(...records.map((record) => record.sequenceNumber));
    }
  }
  return {
    response: batchResponse(failed),
    appliedRecords,
    skippedRecords,
    events,
    corruptRecords: batch.corrupt.length,
    storeErrors,
  };
}
