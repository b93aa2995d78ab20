import type { Client } from '@opensearch-project/opensearch';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { EventClock, EventTimeWindow } from '../shared/event-time';
import { batchResponse, decodeKinesisBatch } from '../shared/kinesis-batch';
import { PoisonSink, setAside, UnusableEvent } from '../shared/poison-sink';
import { collectContextUpdates } from './context-updates';
import { writeContextUpdates, WriteOutcome } from './context-writer';

export interface ContextsIndexerSettings {
  readonly client: Client;
  readonly alias: string;
  readonly maxBulkBytes?: number;
  readonly baseBackoffMs?: number;
  readonly eventTimeWindow: EventTimeWindow;
  readonly poison: PoisonSink;
}

export interface ContextsBatchResult {
  readonly response: KinesisStreamBatchResponse;
  readonly events: number;
  readonly contexts: number;
  readonly corruptRecords: number;
  readonly unusableEvents: number;
  readonly clampedEvents: number;
  readonly write: WriteOutcome;
}

/**
 * Folds a batch into one update per context and writes them. What can never be applied is set aside with its bytes;
 * records behind documents OpenSearch did not take in time are reported, and the mapping retries them until it does.
 */
export async function indexContextsBatch(
  event: KinesisStreamEvent,
  settings: ContextsIndexerSettings,
  remainingMs: () => number,
): Promise<ContextsBatchResult> {
  const batch = decodeKinesisBatch(event);
  const clock = new EventClock(settings.eventTimeWindow);
  const unusable: UnusableEvent[] = [];
  const updates = collectContextUpdates(batch.records, clock, unusable);
  await setAside(settings.poison, 'contexts-indexer', batch.corrupt, unusable);
  const write = await writeContextUpdates([...updates.values()], { ...settings, remainingMs });
  const failed: string[] = [];
  for (const id of write.failedIds) failed.push(...updates.get(id)!.sequenceNumbers);
  return {
    response: batchResponse(failed),
    events: batch.records.reduce((sum, record) => sum + record.events.length, 0),
    contexts: updates.size,
    corruptRecords: batch.corrupt.length,
    unusableEvents: unusable.length,
    clampedEvents: clock.clampedEvents,
    write,
  };
}
