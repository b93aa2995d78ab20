import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import type { RedisClient } from '../shared/redis-client';
import { EventClock, EventTimeWindow } from '../shared/event-time';
import { caughtUp, Generation, replayReadFromMs, WritingGeneration } from '../shared/generations';
import { batchResponse, decodeKinesisBatch, StreamRecord } from '../shared/kinesis-batch';
import { PoisonSink, setAside } from '../shared/poison-sink';
import { collectFlagStatusWrites, FlagStatusTtls } from './flag-status-updates';
import { applyWrites, readProgress, registerGeneration, switchGeneration } from './flag-status-writer';

export interface FlagStatusSettings {
  readonly redis: RedisClient;
  readonly keyPrefix: string;
  readonly ttls: FlagStatusTtls;
  readonly eventTimeWindow: EventTimeWindow;
  /** The generation this function writes: 0, or the replay's, starting at its (hour-aligned) time. */
  readonly generation: WritingGeneration;
  readonly poison: PoisonSink;
  /** A replay's generation takes over reads once it is this close to the head on every shard. @default 60 s */
  readonly catchUpSlackMs?: number;
  readonly now?: () => number;
}

export interface FlagStatusBatchResult {
  readonly response: KinesisStreamBatchResponse;
  readonly appliedRecords: number;
  readonly events: number;
  /** Counted events seen before (copies of events already applied). */
  readonly duplicateEvents: number;
  readonly corruptRecords: number;
  readonly unusableEvents: number;
  readonly clampedEvents: number;
  readonly carriedOverEvents: number;
  /** Set when this batch made the writer's generation the one reads use. */
  readonly switchedGeneration?: number;
  readonly storeErrors: string[];
}

/**
 * Applies a batch to Redis, every event once. What can never be applied (an unreadable record, an unusable event)
 * is set aside with its bytes and the rest of the batch goes on; a Redis error reports the batch's records so the
 * mapping retries them, as long as it takes: nothing goes to a failure destination because a store was away.
 */
export async function updateFlagStatus(
  event: KinesisStreamEvent,
  settings: FlagStatusSettings,
): Promise<FlagStatusBatchResult> {
  const now = settings.now ?? Date.now;
  const batch = decodeKinesisBatch(event);
  const clock = new EventClock(settings.eventTimeWindow);
  const events = batch.records.reduce((sum, record) => sum + record.events.length, 0);
  const base = {
    events,
    corruptRecords: batch.corrupt.length,
    clampedEvents: 0,
    carriedOverEvents: 0,
    unusableEvents: 0,
  };
  let generations: Generation[];
  try {
    generations = await registerGeneration(settings.redis, settings.keyPrefix, settings.generation);
  } catch (error) {
    return failAll(batch.records, base, error);
  }
  const collected = collectFlagStatusWrites(batch.records, {
    prefix: settings.keyPrefix,
    ttls: settings.ttls,
    clock,
    writer: settings.generation,
    generations,
  });
  const counts = {
    ...base,
    clampedEvents: clock.clampedEvents,
    carriedOverEvents: collected.carriedOver,
    unusableEvents: collected.unusable.length,
  };
  try {
    await setAside(settings.poison, 'flag-status', batch.corrupt, collected.unusable);
    const newest = newestArrival(batch.records);
    const applied = await applyWrites(
      settings.redis,
      settings.keyPrefix,
      settings.generation,
      collected.writes,
      newest,
    );
    const switchedGeneration = await switchIfCaughtUp(settings, generations, now());
    return {
      ...counts,
      response: batchResponse([]),
      appliedRecords: batch.records.length,
      duplicateEvents: collected.writes.counted.length - applied,
      switchedGeneration,
      storeErrors: [],
    };
  } catch (error) {
    return failAll(batch.records, counts, error);
  }
}

function failAll(
  records: readonly StreamRecord[],
  counts: Omit<FlagStatusBatchResult, 'response' | 'appliedRecords' | 'duplicateEvents' | 'storeErrors'>,
  error: unknown,
): FlagStatusBatchResult {
  return {
    ...counts,
    response: batchResponse(records.map((record) => record.sequenceNumber)),
    appliedRecords: 0,
    duplicateEvents: 0,
    storeErrors: [(error as Error).message],
  };
}

function newestArrival(records: readonly StreamRecord[]): { shardId: string; newestArrivalMs: number } | undefined {
  let newest: StreamRecord | undefined;
  for (const record of records) if (!newest || record.arrivalMs > newest.arrivalMs) newest = record;
  return newest && { shardId: newest.shardId, newestArrivalMs: newest.arrivalMs };
}

async function switchIfCaughtUp(
  settings: FlagStatusSettings,
  generations: readonly Generation[],
  nowMs: number,
): Promise<number | undefined> {
  const mine = generations.find((each) => each.generation === settings.generation.generation);
  if (mine?.state !== 'building') return undefined;
  const live = generations.find((each) => each.state === 'live');
  const [building, current] = await Promise.all([
    readProgress(settings.redis, settings.keyPrefix, mine.generation),
    live ? readProgress(settings.redis, settings.keyPrefix, live.generation) : Promise.resolve({}),
  ]);
  const readFromMs = replayReadFromMs(mine.fromMs, settings.eventTimeWindow.futureMs);
  if (!caughtUp(building, current, readFromMs, nowMs, settings.catchUpSlackMs ?? 60_000)) return undefined;
  return (await switchGeneration(settings.redis, settings.keyPrefix, mine.generation, nowMs))
    ? mine.generation
    : undefined;
}
