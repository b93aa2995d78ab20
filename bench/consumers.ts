import { execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FirehoseTransformationEvent, KinesisStreamEvent } from 'aws-lambda';
import { buildSync } from 'esbuild';
import { CompressedRecordPacker, decodeRecord, encodeEnvelope, encodePayloadEvents } from '../codec/event-codec';
import { Prod } from '../lib/config/environments';
import { environmentStreamPlan } from '../lib/planning/capacity';
import { EventCorpus } from './corpus';
import { eventsPerSecond, processCpuSeconds } from './timing';
import { ensureGenerationIndex } from '../lambdas/contexts-indexer/context-generations';
import { indexContextsBatch } from '../lambdas/contexts-indexer/handler';
import { CONTEXTS_TEMPLATE } from '../lambdas/contexts-indexer/context-index';
import {
  collectContextUpdates,
  ContextDocument,
  DEFAULT_LAST_SEEN_RESOLUTION_MINUTES,
  mergeContext,
  sameContext,
} from '../lambdas/contexts-indexer/context-updates';
import {
  DEFAULT_RECENT_DOCUMENTS,
  MGET_IDS_PER_REQUEST,
  recentDocuments,
} from '../lambdas/contexts-indexer/context-writer';
import { DEFAULT_TTLS } from '../lambdas/flag-status/flag-status-updates';
import { updateFlagStatus } from '../lambdas/flag-status/handler';
import { DEFAULT_EVENT_TIME_WINDOW } from '../lambdas/shared/event-time';
import { decodeKinesisBatch } from '../lambdas/shared/kinesis-batch';
import type { PoisonSink } from '../lambdas/shared/poison-sink';
import { openSearchClient } from '../lambdas/shared/opensearch-client';
import type { Client } from '@opensearch-project/opensearch';
import { BUNDLE_OPTIONS, ENTRY_POINTS } from '../lib/bundling';
import { DEFAULT_RECORD_DATA_BYTE_CAP } from '../producer/kinesis-writer';
import { readSdkPayload } from '../producer/sdk-events';
import { startLocalOpenSearch } from '../local/local-opensearch';
import { startLocalRedis } from '../local/local-redis';
import { freePort } from '../local/free-port';
import { Redis } from 'ioredis';
import { MEASURED_CONSUMERS_FILE } from '../lib/planning/consumer-figures';
import { writeMeasuredFigure, writeResult } from './results-file';

const RECORDS_PER_BATCH = 100;

/**
 * Full compressed records of a corpus, as the producer writes them, until `enough` says so, and the payloads' JSON
 * bodies. Each payload is received when the corpus dates it.
 */
function kinesisBatches(
  corpus: EventCorpus,
  environments: number,
  shardId: string,
  enough: (records: readonly Buffer[]) => boolean,
) {
  const records: Buffer[] = [];
  const bodies: string[] = [];
  const packer = new CompressedRecordPacker(
    (record) => records.push(Buffer.from(record)),
    DEFAULT_RECORD_DATA_BYTE_CAP,
  );
  for (let p = 0; !enough(records); p++) {
    const { events } = corpus.payload();
    bodies.push(JSON.stringify(events));
    const envelope = encodeEnvelope({
      environmentId: `env-${p % environments}`,
      receivedAtMs: corpus.clockMs,
      payloadId: `p-${p}`,
    });
    packer.append(envelope, encodePayloadEvents(readSdkPayload(events).events));
  }
  const recordCount = records.length;
  const batches: KinesisStreamEvent[] = [];
  for (let i = 0; i < recordCount; i += RECORDS_PER_BATCH) {
    batches.push({
      Records: records.slice(i, i + RECORDS_PER_BATCH).map((data, j) => {
        const sequenceNumber = String(49_000_000_000_000n + BigInt(i + j));
        return {
          eventID: `${shardId}:${sequenceNumber}`,
          eventName: 'aws:kinesis:record',
          eventVersion: '1.0',
          eventSource: 'aws:kinesis',
          eventSourceARN: 'arn:aws:kinesis:us-east-1:0:stream/bench',
          awsRegion: 'us-east-1',
          invokeIdentityArn: 'arn:aws:iam::0:role/bench',
          kinesis: {
            kinesisSchemaVersion: '1.0',
            partitionKey: `k${i + j}`,
            sequenceNumber,
            data: data.toString('base64'),
            approximateArrivalTimestamp: 1_795_000_000,
          },
        };
      }),
    });
  }
  return { batches, records, bodies };
}

/**
 * Baselines on the same events in the same run, so the consumers' figures compare across machines: JSON.parse of
 * the SDK bodies they came from, decoding the records alone, and pipelined Redis SETs, one per event.
 */
async function baselines(records: readonly Buffer[], bodies: readonly string[], redisUrl: string) {
  const parsedEvents = bodies.reduce((sum, body) => sum + (JSON.parse(body) as unknown[]).length, 0);
  const recordEvents = records.reduce((sum, record) => sum + decodeRecord(record).length, 0);
  const redis = benchRedisClient(redisUrl);
  const keyPrefix = `bench-baseline-${Date.now()}`;
  const started = process.hrtime.bigint();
  for (let sent = 0; sent < 200_000; sent += 1_000) {
    const pipeline = redis.pipeline();
    for (let i = sent; i < sent + 1_000; i++) pipeline.set(`${keyPrefix}:${i % 10_000}`, String(i), 'EX', 60);
    await pipeline.exec();
  }
  const redisSetsPerSecond = Math.round(200_000 / (Number(process.hrtime.bigint() - started) / 1e9));
  const keys = await redis.keys(`${keyPrefix}:*`);
  for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
  await redis.quit();
  return {
    jsonParseEventsPerSecond: eventsPerSecond(parsedEvents, () => bodies.forEach((body) => void JSON.parse(body))),
    decodeEventsPerSecond: eventsPerSecond(recordEvents, () => records.forEach((record) => decodeRecord(record))),
    redisPipelinedSetsPerSecond: redisSetsPerSecond,
  };
}

/**
 * The bench's Redis client: it never reconnects, so a Redis that goes away fails the command waiting on it and the
 * run ends with that one error, rather than ioredis retrying and reporting each attempt for ever.
 */
function benchRedisClient(url: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2_000 });
  // Each failure reaches the command that waits on it; the event would only repeat it as a stack trace.
  redis.on('error', () => undefined);
  return redis;
}

/** The bench's records are all valid: anything set aside would mean the bench measured less than it says. */
const refusingPoisonSink: PoisonSink = {
  put: (entries) =>
    entries.length > 0 ? Promise.reject(new Error(`the bench set aside ${entries.length} records`)) : Promise.resolve(),
};

async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; result: T }> {
  const started = process.hrtime.bigint();
  const result = await work();
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, result };
}

async function benchFlagStatus(batches: KinesisStreamEvent[], redisUrl: string) {
  const redis = benchRedisClient(redisUrl);
  const keyPrefix = `bench-fs-${Date.now()}`;
  let events = 0;
  const { seconds } = await timed(async () => {
    for (const batch of batches) {
      const result = await updateFlagStatus(batch, {
        redis,
        keyPrefix,
        ttls: DEFAULT_TTLS,
        eventTimeWindow: DEFAULT_EVENT_TIME_WINDOW,
        generation: { generation: 0, fromMs: 0 },
        poison: refusingPoisonSink,
      });
      // The handler reports a store error for the mapping to retry; a bench has nothing to retry against.
      if (result.storeErrors.length > 0)
        throw new Error(`flag-status lost Redis at ${redisUrl}: ${result.storeErrors[0]}`);
      events += result.events;
    }
  });
  const keys = await redis.keys(`${keyPrefix}:*`);
  for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
  await redis.quit();
  return { eventsPerSecond: Math.round(events / seconds), events, seconds: Number(seconds.toFixed(2)) };
}

// The shard's traffic thinned: the same sessions, fewer of them, so two hours of it take seconds to apply.
const SESSION_PAYLOADS_PER_SECOND = 10;
const SESSION_HOURS = 2;
const RESOLUTIONS_MINUTES = [5, DEFAULT_LAST_SEEN_RESOLUTION_MINUTES, 60];

/** Two hours of one environment's contexts coming in sessions on one shard (bench/corpus.ts says how). */
function sessionBatches() {
  const corpus = new EventCorpus(5, undefined, { payloadsPerSecond: SESSION_PAYLOADS_PER_SECOND });
  const endMs = corpus.clockMs + SESSION_HOURS * 3_600_000;
  return kinesisBatches(corpus, 1, 'shardId-000000000000', () => corpus.clockMs >= endMs).batches;
}

/**
 * contexts-indexer against OpenSearch on the same two cores, on contexts that come in sessions: the first hour
 * fills the store and the function's memory untimed, the second is timed, as a function that has run for a while
 * meets it. Its rate, the documents it reads and writes an event, and where the CPU goes, so the figure says what
 * one invocation takes apart from what the store takes; at the default resolution and at finer ones.
 * OpenSearch's CPU is read only from the local node this bench starts.
 */
async function benchContextsIndexer(batches: readonly KinesisStreamEvent[]) {
  const openSearch = process.env.OPENSEARCH_URL ? undefined : await startLocalOpenSearch({ heapMb: 1024 });
  const client = openSearchClient({ url: process.env.OPENSEARCH_URL ?? openSearch!.url });
  const firstSequenceNumber = (batch: KinesisStreamEvent) => batch.Records[0]!.kinesis.sequenceNumber;
  const secondHour = Math.floor(batches.length / SESSION_HOURS);
  const byResolution: Record<string, ReturnType<typeof figures>> = {};
  let readCostMs: number | undefined;
  function figures(
    events: number,
    seconds: number,
    written: number,
    read: number,
    cpu: NodeJS.CpuUsage,
    storeCpuSeconds?: number,
  ) {
    const indexerCpuSeconds = (cpu.user + cpu.system) / 1e6;
    return {
      eventsPerSecond: Math.round(events / seconds),
      eventsPerIndexerCpuSecond: Math.round(events / indexerCpuSeconds),
      documentWritesPerEvent: Number((written / events).toFixed(5)),
      documentReadsPerEvent: Number((read / events).toFixed(5)),
      ...(storeCpuSeconds !== undefined && {
        openSearchCpuMsPerEvent: Number(((storeCpuSeconds * 1000) / events).toFixed(4)),
      }),
      events,
      seconds: Number(seconds.toFixed(2)),
    };
  }
  try {
    for (const minutes of RESOLUTIONS_MINUTES) {
      const alias = `contexts-bench-${minutes}m-${Date.now()}`;
      const settings = {
        client,
        alias,
        generation: { generation: 0, fromMs: 0 },
        eventTimeWindow: DEFAULT_EVENT_TIME_WINDOW,
        lastSeenResolutionMs: minutes * 60_000,
        recentDocuments: recentDocuments(DEFAULT_RECENT_DOCUMENTS),
        poison: refusingPoisonSink,
      };
      const indexBatch = async (batch: KinesisStreamEvent) => {
        const result = await indexContextsBatch(batch, settings, () => 60_000);
        if (result.response.batchItemFailures.length > 0)
          throw new Error(`contexts-indexer reported failures during the bench (${firstSequenceNumber(batch)})`);
        return result;
      };
      await ensureGenerationIndex(client, alias, 0);
      for (const batch of batches.slice(0, secondHour)) await indexBatch(batch);
      let events = 0;
      let written = 0;
      let read = 0;
      const indexerCpuBefore = process.cpuUsage();
      const openSearchCpuBefore = openSearch && processCpuSeconds(openSearch.pid);
      const { seconds } = await timed(async () => {
        for (const batch of batches.slice(secondHour)) {
          const result = await indexBatch(batch);
          events += result.events;
          written += result.write.written;
          read += result.write.read;
        }
      });
      const storeCpuSeconds = openSearch && processCpuSeconds(openSearch.pid) - openSearchCpuBefore!;
      byResolution[`${minutes}m`] = figures(
        events,
        seconds,
        written,
        read,
        process.cpuUsage(indexerCpuBefore),
        storeCpuSeconds,
      );
      if (minutes === DEFAULT_LAST_SEEN_RESOLUTION_MINUTES && openSearch)
        readCostMs = await openSearchCpuMsPerRead(client, alias, openSearch.pid);
      await client.indices.delete({ index: `${alias}-*` });
      await client.indices.deleteIndexTemplate({ name: `${CONTEXTS_TEMPLATE}-${alias}` });
    }
    return { byResolution, openSearchCpuMsPerRead: readCostMs };
  } finally {
    await client.close();
    await openSearch?.stop();
  }
}

/** OpenSearch's CPU for one document read by id: every document of the index, a thousand an mget, five times. */
async function openSearchCpuMsPerRead(client: Client, alias: string, pid: number): Promise<number> {
  await client.indices.refresh({ index: alias });
  const hits = await client.search({ index: alias, body: { size: 10_000, _source: false, query: { match_all: {} } } });
  const ids = (hits.body.hits.hits as { _id: string }[]).map((hit) => hit._id);
  const rounds = 5;
  const before = processCpuSeconds(pid);
  for (let round = 0; round < rounds; round++) {
    for (let start = 0; start < ids.length; start += MGET_IDS_PER_REQUEST)
      await client.mget({ index: alias, body: { ids: ids.slice(start, start + MGET_IDS_PER_REQUEST) } });
  }
  return Number((((processCpuSeconds(pid) - before) * 1000) / (rounds * ids.length)).toFixed(5));
}

/**
 * The reads and writes contexts-indexer makes when a stream's records land on `shards` shards at random, each shard's
 * function with a memory of its own, as prod's random partition keys spread them: the writer's policy (skip what a
 * remembered document holds, read the rest, write what changed) replayed over the second hour against a store kept
 * in memory, after the first hour has filled it.
 */
function spreadOverShards(batches: readonly KinesisStreamEvent[], shards: number, resolutionMs: number) {
  const records = batches.flatMap((batch) => decodeKinesisBatch(batch).records);
  const secondHour = Math.floor(records.length / SESSION_HOURS);
  const store = new Map<string, ContextDocument>();
  const memories = Array.from({ length: shards }, () => new Map<string, ContextDocument>());
  let events = 0;
  let reads = 0;
  let writes = 0;
  records.forEach((record, i) => {
    const counted = i >= secondHour;
    const memory = memories[i % shards]!;
    if (counted) events += record.events.length;
    for (const update of collectContextUpdates([record], resolutionMs).values()) {
      const remembered = memory.get(update.id);
      if (remembered && sameContext(mergeContext(remembered, update), remembered)) continue;
      if (counted) reads++;
      const stored = store.get(update.id);
      const merged = mergeContext(stored, update);
      if (!stored || !sameContext(merged, stored)) {
        if (counted) writes++;
        store.set(update.id, merged);
      }
      memory.set(update.id, store.get(update.id)!);
    }
  });
  return {
    shards,
    documentReadsPerEvent: Number((reads / events).toFixed(5)),
    documentWritesPerEvent: Number((writes / events).toFixed(5)),
  };
}

// Firehose hands the transform about 1 MB at a time (the processor buffer the stack sets): ~40 full records.
const RECORDS_PER_FIREHOSE_INVOCATION = 40;

function benchArchiveTransform(batches: KinesisStreamEvent[]) {
  const records = batches.flatMap((batch) =>
    batch.Records.map((r) => ({
      recordId: r.kinesis.sequenceNumber,
      approximateArrivalTimestamp: 0,
      data: r.kinesis.data,
    })),
  );
  const invocations: FirehoseTransformationEvent[] = [];
  for (let i = 0; i < records.length; i += RECORDS_PER_FIREHOSE_INVOCATION) {
    invocations.push({
      invocationId: `bench-${i}`,
      deliveryStreamArn: 'arn:aws:firehose:us-east-1:0:deliverystream/bench',
      region: 'us-east-1',
      records: records.slice(i, i + RECORDS_PER_FIREHOSE_INVOCATION),
    });
  }
  // Timed in a fresh process on the minified bundle, the code Lambda runs, away from this process's heap.
  const work = mkdtempSync(join(tmpdir(), 'bench-archive-'));
  const bundle = join(work, 'handler.js');
  buildSync({ ...BUNDLE_OPTIONS, entryPoints: ['lambdas/archive-transform/handler.ts'], outfile: bundle });
  writeFileSync(join(work, 'invocations.json'), JSON.stringify(invocations));
  const script = `
    const { transformArchiveRecords } = require(${JSON.stringify(bundle)});
    const invocations = JSON.parse(require('fs').readFileSync(${JSON.stringify(join(work, 'invocations.json'))}, 'utf8'));
    const runAll = () => invocations.reduce((sum, invocation) => sum + transformArchiveRecords(invocation).events, 0);
    runAll();
    let events = 0;
    const started = process.hrtime.bigint();
    for (let round = 0; round < 3; round++) events += runAll();
    process.stdout.write(JSON.stringify({ events, seconds: Number(process.hrtime.bigint() - started) / 1e9 }));`;
  const { events, seconds } = JSON.parse(
    execFileSync(process.execPath, ['-e', script], { maxBuffer: 1024 * 1024 }).toString(),
  ) as {
    events: number;
    seconds: number;
  };
  return {
    eventsPerSecondPerCore: Math.round(events / seconds),
    events,
    seconds: Number(seconds.toFixed(2)),
    recordsPerInvocation: RECORDS_PER_FIREHOSE_INVOCATION,
  };
}

/** Minified bundle size, and module initialization measured in a fresh process, as a cold start pays it. */
function bundleFigures(out: string) {
  const figures: Record<string, { bytes: number; initMs: number }> = {};
  for (const name of ['contexts-indexer', 'flag-status', 'archive-transform'] as const) {
    const outfile = join(out, name, 'index.js');
    buildSync({ ...BUNDLE_OPTIONS, entryPoints: [ENTRY_POINTS[name]], outfile });
    const script = `const t = process.hrtime.bigint(); require(${JSON.stringify(outfile)}); process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));`;
    const samples = Array.from({ length: 5 }, () =>
      Number(
        execFileSync(process.execPath, ['-e', script], {
          env: {
            ...process.env,
            REDIS_URL: 'redis://127.0.0.1:1',
            OPENSEARCH_URL: 'http://127.0.0.1:9200',
            AWS_REGION: 'us-east-1',
            POISON_BUCKET: 'bench-poison',
          },
        }).toString(),
      ),
    ).sort((a, b) => a - b);
    figures[name] = { bytes: statSync(outfile).size, initMs: Number(samples[2]!.toFixed(1)) };
  }
  return figures;
}

export async function benchConsumers(): Promise<Record<string, unknown>> {
  const recordCount = 600;
  // REDIS_URL if set, else one started on a free port as `npm start` starts it; anything missing fails here, naming the fix.
  const redis = await startLocalRedis(process.env.REDIS_URL || `redis://127.0.0.1:${await freePort()}`, {
    log: (line) => console.log(line),
  });
  try {
    return await benchConsumersOn(redis.url, recordCount);
  } finally {
    await redis.stop();
  }
}

async function benchConsumersOn(redisUrl: string, recordCount: number): Promise<Record<string, unknown>> {
  const corpus = new EventCorpus(3);
  const { batches, records, bodies } = kinesisBatches(
    corpus,
    100,
    'shardId-000000000000',
    (written) => written.length >= recordCount,
  );
  const baseline = await baselines(records, bodies, redisUrl);
  const flagStatus = await benchFlagStatus(batches, redisUrl);
  const sessions = sessionBatches();
  const prodShards = environmentStreamPlan(Prod).shards.provisioned;
  const { byResolution: contextsIndexer, openSearchCpuMsPerRead } = await benchContextsIndexer(sessions);
  const deployed = contextsIndexer[`${DEFAULT_LAST_SEEN_RESOLUTION_MINUTES}m`]!;
  const spread = spreadOverShards(sessions, prodShards, DEFAULT_LAST_SEEN_RESOLUTION_MINUTES * 60_000);
  // The store's CPU an event once records spread over prod's shards: the one-shard figure, plus the extra reads.
  const acrossProdShards = {
    ...spread,
    ...(openSearchCpuMsPerRead !== undefined &&
      deployed.openSearchCpuMsPerEvent !== undefined && {
        openSearchCpuMsPerRead,
        openSearchCpuMsPerEvent: Number(
          (
            deployed.openSearchCpuMsPerEvent +
            (spread.documentReadsPerEvent - deployed.documentReadsPerEvent) * openSearchCpuMsPerRead
          ).toFixed(4),
        ),
      }),
  };
  const archiveTransform = benchArchiveTransform(batches);
  // A shard's full rate: the realistic events a fully used shard of prod's stream carries, whichever limit binds.
  const shardEventsPerSecond = Math.floor(environmentStreamPlan(Prod).eventsPerShardSecond);
  const against = (eventsPerSecond: number) => ({
    toJsonParse: Number((eventsPerSecond / baseline.jsonParseEventsPerSecond).toFixed(3)),
    shardsOneInvocationKeepsUpWith: Number((eventsPerSecond / shardEventsPerSecond).toFixed(1)),
  });
  const result = {
    baseline,
    shardEventsPerSecond,
    flagStatus: {
      ...flagStatus,
      ...against(flagStatus.eventsPerSecond),
      toPipelinedRedisSets: Number((flagStatus.eventsPerSecond / baseline.redisPipelinedSetsPerSecond).toFixed(3)),
    },
    contextsIndexerAcrossProdShards: acrossProdShards,
    contextsIndexer: Object.fromEntries(
      Object.entries(contextsIndexer).map(([resolution, each]) => [
        resolution,
        {
          ...each,
          ...against(each.eventsPerSecond),
          // What one invocation's own CPU keeps up with, were the store never the one to wait on.
          shardsOwnCpuKeepsUpWith: Number((each.eventsPerIndexerCpuSecond / shardEventsPerSecond).toFixed(1)),
          // The store's side of a shard's full rate: its CPU on this machine's cores.
          ...(each.openSearchCpuMsPerEvent !== undefined && {
            openSearchCoresPerShard: Number(((shardEventsPerSecond * each.openSearchCpuMsPerEvent) / 1000).toFixed(3)),
          }),
        },
      ]),
    ),
    archiveTransform: { ...archiveTransform, ...against(archiveTransform.eventsPerSecondPerCore) },
    bundles: bundleFigures(await mkdtemp(join(tmpdir(), 'bench-bundles-'))),
    setup: {
      records: recordCount,
      recordFormat: 'compressed (format 2), realistic corpus',
      recordsPerBatch: RECORDS_PER_BATCH,
      contextsIndexerCorpus: `contexts in sessions, ${SESSION_PAYLOADS_PER_SECOND} payloads a second for ${SESSION_HOURS} hours, the second timed`,
      node: process.version,
    },
  };
  await writeResult('consumers.json', result);
  // The store's CPU is read only from the node the bench starts: with OPENSEARCH_URL there is no figure to accept.
  if (acrossProdShards.openSearchCpuMsPerEvent !== undefined)
    await writeMeasuredFigure(MEASURED_CONSUMERS_FILE, {
      measuredWith: 'npm run bench -- consumers',
      corpus: 'realistic: bench/corpus.ts; contexts-indexer on contexts in sessions',
      lastSeenResolutionMinutes: DEFAULT_LAST_SEEN_RESOLUTION_MINUTES,
      contextsIndexerEventsPerSecond: deployed.eventsPerSecond,
      contextsStoreCpuMsPerEvent: acrossProdShards.openSearchCpuMsPerEvent,
      flagStatusEventsPerSecond: flagStatus.eventsPerSecond,
      archiveTransformEventsPerCoreSecond: archiveTransform.eventsPerSecondPerCore,
    });
  return result;
}
