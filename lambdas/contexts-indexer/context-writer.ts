import type { Client } from '@opensearch-project/opensearch';
import { fromStoredContext, StoredContext, toStoredContext } from './context-index';
import { ContextDocument, ContextUpdate, mergeContext } from './context-updates';

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
}

export interface WriteOutcome {
  readonly written: number;
  /** Document ids that could not be written: their records go back to Lambda. */
  readonly failedIds: Set<string>;
  readonly attempts: number;
  readonly throttledItems: number;
  readonly conflicts: number;
}

interface StoredDocument {
  readonly source: ContextDocument;
  readonly seqNo: number;
  readonly primaryTerm: number;
}

type ItemResult = { status: number; error?: { type?: string } };

const RETRYABLE = new Set([429, 500, 502, 503, 504]);

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function statusOf(error: unknown): number {
  return (error as { meta?: { statusCode?: number } }).meta?.statusCode ?? 503;
}

/**
 * Read-modify-write with optimistic concurrency: read the stored documents (mget), merge in code, write back with
 * if_seq_no/if_primary_term (or create). Another writer in between makes a 409 and the document is read and merged
 * again; 429 and 5xx items are retried with backoff while the invocation has time; every item result is read.
 */
export async function writeContextUpdates(
  updates: readonly ContextUpdate[],
  options: ContextWriterOptions,
): Promise<WriteOutcome> {
  const maxBulkBytes = options.maxBulkBytes ?? 5_000_000;
  const baseBackoffMs = options.baseBackoffMs ?? 50;
  const failedIds = new Set<string>();
  let pending = [...updates];
  let written = 0;
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
    let stored: Map<string, StoredDocument>;
    try {
      stored = await readDocuments(
        options.client,
        options.index,
        pending.map((update) => update.id),
      );
    } catch (error) {
      if (!RETRYABLE.has(statusOf(error))) throw error;
      continue;
    }
    const retry: ContextUpdate[] = [];
    for (const chunk of bulkChunks(pending, stored, maxBulkBytes)) {
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
        retry.push(...chunk.updates);
        continue;
      }
      items.forEach((item, i) => {
        const update = chunk.updates[i]!;
        if (item.status < 300) written++;
        else if (item.status === 409) {
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
  return { written, failedIds, attempts, throttledItems, conflicts };
}

// Ids per mget: a batch of 180 full records can name tens of thousands of contexts, too many for one request.
export const MGET_IDS_PER_REQUEST = 1_000;

async function readDocuments(client: Client, index: string, ids: string[]): Promise<Map<string, StoredDocument>> {
  const stored = new Map<string, StoredDocument>();
  for (let start = 0; start < ids.length; start += MGET_IDS_PER_REQUEST) {
    const chunk = ids.slice(start, start + MGET_IDS_PER_REQUEST);
    const response = await client.mget({ index, body: { ids: chunk } });
    keepFound(response.body.docs as StoredAnswer[], stored);
  }
  return stored;
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

function* bulkChunks(updates: readonly ContextUpdate[], stored: Map<string, StoredDocument>, maxBytes: number) {
  let lines: string[] = [];
  let chunkUpdates: ContextUpdate[] = [];
  let bytes = 0;
  for (const update of updates) {
    const existing = stored.get(update.id);
    const action = existing
      ? { index: { _id: update.id, if_seq_no: existing.seqNo, if_primary_term: existing.primaryTerm } }
      : { create: { _id: update.id } };
    const actionLine = JSON.stringify(action);
    const documentLine = JSON.stringify(toStoredContext(mergeContext(existing?.source, update)));
    const size = actionLine.length + documentLine.length + 2;
    if (chunkUpdates.length > 0 && bytes + size > maxBytes) {
      yield { lines, updates: chunkUpdates };
      lines = [];
      chunkUpdates = [];
      bytes = 0;
    }
    lines.push(actionLine, documentLine);
    chunkUpdates.push(update);
    bytes += size;
  }
  if (chunkUpdates.length > 0) yield { lines, updates: chunkUpdates };
}
