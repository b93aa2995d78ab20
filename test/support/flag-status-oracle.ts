import type { SdkPayload } from './stream-events';

/**
 * An independent reference for flag-status: a plain reducer over the acknowledged SDK payloads (raw JSON, as the
 * SDK sent them), written apart from the consumer's code. Each (payload id, position) counts once.
 */
export interface ExpectedFlag {
  perMinute: Record<string, Record<string, number>>;
  perHour: Record<string, Record<string, number>>;
  last?: { evaluatedAtMs: number; version: number; variation: number; value: string; order: string };
  contextsByDay: Record<string, Set<string>>;
}

const PAST_MS = 24 * 3_600_000;
const FUTURE_MS = 5 * 60_000;

/** An event time as the consumers must take it: within 24 h before and 5 min after the payload was received. */
export function believable(raw: unknown, receivedAtMs: number): number {
  const value = typeof raw === 'number' && raw > 0 ? raw : receivedAtMs;
  if (value < receivedAtMs - PAST_MS) return receivedAtMs - PAST_MS;
  if (value > receivedAtMs + FUTURE_MS) return receivedAtMs + FUTURE_MS;
  return value;
}

type RawEvent = Record<string, unknown>;

export function expectedFlags(payloads: readonly (SdkPayload & { payloadId: string; receivedAtMs: number })[]) {
  const flags = new Map<string, ExpectedFlag>();
  const seen = new Set<string>();
  const flagOf = (environmentId: string, key: string) => {
    const id = `${environmentId}/${key}`;
    let flag = flags.get(id);
    if (!flag) flags.set(id, (flag = { perMinute: {}, perHour: {}, contextsByDay: {} }));
    return flag;
  };
  /** A feature event and a summary counter both name what was served: version, variation and value. */
  const lastSeen = (flag: ExpectedFlag, evaluatedAtMs: number, served: RawEvent, order: string) => {
    const current = flag.last;
    if (
      current &&
      (evaluatedAtMs < current.evaluatedAtMs || (evaluatedAtMs === current.evaluatedAtMs && order <= current.order))
    )
      return;
    flag.last = {
      evaluatedAtMs,
      version: (served.version as number | undefined) ?? -1,
      variation: (served.variation as number | undefined) ?? -1,
      value: JSON.stringify(served.value),
      order,
    };
  };
  for (const payload of payloads) {
    (payload.events as RawEvent[]).forEach((event, position) => {
      const identity = `${payload.environmentId}|${payload.payloadId}|${position}`;
      if (seen.has(identity)) return;
      seen.add(identity);
      const order = `${payload.payloadId}:${position}`;
      if (event.kind === 'summary') {
        const atMs = believable(event.endDate, payload.receivedAtMs);
        const minute = String(atMs - (atMs % 60_000));
        const hour = String(atMs - (atMs % 3_600_000));
        for (const [key, summary] of Object.entries(event.features as Record<string, { counters: RawEvent[] }>)) {
          const flag = flagOf(payload.environmentId, key);
          let busiest: RawEvent | undefined;
          for (const counter of summary.counters) {
            const variation = counter.variation === undefined ? 'unknown' : `${counter.variation as number}`;
            for (const [buckets, at] of [
              [flag.perMinute, minute],
              [flag.perHour, hour],
            ] as const) {
              buckets[at] ??= {};
              buckets[at][variation] = (buckets[at][variation] ?? 0) + (counter.count as number);
            }
            if (!busiest || (counter.count as number) > (busiest.count as number)) busiest = counter;
          }
          if (busiest) lastSeen(flag, atMs, busiest, order);
        }
      } else if (event.kind === 'feature' || event.kind === 'debug') {
        const atMs = believable(event.creationDate, payload.receivedAtMs);
        const flag = flagOf(payload.environmentId, event.key as string);
        lastSeen(flag, atMs, event, order);
        const day = new Date(atMs).toISOString().slice(0, 10);
        const context = event.context as Record<string, unknown>;
        const members =
          context.kind === 'multi'
            ? Object.entries(context)
                .filter(([kind]) => kind !== 'kind')
                .map(([kind, single]) => `${kind}:${(single as { key: string }).key}`)
            : [`${(context.kind as string | undefined) ?? 'user'}:${context.key as string}`];
        flag.contextsByDay[day] ??= new Set();
        for (const member of members) flag.contextsByDay[day].add(member);
      }
    });
  }
  return flags;
}
