import { believable } from './flag-status-oracle';
import type { SdkPayload } from './stream-events';

/**
 * An independent reference for contexts-indexer: a plain reducer over the acknowledged SDK payloads (raw JSON, as
 * the SDK sent them), written apart from the consumer's code. Times are kept to the start of their resolution
 * window (first seen exactly); of the names seen in the newest window with a whole context, the greatest.
 */
export interface ExpectedContext {
  firstSeen: number;
  lastSeen: number;
  name?: string;
  detailsWindow: number;
}

type RawEvent = Record<string, unknown>;

function singles(context: RawEvent): [kind: string, single: RawEvent][] {
  if (context.kind === 'multi')
    return Object.entries(context)
      .filter(([kind]) => kind !== 'kind')
      .map(([kind, single]) => [kind, single as RawEvent]);
  return [[(context.kind as string | undefined) ?? 'user', context]];
}

export function expectedContexts(
  payloads: readonly (SdkPayload & { payloadId: string; receivedAtMs: number })[],
  resolutionMs: number,
) {
  const contexts = new Map<string, ExpectedContext>();
  for (const payload of payloads) {
    for (const event of payload.events as RawEvent[]) {
      // A summary names a context only when a client-side SDK sends it, and is dated by its interval's end.
      if (event.kind === 'summary' && !event.context) continue;
      const atMs = believable(event.kind === 'summary' ? event.endDate : event.creationDate, payload.receivedAtMs);
      const window = Math.floor(atMs / resolutionMs) * resolutionMs;
      const seen: [string, string, RawEvent | undefined][] = event.context
        ? singles(event.context as RawEvent).map(([kind, single]) => [kind, single.key as string, single])
        : Object.entries((event.contextKeys ?? {}) as Record<string, string>).map(([kind, key]) => [
            kind,
            key,
            undefined,
          ]);
      for (const [kind, key, whole] of seen) {
        const id = `${payload.environmentId}/${kind}/${key}`;
        const known = contexts.get(id) ?? { firstSeen: atMs, lastSeen: window, detailsWindow: -1 };
        known.firstSeen = Math.min(known.firstSeen, atMs);
        known.lastSeen = Math.max(known.lastSeen, window);
        const name = whole?.name as string | undefined;
        if (
          whole &&
          (window > known.detailsWindow || (window === known.detailsWindow && (name ?? '') > (known.name ?? '')))
        ) {
          known.name = name;
          known.detailsWindow = window;
        }
        contexts.set(id, known);
      }
    }
  }
  return contexts;
}
