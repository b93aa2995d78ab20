import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Client } from '@opensearch-project/opensearch';
import type { Redis } from 'ioredis';
import type { ReplayFile } from '../lib/config/environments';

/**
 * Everything `npm start` keeps lives in one data folder: the stream, each consumer's position, the archive, the
 * spill, and the stores' data when it starts them. The stores may also be servers of the user's own (REDIS_URL,
 * OPENSEARCH_URL), so each store remembers which data folder filled it: a store filled from another folder, or one
 * that lost its data, is cleared and its consumer re-reads the stream, so store and position always agree.
 */
export interface DataFolder {
  readonly directory: string;
  readonly id: string;
  readonly createdAt: string;
}

/** The folder by its absolute path: the functions' worker threads load their bundles from it. */
export async function openDataFolder(folder: string): Promise<DataFolder> {
  const directory = resolve(folder);
  await mkdir(directory, { recursive: true });
  const file = join(directory, 'data-folder.json');
  const existing = await readFile(file, 'utf8').then(
    (text) => JSON.parse(text) as DataFolder,
    () => undefined,
  );
  if (existing) return { ...existing, directory };
  const created = { id: randomUUID(), createdAt: new Date().toISOString() };
  await writeFile(file, `${JSON.stringify(created, null, 2)}\n`);
  return { ...created, directory };
}

/** A consumer's store, as the data folder sees it. */
export interface LocalStore {
  readonly consumer: 'contexts-indexer' | 'flag-status';
  readonly description: string;
  /** Which data folder filled it, if it says. */
  filledFrom(): Promise<string | undefined>;
  /** Removes everything this consumer wrote; what another consumer or another prefix holds stays. */
  clear(): Promise<void>;
  markFilledFrom(id: string): Promise<void>;
}

export function redisStore(redis: Redis, keyPrefix: string): LocalStore {
  const marker = `${keyPrefix}:{registry}:data-folder`;
  return {
    consumer: 'flag-status',
    description: `Redis (key prefix ${keyPrefix})`,
    filledFrom: async () => (await redis.get(marker)) ?? undefined,
    clear: async () => {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}:*`, 'COUNT', 1000);
        if (keys.length > 0) await redis.unlink(...keys);
        cursor = next;
      } while (cursor !== '0');
    },
    markFilledFrom: async (id) => void (await redis.set(marker, id)),
  };
}

export function openSearchStore(client: Client, alias: string): LocalStore {
  const markerIndex = `${alias}-data-folder`;
  return {
    consumer: 'contexts-indexer',
    description: `OpenSearch (alias ${alias})`,
    filledFrom: async () => {
      const answer = await client
        .get({ index: markerIndex, id: 'marker' })
        .catch((error: { meta?: { statusCode?: number } }) => {
          if (error.meta?.statusCode === 404) return undefined;
          throw error;
        });
      return (answer?.body._source as { id?: string } | undefined)?.id;
    },
    clear: async () => {
      await client.indices.delete({ index: `${alias}-v2-*,${alias}-generations`, ignore_unavailable: true });
    },
    markFilledFrom: async (id) =>
      void (await client.index({ index: markerIndex, id: 'marker', body: { id }, refresh: true })),
  };
}

const checkpointsOf = async (folder: DataFolder, consumer: string) =>
  (await readdir(join(folder.directory, 'checkpoints')).catch(() => [] as string[])).filter((file) =>
    file.startsWith(`${consumer}.generation-`),
  );

/**
 * Makes a store and its consumer's position agree: when the store was not filled from this data folder, it is
 * cleared and the consumer's positions and replays are dropped, so the consumer re-reads the stream from its oldest
 * record into an empty store. Returns what was done, for the log; undefined when nothing needed doing.
 */
export async function reconcileStore(folder: DataFolder, store: LocalStore): Promise<string | undefined> {
  const filledFrom = await store.filledFrom();
  if (filledFrom === folder.id) return undefined;
  const positions = await checkpointsOf(folder, store.consumer);
  await store.clear();
  for (const file of positions) await rm(join(folder.directory, 'checkpoints', file));
  await forgetReplays(folder, store.consumer);
  await store.markFilledFrom(folder.id);
  if (filledFrom === undefined && positions.length === 0) return undefined;
  return filledFrom === undefined
    ? `${store.description} has lost what ${store.consumer} wrote (restarted without persistence?): ` +
        `it re-reads the stream from its oldest record`
    : `${store.description} held data from another data folder: cleared, and ${store.consumer} re-reads the stream`;
}

const replaysFile = (folder: DataFolder) => join(folder.directory, 'replays.json');
const CONFIG_KEY = { 'contexts-indexer': 'contextsIndexer', 'flag-status': 'flagStatus' } as const;

/** The replays started on this data folder, in the form of lib/config/replays.json. */
export async function readReplays(folder: DataFolder): Promise<ReplayFile> {
  return readFile(replaysFile(folder), 'utf8').then(
    (text) => JSON.parse(text) as ReplayFile,
    () => ({}),
  );
}

/** Written whole to a temporary file and renamed over the old one, so a reader never sees half a file. */
export async function writeReplays(folder: DataFolder, file: ReplayFile): Promise<void> {
  const temporary = `${replaysFile(folder)}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(file, null, 2)}\n`);
  await rename(temporary, replaysFile(folder));
}

async function forgetReplays(folder: DataFolder, consumer: LocalStore['consumer']): Promise<void> {
  const file = await readReplays(folder);
  for (const environment of Object.values(file)) delete environment?.[CONFIG_KEY[consumer]];
  await writeReplays(folder, file);
}

/** Counts that outlive a restart: what the data folder has taken since it began. */
export interface FolderTotals {
  readonly eventsAccepted: number;
  readonly payloadsAccepted: number;
  readonly recordsPut: number;
  readonly bytesPut: number;
}

export const NOTHING_YET: FolderTotals = { eventsAccepted: 0, payloadsAccepted: 0, recordsPut: 0, bytesPut: 0 };
const totalsFile = (folder: DataFolder) => join(folder.directory, 'totals.json');

/** The totals of the runs before this one; this run's counters add to them. */
export async function readTotals(folder: DataFolder): Promise<FolderTotals> {
  return readFile(totalsFile(folder), 'utf8').then(
    (text) => ({ ...NOTHING_YET, ...(JSON.parse(text) as Partial<FolderTotals>) }),
    () => NOTHING_YET,
  );
}

export const addTotals = (before: FolderTotals, now: FolderTotals): FolderTotals => ({
  eventsAccepted: before.eventsAccepted + now.eventsAccepted,
  payloadsAccepted: before.payloadsAccepted + now.payloadsAccepted,
  recordsPut: before.recordsPut + now.recordsPut,
  bytesPut: before.bytesPut + now.bytesPut,
});

export async function writeTotals(folder: DataFolder, totals: FolderTotals): Promise<void> {
  await writeFile(totalsFile(folder), `${JSON.stringify(totals, null, 2)}\n`);
}
