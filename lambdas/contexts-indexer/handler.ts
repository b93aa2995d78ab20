import type { Client } from '@opensearch-project/opensearch';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { batchResponse, decodeKinesisBatch } from '../shared/kinesis-batch';
import { collectContextUpdates } from './context-updates';
import { writeContextUpdates, WriteOutcome } from './context-writer';

export interface ContextsIndexerSettings {
  readonly client: Client;
  readonly alias: string;
  readonly maxBulkBytes?: number;
  readonly baseBackoffMs?: number;
}

export interface ContextsBatchResult {
  readonly response: KinesisStreamBatchResponse;
  readonly events: number;
  readonly contexts: number;
  readonly corruptRecords: number;
  readonly write: WriteOutcome;
}

/** Folds a batch into one update per context, writes them, and reports only the records that truly failed. */
export async function indexContextsBatch(
  event: KinesisStreamEvent,
  settings: ContextsIndexerSettings,
  remainingMs: () => number,
): Promise<ContextsBatchResult> {
  const batch = decodeKinesisBatch(event);
  const updates = collectContextUpdates(batch.records);
  const write = await writeContextUpdates([...updates.values()], { ...settings, remainingMs });
  const failed = batch.corrupt.map((record) => record.sequenceNumber);
  for (const id of write.failedIds) {
    for (const { sequenceNumber } of updates.get(id)!.evaluationsByRecord.values()) failed.push(sequenceNumber);
  }
  return {
    response: batchResponse(failed),
    events: batch.records.reduce((sum, record) => sum + record.events.length, 0),
    contexts: updates.size,
    corruptRecords: batch.corrupt.length,
    write,
  };
}
