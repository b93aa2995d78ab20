import type { Client } from '@opensearch-project/opensearch';
import type { EventTimeWindow } from '../shared/event-time';
import { caughtUp, replayReadFromMs, WritingGeneration } from '../shared/generations';
import { ensureContextsIndex, FIRST_INDEX_SUFFIX, fromStoredContext, StoredContext } from './context-index';
import { ContextDocument, ContextUpdate, windowStart } from './context-updates';
import { writeContextUpdates } from './context-writer';

/**
 * Each generation of the contexts store is an index of its own behind the one alias reads use: the first is the index
 * the alias was created on, a replay's starts empty. Which generation serves reads is whichever index the alias names,
 * so the switch is one atomic alias update.
 */
export function generationIndex(alias: string, generation: number): string {
  return generation === 0 ? `${alias}-v2-${FIRST_INDEX_SUFFIX}` : `${alias}-v2-g${generation}`;
}

/** Per shard progress of each generation, and each replay's carry-over cursor. */
const registryIndex = (alias: string) => `${alias}-generations`;

const REGISTRY_MAPPINGS = {
  dynamic: 'strict',
  properties: {
    kind: { type: 'keyword' },
    generation: { type: 'integer' },
    shardId: { type: 'keyword' },
    newestArrivalMs: { type: 'long' },
    after: { type: 'keyword', index: false },
    done: { type: 'boolean' },
  },
} as const;

const alreadyExists = (error: unknown) =>
  (error as { body?: { error?: { type?: string } } }).body?.error?.type === 'resource_already_exists_exception';
const notFound = (error: unknown) => (error as { meta?: { statusCode?: number } }).meta?.statusCode === 404;

/**
 * The template (with the configured primaries), the first index behind the alias, this generation's index and the
 * registry; safe to repeat. A generation's index takes the template as it is when the generation starts.
 */
export async function ensureGenerationIndex(
  client: Client,
  alias: string,
  generation: number,
  primaryShards = 1,
): Promise<void> {
  await ensureContextsIndex(client, alias, primaryShards);
  const create = (index: string, body: object) =>
    client.indices.create({ index, body }).catch((error: unknown) => {
      if (!alreadyExists(error)) throw error;
    });
  if (generation > 0) await create(generationIndex(alias, generation), {});
  await create(registryIndex(alias), { settings: { number_of_shards: 1 }, mappings: REGISTRY_MAPPINGS });
}

/** The generation whose index the alias names: the one reads use. */
export async function liveGeneration(client: Client, alias: string): Promise<number | undefined> {
  const answer = await client.indices.getAlias({ name: alias }).catch((error: unknown) => {
    if (notFound(error)) return undefined;
    throw error;
  });
  const index = Object.keys(answer?.body ?? {})[0];
  if (index === undefined) return undefined;
  if (index === generationIndex(alias, 0)) return 0;
  const replayed = /-g(\d+)$/.exec(index);
  return replayed ? Number(replayed[1]) : undefined;
}

/** A shard's newest applied arrival; external versioning keeps the highest, so a late or repeated write is a no-op. */
export async function recordProgress(
  client: Client,
  alias: string,
  generation: number,
  shardId: string,
  newestArrivalMs: number,
): Promise<void> {
  await client
    .index({
      index: registryIndex(alias),
      id: `progress:${generation}:${shardId}`,
      version: newestArrivalMs,
      version_type: 'external',
      body: { kind: 'progress', generation, shardId, newestArrivalMs },
    })
    .catch((error: unknown) => {
      if ((error as { meta?: { statusCode?: number } }).meta?.statusCode !== 409) throw error;
    });
}

async function readProgress(client: Client, alias: string, generation: number): Promise<Record<string, number>> {
  const answer = await client.search({
    index: registryIndex(alias),
    body: {
      size: 10_000,
      query: { bool: { filter: [{ term: { kind: 'progress' } }, { term: { generation } }] } },
    },
  });
  return Object.fromEntries(
    answer.body.hits.hits.map((hit) => {
      const progress = hit._source as { shardId: string; newestArrivalMs: number };
      return [progress.shardId, progress.newestArrivalMs];
    }),
  );
}

/**
 * What a stored context says about the time before a replay's start: first seen as it was, and last seen and the
 * details only where they are before the start; the rest the replay rebuilds from the stream.
 */
export function beforeStart(
  id: string,
  stored: ContextDocument,
  startMs: number,
  resolutionMs: number,
): ContextUpdate | undefined {
  if (stored.firstSeen >= startMs) return undefined;
  const lastBefore = stored.lastSeen < startMs;
  const detailsBefore = stored.detailsSeen > 0 && stored.detailsSeen < startMs;
  return {
    id,
    environmentId: stored.environmentId,
    kind: stored.kind,
    key: stored.key,
    firstSeenMs: stored.firstSeen,
    // When the last sighting is at or after the start, the latest known before it is the details' or the first's.
    lastSeenMs: lastBefore
      ? stored.lastSeen
      : Math.max(windowStart(stored.firstSeen, resolutionMs), detailsBefore ? stored.detailsSeen : 0),
    lastSdk: stored.lastSdk,
    details: detailsBefore
      ? {
          name: stored.name,
          anonymous: stored.anonymous,
          attributes: stored.attributes,
          redactedAttributes: stored.redactedAttributes,
          atMs: stored.detailsSeen,
        }
      : undefined,
    sequenceNumbers: new Set(),
  };
}

const CARRY_OVER_PAGE = 500;
// Time left to answer the batch after the last carry-over page.
const CARRY_OVER_RESERVE_MS = 5_000;

interface CarryOverCursor {
  /** The sort values of the last document carried over, as JSON. */
  readonly after?: string;
  readonly done: boolean;
}

/**
 * Copies what the live generation knows from before the replay's start into the replay's index, a page at a time
 * while the invocation has time, merged with what the replay rebuilt. The cursor is kept in the registry, so each
 * invocation does a bounded share and the next goes on where it stopped. Returns whether everything is carried over.
 */
async function carryOver(
  client: Client,
  alias: string,
  writer: WritingGeneration,
  live: number,
  resolutionMs: number,
  remainingMs: () => number,
): Promise<boolean> {
  const cursorId = `carry-over:${writer.generation}`;
  let cursor: CarryOverCursor = await client
    .get({ index: registryIndex(alias), id: cursorId })
    .then((answer) => answer.body._source as CarryOverCursor)
    .catch((error: unknown) => {
      if (notFound(error)) return { done: false };
      throw error;
    });
  while (!cursor.done && remainingMs() > CARRY_OVER_RESERVE_MS) {
    const page = await client.search({
      index: generationIndex(alias, live),
      body: {
        size: CARRY_OVER_PAGE,
        query: { range: { firstSeen: { lt: writer.fromMs } } },
        sort: [{ environmentId: 'asc' }, { kind: 'asc' }, { key: 'asc' }],
        ...(cursor.after && { search_after: JSON.parse(cursor.after) as (string | number)[] }),
      },
    });
    const hits = page.body.hits.hits;
    const updates = hits.flatMap(
      (hit) =>
        beforeStart(hit._id!, fromStoredContext(hit._source as StoredContext), writer.fromMs, resolutionMs) ?? [],
    );
    const outcome = await writeContextUpdates(updates, {
      client,
      index: generationIndex(alias, writer.generation),
      remainingMs,
    });
    if (outcome.failedIds.size > 0) return false;
    const last = hits[hits.length - 1];
    cursor = { after: last ? JSON.stringify(last.sort) : cursor.after, done: hits.length < CARRY_OVER_PAGE };
    await client.index({
      index: registryIndex(alias),
      id: cursorId,
      body: { kind: 'carry-over', generation: writer.generation, ...cursor },
    });
  }
  return cursor.done;
}

export interface SwitchSettings {
  readonly client: Client;
  readonly alias: string;
  readonly writer: WritingGeneration;
  readonly eventTimeWindow: EventTimeWindow;
  readonly nowMs: number;
  readonly catchUpSlackMs: number;
  readonly lastSeenResolutionMs: number;
  readonly remainingMs: () => number;
}

/**
 * A replay's generation carries over a page of what came before its start, and once everything has been carried
 * over and it has caught up with the live generation on every shard, moves the alias to its index in one update.
 */
export async function advanceReplay(settings: SwitchSettings): Promise<'building' | 'switched' | 'live' | 'retired'> {
  const { client, alias, writer } = settings;
  const live = await liveGeneration(client, alias);
  if (live === writer.generation) return 'live';
  if (live === undefined || live > writer.generation) return 'retired';
  if (!(await carryOver(client, alias, writer, live, settings.lastSeenResolutionMs, settings.remainingMs)))
    return 'building';
  // The registry is tiny and read only while a replay builds: make every shard's last progress visible to the search.
  await client.indices.refresh({ index: registryIndex(alias) });
  const [building, current] = await Promise.all([
    readProgress(client, alias, writer.generation),
    readProgress(client, alias, live),
  ]);
  const readFromMs = replayReadFromMs(writer.fromMs, settings.eventTimeWindow.futureMs);
  if (!caughtUp(building, current, readFromMs, settings.nowMs, settings.catchUpSlackMs)) return 'building';
  // One request: it fails whole if another writer moved the alias in between.
  await client.indices.updateAliases({
    body: {
      actions: [
        { remove: { index: generationIndex(alias, live), alias } },
        { add: { index: generationIndex(alias, writer.generation), alias, is_write_index: true } },
      ],
    },
  });
  return 'switched';
}
