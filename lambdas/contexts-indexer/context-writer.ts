import type { Client } from '@opensearch-project/opensearch';
import { LRU, lru } from 'tiny-lru';
import { fromStoredContext, StoredContext, toStoredContext } from './context-index';
import { ContextDocument, ContextUpdate, mergeContext, sameContext } from './context-updates';

export interface ContextWriterOptions {
  readonly client: Client;
  /** The generation's own index (not the alias, which moves at a replay's switch). */
  readonly index: string;
  /** Amazon OpenSearch Service refuses requests over 10 MiB; stay well under. @default 5 MB */
  readonly maxBulkBytes?: number;
  /** Milliseconds left for writing; items still pending when it runs out are reported as failed. */
  readonly remainingMs: () => number;
  /** @default 50 ms */
  readonly baseBackoffMs?: number;
  /** Documents this function read or wrote lately; @default the one the function keeps for its lifetime */
  readonly recentDocuments?: RecentDocuments;
}

/**
 * The stored documents a function read or wrote lately, by index and id. A stale entry is safe: documents only
 * grow by merges, so an update that leaves a remembered document as it was leaves the stored one as it is too.
 * An update that changes it is merged into the document read again, as another shard's function may have moved it.
 */
export type RecentDocuments = LRU<StoredDocument>;

export function recentDocuments(maxDocuments: number): RecentDocuments {
  return lru<StoredDocument>(maxDocuments);
}

// At about 1 KB a document, 50 MB of the function's memory: an hour of the contexts a shard's consumer sees.
export const DEFAULT_RECENT_DOCUMENTS = 50_000;
const sharedRecentDocuments = recentDocuments(DEFAULT_RECENT_DOCUMENTS);

export interface WriteOutcome {
  readonly written: number;
  /** Documents that already held everything the updates said: nothing written. */
  readonly unchanged: number;
  /** Documents read from the store (the rest were remembered). */
  readonly read: number;
  /** Document ids that could not be written: their records go back to Lambda. */
  readonly failedIds: Set<string>;
  readonly attempts: number;
  readonly throttledItems: number;
  readonly conflicts: number;
}

export interface StoredDocument {
  readonly source: ContextDocument;
  readonly seqNo: number;
  readonly primaryTerm: number;
}

type ItemResult = { status: number; _seq_no?: number; _primary_term?: number; error?: { type?: string } };

const RETRYABLE = new Set([429, 500, 502, 503, 504]);

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function statusOf(error: unknown): number {
  return (error as { meta?: { statusCode?: number } }).meta?.statusCode ?? 503;
}

/**
 * Read-modify-write with optimistic concurrency: skip what a remembered document already holds, read the rest (mget),
 * merge in code, write back only what changed, with if_seq_no/if_primary_term (or create). Another writer
 * in between makes a 409 and the document is read and merged again; 429 and 5xx items are retried with backoff
 * while the invocation has time; every item result is read.
 */
export async function writeContextUpdates(
  updates: readonly ContextUpdate[],
  options: ContextWriterOptions,
): Promise<WriteOutcome> {
  const maxBulkBytes = options.maxBulkBytes ?? 5_000_000;
  const baseBackoffMs = options.baseBackoffMs ?? 50;
  const recent = options.recentDocuments ?? sharedRecentDocuments;
  const cacheKey = (id: string) => `${options.index}/${id}`;
  const failedIds = new Set<string>();
  let pending = [...updates];
  let written = 0;
  let unchanged = 0;
  let read = 0;
  let attempts = 0;
  let throttledItems = 0;
  let conflicts = 0;

  while (pending.length > 0) {
    if (attempts > 0) {
      const backoff = Math.random() * Math.min(2_000, baseBackoffMs * 2 ** attempts);
      if (options.remainingMs() < backoff + 1_000) break;
      await sleep(backoff);
    }
    attempts++;
    // A remembered document the update leaves as it was needs nothing; the rest are read, so a change is merged into
    // what is stored now, not into what another shard's function has since moved on from.
    const toRead: ContextUpdate[] = [];
    for (const update of pending) {
      const remembered = recent.get(cacheKey(update.id));
      if (remembered && sameContext(mergeContext(remembered.source, update), remembered.source)) unchanged++;
      else toRead.push(update);
    }
    const stored = new Map<string, StoredDocument>();
    try {
      await readDocuments(
        options.client,
        options.index,
        toRead.map((update) => update.id),
        stored,
      );
      read += toRead.length;
    } catch (error) {
      if (!RETRYABLE.has(statusOf(error))) throw error;
      continue;
    }
    const changes: Change[] = [];
    for (const update of toRead) {
      const existing = stored.get(update.id);
      const merged = mergeContext(existing?.source, update);
      if (existing && sameContext(merged, existing.source)) {
        unchanged++;
        recent.set(cacheKey(update.id), existing);
      } else changes.push({ update, existing, merged });
    }
    const retry: ContextUpdate[] = [];
    for (const chunk of bulkChunks(changes, maxBulkBytes)) {
      let items: ItemResult[];
      try {
        // Lines are serialized already (to size the chunk); the client sends strings as they are.
        const response = await options.client.bulk({
          index: options.index,
          body: chunk.lines as unknown as Record<string, unknown>[],
        });
        items = (response.body.items as Record<string, ItemResult>[]).map((item) => Object.values(item)[0]!);
      } catch (error) {
        if (!RETRYABLE.has(statusOf(error))) throw error;
        retry.push(...chunk.changes.map((change) => change.update));
        continue;
      }
      items.forEach((item, i) => {
        const { update, merged } = chunk.changes[i]!;
        if (item.status < 300) {
          written++;
          recent.set(cacheKey(update.id), { source: merged, seqNo: item._seq_no!, primaryTerm: item._primary_term! });
          return;
        }
        recent.delete(cacheKey(update.id));
        if (item.status === 409) {
          conflicts++;
          retry.push(update);
        } else if (RETRYABLE.has(item.status)) {
          if (item.status === 429) throttledItems++;
          retry.push(update);
        } else failedIds.add(update.id);
      });
    }
    pending = retry;
  }
  for (const update of pending) failedIds.add(update.id);
  return { written, unchanged, read, failedIds, attempts, throttledItems, conflicts };
}

interface Change {
  readonly update: ContextUpdate;
  readonly existing?: StoredDocument;
  readonly merged: ContextDocument;
}

// Ids per mget: a batch of 180 full records can name tens of thousands of contexts, too many for one request.
export const MGET_IDS_PER_REQUEST = 1_000;

async function readDocuments(
  client: Client,
  index: string,
  ids: string[],
  stored: Map<string, StoredDocument>,
): Promise<void> {
  for (let start = 0; start < ids.length; start += MGET_IDS_PER_REQUEST) {
    const chunk = ids.slice(start, start + MGET_IDS_PER_REQUEST);
    const response = await client.mget({ index, body: { ids: chunk } });
    keepFound(response.body.docs as StoredAnswer[], stored);
  }
}

type StoredAnswer = {
  _id: string;
  found?: boolean;
  _source?: StoredContext;
  _seq_no?: number;
  _primary_term?: number;
  error?: unknown;
};

function keepFound(docs: readonly StoredAnswer[], stored: Map<string, StoredDocument>): void {
  for (const doc of docs) {
    if (doc.error) throw Object.assign(new Error(`mget failed for ${doc._id}`), { meta: { statusCode: 503 } });
    if (doc.found && doc._source)
      stored.set(doc._id, {
        source: fromStoredContext(doc._source),
        seqNo: doc._seq_no!,
        primaryTerm: doc._primary_term!,
      });
  }
}

function* bulkChunks(changes: readonly Change[], maxBytes: number) {
  let lines: string[] = [];
  let chunkChanges: Change[] = [];
  let bytes = 0;
  for (const change of changes) {
    const { update, existing } = change;
    const action = existing
      ? { index: { _id: update.id, if_seq_no: existing.seqNo, if_primary_term: existing.primaryTerm } }
      : { create: { _id: update.id } };
    const actionLine = JSON.stringify(action);
    const documentLine = JSON.stringify(toStoredContext(change.merged));
    const size = actionLine.length + documentLine.length + 2;
    if (chunkChanges.length > 0 && bytes + size > maxBytes) {
      yield { lines, changes: chunkChanges };
      lines = [];
      chunkChanges = [];
      bytes = 0;
    }
    lines.push(actionLine, documentLine);
    chunkChanges.push(change);
    bytes += size;
  }
  if (chunkChanges.length > 0) yield { lines, changes: chunkChanges };
}
