import type { RedisClient } from '../shared/redis-client';
import { Generation, ownerAt } from '../shared/generations';
import { flagStatusKeys } from './flag-status-updates';
import { readGenerations } from './flag-status-writer';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

export interface LastEvaluation {
  readonly evaluatedAtMs: number;
  readonly version: number;
  readonly variation: number;
  readonly value: string;
}

/** What flag-status holds for one flag over a time range, read from whichever generation owns each value. */
export interface FlagReport {
  readonly environmentId: string;
  readonly flag: string;
  /** The generation reads use now. */
  readonly liveGeneration: number | undefined;
  readonly last: LastEvaluation | undefined;
  /** Evaluations per variation, by the start of each minute (ms), minutes with none left out. */
  readonly perMinute: Record<string, Record<string, number>>;
  readonly perHour: Record<string, Record<string, number>>;
  /** Distinct contexts per UTC day (HyperLogLog, about 0.8% standard error). */
  readonly dailyContexts: Record<string, number>;
}

export interface FlagQuery {
  readonly environmentId: string;
  readonly flag: string;
  readonly fromMs: number;
  readonly toMs: number;
}

function steps(fromMs: number, toMs: number, unitMs: number): number[] {
  const all: number[] = [];
  for (let at = Math.floor(fromMs / unitMs) * unitMs; at <= toMs; at += unitMs) all.push(at);
  return all;
}

const counts = (raw: Record<string, string>) =>
  Object.fromEntries(Object.entries(raw).map(([variation, count]) => [variation, Number(count)]));

/**
 * The flag's state as on-call sees it: each bucket from the generation that owns its time, the last evaluation from
 * the newest generation that has one of its own (an older generation's counts only if it is before the newer's start).
 */
export async function readFlag(redis: RedisClient, prefix: string, query: FlagQuery): Promise<FlagReport> {
  const generations = await readGenerations(redis, prefix);
  const keysAt = (atMs: number) => flagStatusKeys(prefix, ownerAt(atMs, generations)?.generation ?? 0);
  const { environmentId, flag } = query;
  const minutes = steps(query.fromMs, query.toMs, MINUTE_MS);
  const hours = steps(query.fromMs, query.toMs, HOUR_MS);
  const days = steps(query.fromMs, query.toMs, 24 * HOUR_MS);
  const pipeline = redis.pipeline();
  for (const minute of minutes) pipeline.hgetall(keysAt(minute).minute(environmentId, flag, minute));
  for (const hour of hours) pipeline.hgetall(keysAt(hour).hour(environmentId, flag, hour));
  for (const day of days) {
    const hourly = steps(day, day + 23 * HOUR_MS, HOUR_MS).map((hour) =>
      keysAt(hour).hourlyContexts(environmentId, flag, hour),
    );
    pipeline.pfcount(...hourly);
  }
  const results = ((await pipeline.exec()) ?? []).map(([error, value]) => {
    if (error) throw error;
    return value;
  });
  const perMinute: Record<string, Record<string, number>> = {};
  const perHour: Record<string, Record<string, number>> = {};
  const dailyContexts: Record<string, number> = {};
  minutes.forEach((minute, i) => {
    const raw = results[i] as Record<string, string>;
    if (Object.keys(raw).length > 0) perMinute[minute] = counts(raw);
  });
  hours.forEach((hour, i) => {
    const raw = results[minutes.length + i] as Record<string, string>;
    if (Object.keys(raw).length > 0) perHour[hour] = counts(raw);
  });
  days.forEach((day, i) => {
    const count = results[minutes.length + hours.length + i] as number;
    if (count > 0) dailyContexts[new Date(day).toISOString().slice(0, 10)] = count;
  });
  return {
    environmentId,
    flag,
    liveGeneration: generations.find((each) => each.state === 'live')?.generation,
    last: await readLast(redis, prefix, generations, environmentId, flag),
    perMinute,
    perHour,
    dailyContexts,
  };
}

async function readLast(
  redis: RedisClient,
  prefix: string,
  generations: readonly Generation[],
  environmentId: string,
  flag: string,
): Promise<LastEvaluation | undefined> {
  const serving = generations.filter((each) => each.state !== 'building').sort((a, b) => b.generation - a.generation);
  let before = Infinity;
  for (const generation of serving) {
    const stored = await redis.hgetall(flagStatusKeys(prefix, generation.generation).status(environmentId, flag));
    const evaluatedAtMs = Number(stored.lastEvaluated);
    if (stored.lastEvaluated !== undefined && evaluatedAtMs < before) {
      return {
        evaluatedAtMs,
        version: Number(stored.version),
        variation: Number(stored.variation),
        value: stored.value ?? '',
      };
    }
    before = Math.min(before, generation.fromMs);
  }
  return undefined;
}
