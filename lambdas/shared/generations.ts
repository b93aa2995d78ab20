/**
 * A consumer's generations: each replay writes a new generation of the store from its start time on, while the
 * state it replaces keeps serving reads until the new one has caught up; then the read pointer switches at once.
 * A generation owns every stored value whose time is at or after its start, up to the next live generation's.
 */
export interface Generation {
  readonly generation: number;
  /** Event time from which this generation owns stored values; 0 for the first. */
  readonly fromMs: number;
  readonly state: 'building' | 'live' | 'retired';
  readonly switchedAtMs?: number;
}

/** Replays start on an hour boundary, so no hourly bucket is split between two generations. */
export const REPLAY_ALIGNMENT_MS = 3_600_000;

export function alignReplayStart(fromMs: number): number {
  return Math.floor(fromMs / REPLAY_ALIGNMENT_MS) * REPLAY_ALIGNMENT_MS;
}

export interface WritingGeneration {
  readonly generation: number;
  readonly fromMs: number;
}

/** The generation a consumer writes: the first, from the beginning, or a replay's, from its hour-aligned start. */
export function writingGeneration(replay?: { readonly generation: number; readonly from: string }): WritingGeneration {
  return replay
    ? { generation: replay.generation, fromMs: alignReplayStart(Date.parse(replay.from)) }
    : FIRST_GENERATION;
}

const FIRST_GENERATION: WritingGeneration = { generation: 0, fromMs: 0 };

/**
 * Where a replay generation must start reading the stream: early enough to see every event whose (clamped) time is
 * at or after its start, since an event's time is at most `futureMs` after its record was received.
 */
export function replayReadFromMs(fromMs: number, futureMs: number): number {
  return alignReplayStart(fromMs) - futureMs;
}

/** The generation whose values cover a time: the newest that has served reads and starts at or before it. */
export function ownerAt(atMs: number, generations: readonly Generation[]): Generation | undefined {
  let owner: Generation | undefined;
  for (const each of generations) {
    if (each.state === 'building' || each.fromMs > atMs) continue;
    if (!owner || each.generation > owner.generation) owner = each;
  }
  return owner;
}

/**
 * Which generation's values an event belongs to, for a writer: its own from its start on; before its start, the
 * generation that owns that time, but only for events received after the start (late events, which the older
 * generation may not have seen); events received before the start were the older generation's to apply.
 */
export function routeEvent(
  writer: WritingGeneration,
  atMs: number,
  receivedAtMs: number,
  generations: readonly Generation[],
): number | undefined {
  if (atMs >= writer.fromMs) return writer.generation;
  if (receivedAtMs < writer.fromMs) return undefined;
  return ownerAt(
    atMs,
    generations.filter((each) => each.generation < writer.generation),
  )?.generation;
}

/**
 * A building generation has caught up when, on every shard either generation has read, it has applied records as
 * new as the live one has, or within `slackMs` of now (the live one may have stopped, as a replaced mapping does).
 * A shard the live generation last read before the replay's read position has nothing to re-read.
 */
export function caughtUp(
  building: Record<string, number>,
  live: Record<string, number>,
  readFromMs: number,
  nowMs: number,
  slackMs: number,
): boolean {
  if (Object.keys(building).length === 0) return false;
  const shards = new Set([...Object.keys(building), ...Object.keys(live)]);
  for (const shard of shards) {
    const mine = building[shard];
    if (mine === undefined && (live[shard] ?? 0) < readFromMs) continue;
    if (mine === undefined) return false;
    if (mine < Math.min(live[shard] ?? Infinity, nowMs - slackMs)) return false;
  }
  return true;
}
