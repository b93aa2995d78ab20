import { createHash } from 'node:crypto';
import type { DecodedEvent, v1 } from '../../codec/event-codec';
import { EventClock, eventOrder } from '../shared/event-time';
import type { StreamRecord } from '../shared/kinesis-batch';
import type { UnusableEvent } from '../shared/poison-sink';

/** What one batch has to say about one context; merged into the stored document by mergeContext. */
export interface ContextUpdate {
  readonly id: string;
  readonly environmentId: string;
  readonly kind: string;
  readonly key: string;
  firstSeenMs: number;
  lastSeenMs: number;
  /** The identity of the event seen last, so two events at the same millisecond merge the same way in any order. */
  lastOrder: string;
  /** The fullest view of the context at lastSeenMs: events that carry only kind and key leave it alone. */
  details?: {
    name?: string;
    anonymous: boolean;
    attributes?: Record<string, unknown>;
    redactedAttributes: string[];
    atMs: number;
    order: string;
  };
  lastSdk: string;
  /** The records that contributed, to report them if the document cannot be written. */
  readonly sequenceNumbers: Set<string>;
}

export interface ContextDocument {
  environmentId: string;
  kind: string;
  key: string;
  name?: string;
  anonymous: boolean;
  attributes?: Record<string, unknown>;
  redactedAttributes: string[];
  firstSeen: number;
  lastSeen: number;
  detailsSeen: number;
  detailsOrder: string;
  lastSeenOrder: string;
  lastSdk: string;
}

// OpenSearch document ids are at most 512 bytes.
const MAX_READABLE_ID_BYTES = 400;

export function contextDocumentId(environmentId: string, kind: string, key: string): string {
  const readable = `${environmentId}/${kind}/${key}`;
  if (Buffer.byteLength(readable) <= MAX_READABLE_ID_BYTES) return readable;
  return `${environmentId}/${kind}/sha256:${createHash('sha256').update(key).digest('hex')}`;
}

type Subject = { context?: v1.Context.$Properties | null; contextKeys?: v1.ContextKeys.$Properties | null };

/** The contexts an event names; aliases and diagnostics name none, a summary only when it is per context. */
function subjectOf(decoded: DecodedEvent): Subject | undefined {
  const event = decoded.event;
  switch (decoded.kind) {
    case 'alias':
    case 'diagnostic':
      return undefined;
    case 'summary':
      return event.summary!.context ? { context: event.summary!.context } : undefined;
    default:
      return event[decoded.kind]!;
  }
}

/** Each context's attributes, or an Error naming the context whose attributes are not a JSON object. */
function parseAttributes(subject: Subject): Map<object, Record<string, unknown>> | Error {
  const parsed = new Map<object, Record<string, unknown>>();
  for (const single of subject.context?.contexts ?? []) {
    if (!single.attributesJson) continue;
    try {
      parsed.set(single, JSON.parse(single.attributesJson) as Record<string, unknown>);
    } catch {
      return new Error(`context ${single.kind}:${single.key} has attributes that are not JSON`);
    }
  }
  return parsed;
}

/** (time, event identity): the order in which merges keep the newest, the same whatever order events arrive in. */
function isAfter(atMs: number, order: string, thanMs: number, thanOrder: string): boolean {
  return atMs > thanMs || (atMs === thanMs && order > thanOrder);
}

/** Folds a batch's events into one update per (environment, context kind, key). */
export function collectContextUpdates(
  records: readonly StreamRecord[],
  clock: EventClock = new EventClock(),
  unusable: UnusableEvent[] = [],
): Map<string, ContextUpdate> {
  const updates = new Map<string, ContextUpdate>();
  const touch = (record: StreamRecord, decoded: DecodedEvent, kind: string, key: string, atMs: number) => {
    const environmentId = decoded.envelope.environmentId;
    const id = contextDocumentId(environmentId, kind, key);
    const order = eventOrder(decoded);
    let update = updates.get(id);
    if (!update) {
      update = {
        id,
        environmentId,
        kind,
        key,
        firstSeenMs: atMs,
        lastSeenMs: atMs,
        lastOrder: order,
        lastSdk: `${decoded.envelope.sdkName}/${decoded.envelope.sdkVersion}`,
        sequenceNumbers: new Set(),
      };
      updates.set(id, update);
    }
    update.firstSeenMs = Math.min(update.firstSeenMs, atMs);
    if (isAfter(atMs, order, update.lastSeenMs, update.lastOrder)) {
      update.lastSeenMs = atMs;
      update.lastOrder = order;
      update.lastSdk = `${decoded.envelope.sdkName}/${decoded.envelope.sdkVersion}`;
    }
    update.sequenceNumbers.add(record.sequenceNumber);
    return update;
  };

  for (const record of records) {
    for (const [index, decoded] of record.events.entries()) {
      const subject = subjectOf(decoded);
      if (!subject) continue;
      const attributes = parseAttributes(subject);
      if (attributes instanceof Error) {
        unusable.push({ record, index, reason: attributes.message });
        continue;
      }
      const atMs = clock.timeOf(decoded);
      if (subject.context) {
        const order = eventOrder(decoded);
        for (const single of subject.context.contexts ?? []) {
          const update = touch(record, decoded, single.kind ?? 'user', single.key ?? '', atMs);
          const singleAttributes = attributes.get(single);
          if (!update.details || isAfter(atMs, order, update.details.atMs, update.details.order)) {
            update.details = {
              name: single.name ?? undefined,
              anonymous: single.anonymous ?? false,
              attributes: singleAttributes,
              redactedAttributes: single.redactedAttributes ?? [],
              atMs,
              order,
            };
          }
        }
      } else if (subject.contextKeys) {
        for (const [kind, key] of Object.entries(subject.contextKeys.keysByKind ?? {}))
          touch(record, decoded, kind, key, atMs);
      }
    }
  }
  return updates;
}

/**
 * Merges an update into the stored document (or starts one). Every field is an idempotent merge: first seen a
 * min, last seen and the details the newest by (time, event identity). So a retry, a duplicate from the producer,
 * a replay or batches out of order all leave the same document, and no per-document bookkeeping is needed.
 */
export function mergeContext(existing: ContextDocument | undefined, update: ContextUpdate): ContextDocument {
  const details =
    update.details &&
    (!existing || isAfter(update.details.atMs, update.details.order, existing.detailsSeen, existing.detailsOrder))
      ? update.details
      : undefined;
  const newer = !existing || isAfter(update.lastSeenMs, update.lastOrder, existing.lastSeen, existing.lastSeenOrder);
  return {
    environmentId: update.environmentId,
    kind: update.kind,
    key: update.key,
    name: details ? details.name : existing?.name,
    anonymous: details ? details.anonymous : (existing?.anonymous ?? false),
    attributes: details ? details.attributes : existing?.attributes,
    redactedAttributes: details ? details.redactedAttributes : (existing?.redactedAttributes ?? []),
    detailsSeen: details ? details.atMs : (existing?.detailsSeen ?? 0),
    detailsOrder: details ? details.order : (existing?.detailsOrder ?? ''),
    firstSeen: Math.min(existing?.firstSeen ?? Infinity, update.firstSeenMs),
    lastSeen: newer ? update.lastSeenMs : existing.lastSeen,
    lastSeenOrder: newer ? update.lastOrder : existing.lastSeenOrder,
    lastSdk: newer ? update.lastSdk : existing.lastSdk,
  };
}
