import { createHash } from 'node:crypto';
import type { DecodedEvent, v1 } from '../../codec/event-codec';
import { EventClock } from '../shared/event-time';
import type { StreamRecord } from '../shared/kinesis-batch';
import type { UnusableEvent } from '../shared/poison-sink';

/** A context's fullest view, as of a resolution window: events that carry only kind and key leave it alone. */
export interface ContextDetails {
  name?: string;
  anonymous: boolean;
  attributes?: Record<string, unknown>;
  redactedAttributes: string[];
  /** The start of the resolution window it was seen in. */
  atMs: number;
}

/** What one batch has to say about one context; merged into the stored document by mergeContext. */
export interface ContextUpdate {
  readonly id: string;
  readonly environmentId: string;
  readonly kind: string;
  readonly key: string;
  firstSeenMs: number;
  /** The start of the resolution window of the newest sighting. */
  lastSeenMs: number;
  /** The greatest SDK seen in that window, so sightings merge the same way in any order. */
  lastSdk: string;
  details?: ContextDetails;
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

const contentKeys = new WeakMap<ContextDetails, string>();

/**
 * JSON with every object's keys sorted: the same text for the same content, whatever order its keys came in. Written
 * here rather than taken from a library: the function's bundle stays under its 1 MB cold-start budget.
 */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const object = value as Record<string, unknown>;
    const fields = Object.keys(object)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(object[key])}`);
    return `{${fields.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Redacted names and attributes as one string with sorted keys: equal content, equal string, whatever the order. */
function contentKey(details: ContextDetails): string {
  let key = contentKeys.get(details);
  if (key === undefined) {
    key = canonicalJson([details.redactedAttributes, details.attributes ?? null]);
    contentKeys.set(details, key);
  }
  return key;
}

/**
 * Which details a document keeps: those of the newest window, and within one window the greatest content (name,
 * then anonymous, then the rest). A total order on what was seen, so merges agree in any order, and a context seen
 * again as it was changes nothing.
 */
export function compareDetails(a: ContextDetails, b: ContextDetails): number {
  if (a.atMs !== b.atMs) return a.atMs - b.atMs;
  const aName = a.name ?? '';
  const bName = b.name ?? '';
  if (aName !== bName) return aName < bName ? -1 : 1;
  if (a.anonymous !== b.anonymous) return a.anonymous ? 1 : -1;
  const aKey = contentKey(a);
  const bKey = contentKey(b);
  return aKey === bKey ? 0 : aKey < bKey ? -1 : 1;
}

/** Whether a sighting (window start, SDK) is newer than another: the later window, then the greater SDK. */
function sightingAfter(atMs: number, sdk: string, thanMs: number, thanSdk: string): boolean {
  return atMs > thanMs || (atMs === thanMs && sdk > thanSdk);
}

/**
 * How finely last seen is kept by default: a contexts list reads "seen in the last quarter hour" as well as it reads
 * a minute, and on contexts in sessions it costs about one write in 350 events (npm run bench -- consumers), under a
 * third of what the store is sized for; an hour would halve that again but show 10:59 as 10:00.
 */
export const DEFAULT_LAST_SEEN_RESOLUTION_MINUTES = 15;

/** What is wrong with a resolution, if anything: windows must tile an hour, so a replay's start is a window's. */
export function lastSeenResolutionProblem(minutes: number): string | undefined {
  if (Number.isInteger(minutes) && minutes >= 1 && minutes <= 60 && 60 % minutes === 0) return undefined;
  return `must be a whole number of minutes that divides an hour (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60), got ${minutes}`;
}

/** A time to the start of its resolution window; a resolution divides an hour, so windows align with replays. */
export function windowStart(atMs: number, resolutionMs: number): number {
  return atMs - (atMs % resolutionMs);
}

/**
 * Folds a batch's events into one update per (environment, context kind, key), with every sighting's time taken to
 * the start of its resolution window (first seen stays exact: later sightings never move it).
 */
export function collectContextUpdates(
  records: readonly StreamRecord[],
  resolutionMs: number,
  clock: EventClock = new EventClock(),
  unusable: UnusableEvent[] = [],
): Map<string, ContextUpdate> {
  const updates = new Map<string, ContextUpdate>();
  const touch = (record: StreamRecord, decoded: DecodedEvent, kind: string, key: string, atMs: number) => {
    const environmentId = decoded.envelope.environmentId;
    const id = contextDocumentId(environmentId, kind, key);
    const sdk = `${decoded.envelope.sdkName}/${decoded.envelope.sdkVersion}`;
    const windowMs = windowStart(atMs, resolutionMs);
    let update = updates.get(id);
    if (!update) {
      update = {
        id,
        environmentId,
        kind,
        key,
        firstSeenMs: atMs,
        lastSeenMs: windowMs,
        lastSdk: sdk,
        sequenceNumbers: new Set(),
      };
      updates.set(id, update);
    }
    update.firstSeenMs = Math.min(update.firstSeenMs, atMs);
    if (sightingAfter(windowMs, sdk, update.lastSeenMs, update.lastSdk)) {
      update.lastSeenMs = windowMs;
      update.lastSdk = sdk;
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
        for (const single of subject.context.contexts ?? []) {
          const update = touch(record, decoded, single.kind ?? 'user', single.key ?? '', atMs);
          const seen: ContextDetails = {
            name: single.name ?? undefined,
            anonymous: single.anonymous ?? false,
            attributes: attributes.get(single),
            redactedAttributes: single.redactedAttributes ?? [],
            atMs: windowStart(atMs, resolutionMs),
          };
          if (!update.details || compareDetails(seen, update.details) > 0) update.details = seen;
        }
      } else if (subject.contextKeys) {
        for (const [kind, key] of Object.entries(subject.contextKeys.keysByKind ?? {}))
          touch(record, decoded, kind, key, atMs);
      }
    }
  }
  return updates;
}

function storedDetails(document: ContextDocument): ContextDetails | undefined {
  if (document.detailsSeen === 0) return undefined;
  return {
    name: document.name,
    anonymous: document.anonymous,
    attributes: document.attributes,
    redactedAttributes: document.redactedAttributes,
    atMs: document.detailsSeen,
  };
}

/**
 * Merges an update into the stored document (or starts one). Every field is an idempotent merge: first seen a
 * min, last seen the newest window, the details by compareDetails. So a retry, a duplicate from the producer, a
 * replay or batches out of order all leave the same document, and a context seen again within its window leaves
 * it as it was (sameContext), which costs no write.
 */
export function mergeContext(existing: ContextDocument | undefined, update: ContextUpdate): ContextDocument {
  const kept = existing && storedDetails(existing);
  const details = update.details && (!kept || compareDetails(update.details, kept) > 0) ? update.details : kept;
  const newer = !existing || sightingAfter(update.lastSeenMs, update.lastSdk, existing.lastSeen, existing.lastSdk);
  return {
    environmentId: update.environmentId,
    kind: update.kind,
    key: update.key,
    name: details?.name,
    anonymous: details?.anonymous ?? false,
    attributes: details?.attributes,
    redactedAttributes: details?.redactedAttributes ?? [],
    detailsSeen: details?.atMs ?? 0,
    firstSeen: Math.min(existing?.firstSeen ?? Infinity, update.firstSeenMs),
    lastSeen: newer ? update.lastSeenMs : existing.lastSeen,
    lastSdk: newer ? update.lastSdk : existing.lastSdk,
  };
}

/** A document's fields that hold a value: a stored document has no field for what a merge left undefined. */
function definedFields(document: ContextDocument): Partial<ContextDocument> {
  return Object.fromEntries(Object.entries(document).filter(([, value]) => value !== undefined));
}

/**
 * Whether two documents would be stored as the same JSON: absent and undefined fields alike, attributes in any key
 * order, as a stored document reads back.
 */
export function sameContext(a: ContextDocument, b: ContextDocument): boolean {
  return canonicalJson(definedFields(a)) === canonicalJson(definedFields(b));
}
