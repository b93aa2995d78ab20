import type { Client } from '@opensearch-project/opensearch';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { EventClock, EventTimeWindow } from '../shared/event-time';
import type { WritingGeneration } from '../shared/generations';
import { batchResponse, decodeKinesisBatch } from '../shared/kinesis-batch';
import { PoisonSink, setAside, UnusableEvent } from '../shared/poison-sink';
import { advanceReplay, generationIndex, recordProgress } from './context-generations';
import { collectContextUpdates } from './context-updates';
import { RecentDocuments, writeContextUpdates, WriteOutcome } from './context-writer';

export interface ContextsIndexerSettings {
  readonly client: Client;
  /** The alias reads use; each generation writes an index of its own behind it. */
  readonly alias: string;
  /** The generation this function writes: 0, or a replay's, starting at its (hour-aligned) time. */
  readonly generation: WritingGeneration;
  readonly maxBulkBytes?: number;
  readonly baseBackoffMs?: number;
  readonly eventTimeWindow: EventTimeWindow;
  /** Last seen and the details are kept to the start of a window this long; it divides an hour. */
  readonly lastSeenResolutionMs: number;
  readonly recentDocuments?: RecentDocuments;
  readonly poison: PoisonSink;
  /** A replay's generation takes over reads once it is this close to the head on every shard. @default 60 s */
  readonly catchUpSlackMs?: number;
  readonly now?: () => number;
}

export interface ContextsBatchResult {
  readonly response: KinesisStreamBatchResponse;
  readonly events: number;
  readonly contexts: number;
  readonly corruptRecords: number;
  readonly unusableEvents: number;
  readonly clampedEvents: number;
  readonly write: WriteOutcome;
  /** Set when this batch moved the alias to the writer's generation. */
  readonly switchedGeneration?: number;
}

// Replay generations known to serve reads already, so they stop checking the alias.
const servingReads = new Set<string>();

/**
 * Folds a batch into one update per context and writes them to the writer's generation. What can never be applied
 * is set aside with its bytes; records behind documents OpenSearch did not take in time are reported, and the
 * mapping retries them until it does. A replay's generation also carries over what came before its start, and takes
 * over reads once caught up.
 */
export async function indexContextsBatch(
  event: KinesisStreamEvent,
  settings: ContextsIndexerSettings,
  remainingMs: () => number,
): Promise<ContextsBatchResult> {
  const { client, alias, generation } = settings;
  const batch = decodeKinesisBatch(event);
  const clock = new EventClock(settings.eventTimeWindow);
  const unusable: UnusableEvent[] = [];
  const updates = collectContextUpdates(batch.records, settings.lastSeenResolutionMs, clock, unusable);
  await setAside(settings.poison, 'contexts-indexer', batch.corrupt, unusable);
  const index = generationIndex(alias, generation.generation);
  const write = await writeContextUpdates([...updates.values()], { ...settings, index, remainingMs });
  const failed: string[] = [];
  for (const id of write.failedIds) failed.push(...updates.get(id)!.sequenceNumbers);
  const result = {
    response: batchResponse(failed),
    events: batch.records.reduce((sum, record) => sum + record.events.length, 0),
    contexts: updates.size,
    corruptRecords: batch.corrupt.length,
    unusableEvents: unusable.length,
    clampedEvents: clock.clampedEvents,
    write,
  };
  if (failed.length > 0) return result;

  const newest = [...batch.records, ...batch.corrupt].reduce<{ shardId: string; arrivalMs: number } | undefined>(
    (found, record) => (!found || record.arrivalMs > found.arrivalMs ? record : found),
    undefined,
  );
  if (newest) await recordProgress(client, alias, generation.generation, newest.shardId, newest.arrivalMs);
  const replay = `${alias}:${generation.generation}`;
  if (generation.generation === 0 || servingReads.has(replay)) return result;
  const state = await advanceReplay({
    client,
    alias,
    writer: generation,
    eventTimeWindow: settings.eventTimeWindow,
    nowMs: (settings.now ?? Date.now)(),
    catchUpSlackMs: settings.catchUpSlackMs ?? 60_000,
    lastSeenResolutionMs: settings.lastSeenResolutionMs,
    remainingMs,
  });
  if (state === 'switched' || state === 'live') servingReads.add(replay);
  return state === 'switched' ? { ...result, switchedGeneration: generation.generation } : result;
}
