import { createHash } from 'node:crypto';
import type { DecodedEvent, v1 } from '../../codec/event-codec';
import { EventClock, eventOrder } from '../shared/event-time';
import { Generation, routeEvent, WritingGeneration } from '../shared/generations';
import type { StreamRecord } from '../shared/kinesis-batch';
import type { UnusableEvent } from '../shared/poison-sink';

export interface FlagStatusTtls {
  readonly minuteBucketSeconds: number;
  readonly hourBucketSeconds: number;
  readonly hourlyContextsSeconds: number;
  readonly statusSeconds: number;
  /** How long an applied event is remembered: at least the stream's retention, so no copy of it counts twice. */
  readonly appliedEventsSeconds: number;
}

export const DEFAULT_TTLS: FlagStatusTtls = {
  minuteBucketSeconds: 2 * 24 * 3600,
  hourBucketSeconds: 35 * 24 * 3600,
  hourlyContextsSeconds: 35 * 24 * 3600,
  statusSeconds: 90 * 24 * 3600,
  appliedEventsSeconds: 7 * 24 * 3600 + 3600,
};

/** A counted event: its increments apply only if its bit in its payload's ledger was not yet set. */
export type CountedEvent = [ledgerKey: string, position: number, increments: [key: string, field: string, n: number][]];
/** Applied only if (evaluatedAtMs, order) is after what is stored. */
export type LastEvaluation = [
  key: string,
  evaluatedAtMs: number,
  version: number,
  variation: number,
  value: string,
  order: string,
];

/** Every Redis write of one batch. Counts go through the ledger; everything else is idempotent (max, PFADD). */
export interface FlagStatusWrites {
  readonly counted: CountedEvent[];
  readonly last: LastEvaluation[];
  /** [key, ...members] */
  readonly pfadd: [string, ...string[]][];
  /** [key, seconds] */
  readonly expire: [string, number][];
}

export interface CollectedWrites {
  readonly writes: FlagStatusWrites;
  /** Events that can never be applied (a summary without a flag key, a count that is no count). */
  readonly unusable: UnusableEvent[];
  /** Events before this generation's start that the generation it replaces had already applied. */
  readonly carriedOver: number;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
// PFADD members per call, well under Lua's unpack limit.
const MAX_MEMBERS_PER_PFADD = 1_000;
// Payload ids are SDK-chosen; a longer one is hashed so a ledger key stays small.
const MAX_LEDGER_ID_LENGTH = 64;

const floorTo = (atMs: number, unitMs: number) => Math.floor(atMs / unitMs) * unitMs;

/**
 * Every key of one generation of flag-status. An environment's keys, of every generation, share one hash tag, so a
 * script that applies an environment's events, and a read of one flag across generations, stay in one cluster slot.
 */
export const flagStatusKeys = (prefix: string, generation: number) => {
  const base = `${prefix}:g${generation}`;
  const of = (environmentId: string) => `${base}:{${environmentId}}`;
  return {
    status: (environmentId: string, flag: string) => `${of(environmentId)}:flag:${flag}`,
    minute: (environmentId: string, flag: string, atMs: number) =>
      `${of(environmentId)}:count:m:${flag}:${floorTo(atMs, MINUTE_MS)}`,
    hour: (environmentId: string, flag: string, atMs: number) =>
      `${of(environmentId)}:count:h:${flag}:${floorTo(atMs, HOUR_MS)}`,
    hourlyContexts: (environmentId: string, flag: string, atMs: number) =>
      `${of(environmentId)}:contexts:h:${flag}:${floorTo(atMs, HOUR_MS)}`,
    applied: (environmentId: string, payloadId: string) =>
      `${of(environmentId)}:applied:${
        payloadId.length > MAX_LEDGER_ID_LENGTH ? createHash('sha256').update(payloadId).digest('hex') : payloadId
      }`,
    progress: `${base}:progress`,
  };
};

/** The generations and the read pointer, under one hash tag so the switch between them is one script. */
export const registryKeys = (prefix: string) => ({
  generations: `${prefix}:{registry}:generations`,
  live: `${prefix}:{registry}:live`,
});

/** The hash tag a key's cluster slot is computed from (Redis cluster specification): the first {…}, if not empty. */
export function hashTag(key: string): string {
  const open = key.indexOf('{');
  const close = open === -1 ? -1 : key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

type Served = Pick<v1.FeatureEvent.$Properties, 'version' | 'variation' | 'valueJson'>;

export function variationField(variation: number | null | undefined): string {
  return variation === undefined || variation === null ? 'unknown' : String(variation);
}

function contextMembers(subject: v1.FeatureEvent.$Properties): string[] {
  if (subject.context) return (subject.context.contexts ?? []).map((c) => `${c.kind}:${c.key}`);
  return Object.entries(subject.contextKeys?.keysByKind ?? {}).map(([kind, key]) => `${kind}:${key}`);
}

function unusableSummary(summary: v1.SummaryEvent.$Properties): string | undefined {
  for (const flag of summary.flags ?? []) {
    if (!flag.key) return 'a summarized flag has no key';
    for (const counter of flag.counters ?? []) {
      const count = Number(counter.count ?? 0);
      if (!Number.isSafeInteger(count) || count < 0) return `flag ${flag.key} has a count of ${String(counter.count)}`;
    }
  }
  return undefined;
}

export interface CollectOptions {
  readonly prefix: string;
  readonly ttls: FlagStatusTtls;
  readonly clock: EventClock;
  readonly writer: WritingGeneration;
  readonly generations: readonly Generation[];
}

/**
 * Turns a batch's events into Redis writes. Evaluation counts come from summary events, which count every
 * evaluation once, including those an SDK also sends as full feature events; counting both would double count.
 * Feature and debug events give the last evaluation (time, version, variation, value) and the distinct contexts.
 */
export function collectFlagStatusWrites(records: readonly StreamRecord[], options: CollectOptions): CollectedWrites {
  const { ttls, clock } = options;
  const keysByGeneration = new Map<number, ReturnType<typeof flagStatusKeys>>();
  const keysOf = (generation: number) => {
    let keys = keysByGeneration.get(generation);
    if (!keys) keysByGeneration.set(generation, (keys = flagStatusKeys(options.prefix, generation)));
    return keys;
  };
  const counted: CountedEvent[] = [];
  const last = new Map<string, LastEvaluation>();
  const members = new Map<string, Set<string>>();
  const expire = new Map<string, number>();
  const unusable: UnusableEvent[] = [];
  let carriedOver = 0;

  const evaluated = (key: string, atMs: number, served: Served, order: string) => {
    const current = last.get(key);
    if (!current || atMs > current[1] || (atMs === current[1] && order > current[5])) {
      last.set(key, [key, atMs, served.version ?? -1, served.variation ?? -1, served.valueJson ?? '', order]);
    }
    expire.set(key, ttls.statusSeconds);
  };

  for (const record of records) {
    record.events.forEach((decoded: DecodedEvent, index) => {
      if (decoded.kind !== 'summary' && decoded.kind !== 'feature' && decoded.kind !== 'debug') return;
      const environmentId = decoded.envelope.environmentId;
      const atMs = clock.timeOf(decoded);
      const generation = routeEvent(options.writer, atMs, Number(decoded.envelope.receivedAtMs), options.generations);
      if (generation === undefined) {
        carriedOver++;
        return;
      }
      const keys = keysOf(generation);
      const order = eventOrder(decoded);
      if (decoded.kind === 'summary') {
        const summary = decoded.event.summary!;
        const reason = unusableSummary(summary);
        if (reason) {
          unusable.push({ record, index, reason });
          return;
        }
        const increments: CountedEvent[2] = [];
        for (const flag of summary.flags ?? []) {
          let busiest: v1.FlagCounter.$Properties | undefined;
          for (const counter of flag.counters ?? []) {
            const count = Number(counter.count ?? 0);
            const field = variationField(counter.variation);
            const minute = keys.minute(environmentId, flag.key!, atMs);
            const hour = keys.hour(environmentId, flag.key!, atMs);
            increments.push([minute, field, count], [hour, field, count]);
            expire.set(minute, ttls.minuteBucketSeconds);
            expire.set(hour, ttls.hourBucketSeconds);
            if (!busiest || count > Number(busiest.count ?? 0)) busiest = counter;
          }
          if (busiest) evaluated(keys.status(environmentId, flag.key!), atMs, busiest, order);
        }
        const ledger = keys.applied(environmentId, decoded.envelope.payloadId);
        counted.push([ledger, decoded.event.payloadPosition ?? 0, increments]);
        expire.set(ledger, ttls.appliedEventsSeconds);
        return;
      }
      const feature = decoded.event[decoded.kind]!;
      if (!feature.key) {
        unusable.push({ record, index, reason: `a ${decoded.kind} event has no flag key` });
        return;
      }
      evaluated(keys.status(environmentId, feature.key), atMs, feature, order);
      const key = keys.hourlyContexts(environmentId, feature.key, atMs);
      let set = members.get(key);
      if (!set) members.set(key, (set = new Set()));
      for (const member of contextMembers(feature)) set.add(member);
      expire.set(key, ttls.hourlyContextsSeconds);
    });
  }

  const pfadd: [string, ...string[]][] = [];
  for (const [key, set] of members) {
    const all = [...set];
    for (let i = 0; i < all.length; i += MAX_MEMBERS_PER_PFADD)
      pfadd.push([key, ...all.slice(i, i + MAX_MEMBERS_PER_PFADD)]);
  }
  return {
    writes: { counted, last: [...last.values()], pfadd, expire: [...expire] },
    unusable,
    carriedOver,
  };
}
