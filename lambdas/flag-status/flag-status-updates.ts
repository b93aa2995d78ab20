import type { v1 } from '../../codec/event-codec';
import { eventTimeMs, StreamRecord } from '../shared/kinesis-batch';

export interface FlagStatusTtls {
  readonly minuteBucketSeconds: number;
  readonly hourBucketSeconds: number;
  readonly dailyContextsSeconds: number;
  readonly statusSeconds: number;
}

export const DEFAULT_TTLS: FlagStatusTtls = {
  minuteBucketSeconds: 2 * 24 * 3600,
  hourBucketSeconds: 35 * 24 * 3600,
  dailyContextsSeconds: 35 * 24 * 3600,
  statusSeconds: 90 * 24 * 3600,
};

/** Every Redis write of one batch, aggregated: increments summed, last-evaluated reduced to the newest. */
export interface FlagStatusWrites {
  /** [key, field, amount] */
  readonly incr: [string, string, number][];
  /** [key, evaluatedAtMs, version, variation, valueJson]: applied only if newer than what is stored */
  readonly last: [string, number, number, number, string][];
  /** [key, ...members] */
  readonly pfadd: [string, ...string[]][];
  /** [key, seconds] */
  readonly expire: [string, number][];
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
// PFADD members per call, well under Lua's unpack limit.
const MAX_MEMBERS_PER_PFADD = 1_000;

export const flagStatusKeys = (prefix: string) => ({
  status: (environmentId: string, flag: string) => `${prefix}:flag:${environmentId}:${flag}`,
  minute: (environmentId: string, flag: string, atMs: number) =>
    `${prefix}:count:m:${environmentId}:${flag}:${Math.floor(atMs / MINUTE_MS) * MINUTE_MS}`,
  hour: (environmentId: string, flag: string, atMs: number) =>
    `${prefix}:count:h:${environmentId}:${flag}:${Math.floor(atMs / HOUR_MS) * HOUR_MS}`,
  dailyContexts: (environmentId: string, flag: string, atMs: number) =>
    `${prefix}:contexts:d:${environmentId}:${flag}:${new Date(atMs).toISOString().slice(0, 10)}`,
  watermark: (shardId: string) => `${prefix}:watermark:${shardId}`,
});

type Served = Pick<v1.FeatureEvent.$Properties, 'version' | 'variation' | 'valueJson'>;

export function variationField(variation: number | null | undefined): string {
  return variation === undefined || variation === null ? 'unknown' : String(variation);
}

function contextMembers(subject: v1.FeatureEvent.$Properties): string[] {
  if (subject.context) return (subject.context.contexts ?? []).map((c) => `${c.kind}:${c.key}`);
  return Object.entries(subject.contextKeys?.keysByKind ?? {}).map(([kind, key]) => `${kind}:${key}`);
}

/**
 * Turns a batch's events into Redis writes. Evaluation counts come from summary events, which count every
 * evaluation once, including those an SDK also sends as full feature events; counting both would double count.
 * Feature and debug events give the last evaluation (time, version, variation, value) and the distinct contexts.
 */
export function collectFlagStatusWrites(
  records: readonly StreamRecord[],
  prefix: string,
  ttls: FlagStatusTtls,
): FlagStatusWrites {
  const keys = flagStatusKeys(prefix);
  const increments = new Map<string, Map<string, number>>();
  const last = new Map<string, [string, number, number, number, string]>();
  const members = new Map<string, Set<string>>();
  const expire = new Map<string, number>();

  const increment = (key: string, field: string, amount: number, ttl: number) => {
    let fields = increments.get(key);
    if (!fields) increments.set(key, (fields = new Map<string, number>()));
    fields.set(field, (fields.get(field) ?? 0) + amount);
    expire.set(key, ttl);
  };
  /** Feature events and summary counters both name what was served: version, variation and value. */
  const evaluated = (environmentId: string, flag: string, atMs: number, served: Served) => {
    const key = keys.status(environmentId, flag);
    const current = last.get(key);
    if (!current || atMs >= current[1]) {
      last.set(key, [key, atMs, served.version ?? -1, served.variation ?? -1, served.valueJson ?? '']);
    }
    expire.set(key, ttls.statusSeconds);
  };

  for (const record of records) {
    for (const decoded of record.events) {
      const environmentId = decoded.envelope.environmentId;
      if (decoded.kind === 'summary') {
        const summary = decoded.event.summary!;
        const atMs = Number(summary.endDateMs) || eventTimeMs(decoded);
        for (const flag of summary.flags ?? []) {
          let busiest: v1.FlagCounter.$Properties | undefined;
          for (const counter of flag.counters ?? []) {
            const count = Number(counter.count ?? 0);
            const field = variationField(counter.variation);
            increment(keys.minute(environmentId, flag.key!, atMs), field, count, ttls.minuteBucketSeconds);
            increment(keys.hour(environmentId, flag.key!, atMs), field, count, ttls.hourBucketSeconds);
            if (!busiest || count > Number(busiest.count ?? 0)) busiest = counter;
          }
          if (busiest) {
            evaluated(environmentId, flag.key!, atMs, busiest);
          }
        }
      } else if (decoded.kind === 'feature' || decoded.kind === 'debug') {
        const feature = decoded.event[decoded.kind]!;
        const atMs = eventTimeMs(decoded);
        evaluated(environmentId, feature.key!, atMs, feature);
        const key = keys.dailyContexts(environmentId, feature.key!, atMs);
        let set = members.get(key);
        if (!set) members.set(key, (set = new Set()));
        for (const member of contextMembers(feature)) set.add(member);
        expire.set(key, ttls.dailyContextsSeconds);
      }
    }
  }

  const pfadd: [string, ...string[]][] = [];
  for (const [key, set] of members) {
    const all = [...set];
    for (let i = 0; i < all.length; i += MAX_MEMBERS_PER_PFADD)
      pfadd.push([key, ...all.slice(i, i + MAX_MEMBERS_PER_PFADD)]);
  }
  return {
    incr: [...increments].flatMap(([key, fields]) =>
      [...fields].map(([field, amount]): [string, string, number] => [key, field, amount]),
    ),
    last: [...last.values()],
    pfadd,
    expire: [...expire],
  };
}
