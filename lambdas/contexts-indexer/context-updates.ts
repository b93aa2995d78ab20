import { createHash } from 'node:crypto';
import type { DecodedEvent, v1 } from '../../codec/event-codec';
import { compareSequenceNumbers, eventTimeMs, StreamRecord } from '../shared/kinesis-batch';

/** What one batch has to say about one context; merged into the stored document by mergeContext. */
export interface ContextUpdate {
  readonly id: string;
  readonly environmentId: string;
  readonly kind: string;
  readonly key: string;
  firstSeenMs: number;
  lastSeenMs: number;
  /** The fullest view of the context at lastSeenMs: events that carry only kind and key leave it alone. */
  details?: {
    name?: string;
    anonymous: boolean;
    attributes?: Record<string, unknown>;
    redactedAttributes: string[];
    atMs: number;
  };
  lastSdk: string;
  /** Evaluations per contributing record, so a record already applied can be left out of the count. */
  readonly evaluationsByRecord: Map<string, { shardId: string; sequenceNumber: string; evaluations: number }>;
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
  evaluationCount: number;
  /** Highest sequence number per shard already counted into this document. */
  watermarks: Record<string, string>;
}

// OpenSearch document ids are at most 512 bytes.
const MAX_READABLE_ID_BYTES = 400;

export function contextDocumentId(environmentId: string, kind: string, key: string): string {
  const readable = `${environmentId}/${kind}/${key}`;
  if (Buffer.byteLength(readable) <= MAX_READABLE_ID_BYTES) return readable;
  return `${environmentId}/${kind}/sha256:${createHash('sha256').update(key).digest('hex')}`;
}

type Subject = { context?: v1.Context.$Properties | null; contextKeys?: v1.ContextKeys.$Properties | null };

function subjectOf(decoded: DecodedEvent): { subject: Subject; evaluation: boolean } | undefined {
  const event = decoded.event;
  switch (decoded.kind) {
    case 'feature':
      return { subject: event.feature!, evaluation: true };
    case 'debug':
      return { subject: event.debug!, evaluation: false };
    case 'custom':
      return { subject: event.custom!, evaluation: false };
    case 'identify':
      return { subject: event.identify!, evaluation: false };
    case 'index':
      return { subject: event.index!, evaluation: false };
    case 'summary':
      return undefined;
  }
}

/** Folds a batch's events into one update per (environment, context kind, key). */
export function collectContextUpdates(records: readonly StreamRecord[]): Map<string, ContextUpdate> {
  const updates = new Map<string, ContextUpdate>();
  const touch = (record: StreamRecord, decoded: DecodedEvent, kind: string, key: string, evaluation: boolean) => {
    const environmentId = decoded.envelope.environmentId;
    const id = contextDocumentId(environmentId, kind, key);
    const atMs = eventTimeMs(decoded);
    let update = updates.get(id);
    if (!update) {
      update = {
        id,
        environmentId,
        kind,
        key,
        firstSeenMs: atMs,
        lastSeenMs: atMs,
        lastSdk: '',
        evaluationsByRecord: new Map(),
      };
      updates.set(id, update);
    }
    update.firstSeenMs = Math.min(update.firstSeenMs, atMs);
    if (atMs >= update.lastSeenMs) {
      update.lastSeenMs = atMs;
      update.lastSdk = `${decoded.envelope.sdkName}/${decoded.envelope.sdkVersion}`;
    }
    let contribution = update.evaluationsByRecord.get(record.sequenceNumber);
    if (!contribution) {
      contribution = { shardId: record.shardId, sequenceNumber: record.sequenceNumber, evaluations: 0 };
      update.evaluationsByRecord.set(record.sequenceNumber, contribution);
    }
    if (evaluation) contribution.evaluations++;
    return update;
  };

  for (const record of records) {
    for (const decoded of record.events) {
      const found = subjectOf(decoded);
      if (!found) continue;
      const { subject, evaluation } = found;
      if (subject.context) {
        for (const single of subject.context.contexts ?? []) {
          const update = touch(record, decoded, single.kind ?? 'user', single.key ?? '', evaluation);
          const atMs = eventTimeMs(decoded);
          if (!update.details || atMs >= update.details.atMs) {
            update.details = {
              name: single.name ?? undefined,
              anonymous: single.anonymous ?? false,
              attributes: single.attributesJson
                ? (JSON.parse(single.attributesJson) as Record<string, unknown>)
                : undefined,
              redactedAttributes: single.redactedAttributes ?? [],
              atMs,
            };
          }
        }
      } else if (subject.contextKeys) {
        for (const [kind, key] of Object.entries(subject.contextKeys.keysByKind ?? {}))
          touch(record, decoded, kind, key, evaluation);
      }
    }
  }
  return updates;
}

/**
 * Merges an update into the stored document (or starts one). First and last seen are a min and a max, and the
 * details follow the newest event that carried them, so retries, replays and out-of-order batches all converge.
 * Evaluations are counted only for records past the document's per-shard watermark, so re-reading a record
 * never counts it twice (Lambda reads a shard in order when the mapping's parallelization factor is 1).
 */
export function mergeContext(existing: ContextDocument | undefined, update: ContextUpdate): ContextDocument {
  const watermarks = { ...existing?.watermarks };
  let newEvaluations = 0;
  for (const { shardId, sequenceNumber, evaluations } of update.evaluationsByRecord.values()) {
    const mark = watermarks[shardId];
    if (mark !== undefined && compareSequenceNumbers(sequenceNumber, mark) <= 0) continue;
    newEvaluations += evaluations;
  }
  for (const { shardId, sequenceNumber } of update.evaluationsByRecord.values()) {
    const mark = watermarks[shardId];
    if (mark === undefined || compareSequenceNumbers(sequenceNumber, mark) > 0) watermarks[shardId] = sequenceNumber;
  }
  const takeDetails = update.details !== undefined && (!existing || update.details.atMs >= existing.detailsSeen);
  const details = takeDetails ? update.details! : undefined;
  const newer = !existing || update.lastSeenMs >= existing.lastSeen;
  return {
    environmentId: update.environmentId,
    kind: update.kind,
    key: update.key,
    name: details ? details.name : existing?.name,
    anonymous: details ? details.anonymous : (existing?.anonymous ?? false),
    attributes: details ? details.attributes : existing?.attributes,
    redactedAttributes: details ? details.redactedAttributes : (existing?.redactedAttributes ?? []),
    detailsSeen: details ? details.atMs : (existing?.detailsSeen ?? 0),
    firstSeen: Math.min(existing?.firstSeen ?? Infinity, update.firstSeenMs),
    lastSeen: Math.max(existing?.lastSeen ?? 0, update.lastSeenMs),
    lastSdk: newer ? update.lastSdk : existing.lastSdk,
    evaluationCount: (existing?.evaluationCount ?? 0) + newEvaluations,
    watermarks,
  };
}
