import { believable } from './flag-status-oracle';
import type { SdkPayload } from './stream-events';

/**
 * An independent reference for contexts-indexer: a plain reducer over the acknowledged SDK payloads (raw JSON, as
 * the SDK sent them), written apart from the consumer's code.
 */
export interface ExpectedContext {
  firstSeen: number;
  lastSeen: number;
  /** From the newest event that carried the whole context (not only its keys). */
  name?: string;
  detailsAt: number;
  detailsOrder: string;
}

type RawEvent = Record<string, unknown>;

function singles(context: RawEvent): [kind: string, single: RawEvent][] {
  if (context.kind === 'multi')
    return Object.entries(context)
      .filter(([kind]) => kind !== 'kind')
      .map(([kind, single]) => [kind, single as RawEvent]);
  return [[(context.kind as string | undefined) ?? 'user', context]];
}

export function expectedContexts(payloads: readonly (SdkPayload & { payloadId: string; receivedAtMs: number })[]) {
  const contexts = new Map<string, ExpectedContext>();
  for (const payload of payloads) {
    (payload.events as RawEvent[]).forEach((event, position) => {
      if (event.kind === 'summary') return;
      const atMs = believable(event.creationDate, payload.receivedAtMs);
      const order = `${payload.payloadId}:${position}`;
      const seen: [string, string, RawEvent | undefined][] = event.context
        ? singles(event.context as RawEvent).map(([kind, single]) => [kind, single.key as string, single])
        : Object.entries((event.contextKeys ?? {}) as Record<string, string>).map(([kind, key]) => [
            kind,
            key,
            undefined,
          ]);
      for (const [kind, key, whole] of seen) {
        const id = `${payload.environmentId}/${kind}/${key}`;
        const known = contexts.get(id) ?? { firstSeen: atMs, lastSeen: atMs, detailsAt: -1, detailsOrder: '' };
        known.firstSeen = Math.min(known.firstSeen, atMs);
        known.lastSeen = Math.max(known.lastSeen, atMs);
        if (whole && (atMs > known.detailsAt || (atMs === known.detailsAt && order > known.detailsOrder))) {
          known.name = whole.name as string | undefined;
          known.detailsAt = atMs;
          known.detailsOrder = order;
        }
        contexts.set(id, known);
      }
    });
  }
  return contexts;
}
