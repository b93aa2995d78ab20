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
import { DEFAULT_TTLS } from '../lambdas/flag-status/flag-status-updates';
import { updateFlagStatus } from '../lambdas/flag-status/handler';
import { DEFAULT_EVENT_TIME_WINDOW } from '../lambdas/shared/event-time';
import type { PoisonSink } from '../lambdas/shared/poison-sink';
import { openSearchClient } from '../lambdas/shared/opensearch-client';
import { BUNDLE_OPTIONS, ENTRY_POINTS } from '../lib/bundling';
import { DEFAULT_RECORD_DATA_BYTE_CAP } from '../producer/kinesis-writer';
import { readSdkPayload } from '../producer/sdk-events';
import { startLocalOpenSearch } from '../local/local-opensearch';
import { startLocalRedis } from '../local/local-redis';
import { freePort } from '../local/free-port';
import { Redis } from 'ioredis';
import { writeResult } from './results-file';

const RECORDS_PER_BATCH = 100;
/** A first batch that warms OpenSearch up, and three that are timed. */
const CONTEXTS_INDEXER_BATCHES = 4;

/** Full compressed records of the realistic corpus, as the producer writes them, and the payloads' JSON bodies. */
function kinesisBatches(recordCount: number, environments: number, shardId: string) {
  const records: Buffer[] = [];
  const bodies: string[] = [];
  const corpus = new EventCorpus(3);
  const packer = new CompressedRecordPacker(
    (record) => records.push(Buffer.from(record)),
    DEFAULT_RECORD_DATA_BYTE_CAP,
  );
  for (let p = 0; records.length < recordCount; p++) {
    const { events } = corpus.payload();
    bodies.push(JSON.stringify(events));
    const envelope = encodeEnvelope({
      environmentId: `env-${p % environments}`,
      receivedAtMs: 1_795_000_000_000 + p,
      payloadId: `p-${p}`,
    });
    packer.append(envelope, encodePayloadEvents(readSdkPayload(events).events));
  }
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
  return { batches, records: records.slice(0, recordCount), bodies };
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

/**
 * contexts-indexer against OpenSearch on the same two cores: its rate, and where the CPU goes, so the figure says
 * what one invocation takes apart from what the store takes. The first batch warms OpenSearch's JIT and is not
 * counted. OpenSearch's CPU is read only from the local node this bench starts.
 */
async function benchContextsIndexer(batches: KinesisStreamEvent[]) {
  const openSearch = process.env.OPENSEARCH_URL ? undefined : await startLocalOpenSearch({ heapMb: 1024 });
  const client = openSearchClient({ url: process.env.OPENSEARCH_URL ?? openSearch!.url });
  const alias = `contexts-bench-${Date.now()}`;
  const settings = {
    client,
    alias,
    generation: { generation: 0, fromMs: 0 },
    eventTimeWindow: DEFAULT_EVENT_TIME_WINDOW,
    poison: refusingPoisonSink,
  };
  const indexBatch = async (batch: KinesisStreamEvent) => {
    const result = await indexContextsBatch(batch, settings, () => 60_000);
    if (result.response.batchItemFailures.length > 0)
      throw new Error('contexts-indexer reported failures during the bench');
    return result;
  };
  try {
    await ensureGenerationIndex(client, alias, 0);
    await indexBatch(batches[0]!);
    let events = 0;
    let contexts = 0;
    const indexerCpuBefore = process.cpuUsage();
    const openSearchCpuBefore = openSearch && processCpuSeconds(openSearch.pid);
    const { seconds } = await timed(async () => {
      for (const batch of batches.slice(1)) {
        const result = await indexBatch(batch);
        events += result.events;
        contexts += result.contexts;
      }
    });
    const indexerCpu = process.cpuUsage(indexerCpuBefore);
    const indexerCpuSeconds = (indexerCpu.user + indexerCpu.system) / 1e6;
    const openSearchCpuSeconds = openSearch && processCpuSeconds(openSearch.pid) - openSearchCpuBefore!;
    return {
      eventsPerSecond: Math.round(events / seconds),
      contextDocumentsPerSecond: Math.round(contexts / seconds),
      eventsPerIndexerCpuSecond: Math.round(events / indexerCpuSeconds),
      contextDocumentsPerEvent: Number((contexts / events).toFixed(2)),
      ...(openSearchCpuSeconds !== undefined && {
        openSearchCpuMsPerDocument: Number(((openSearchCpuSeconds * 1000) / contexts).toFixed(3)),
      }),
      events,
      seconds: Number(seconds.toFixed(2)),
    };
  } finally {
    await client.close();
    await openSearch?.stop();
  }
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
  const { batches, records, bodies } = kinesisBatches(recordCount, 100, 'shardId-000000000000');
  const baseline = await baselines(records, bodies, redisUrl);
  const flagStatus = await benchFlagStatus(batches, redisUrl);
  const contextsIndexer = await benchContextsIndexer(batches.slice(0, CONTEXTS_INDEXER_BATCHES));
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
    contextsIndexer: {
      ...contextsIndexer,
      ...against(contextsIndexer.eventsPerSecond),
      // What one invocation's own CPU keeps up with, were the store never the one to wait on.
      shardsOwnCpuKeepsUpWith: Number((contextsIndexer.eventsPerIndexerCpuSecond / shardEventsPerSecond).toFixed(1)),
      // The store's side of a shard's full rate: indexing CPU on this machine's cores.
      ...(contextsIndexer.openSearchCpuMsPerDocument !== undefined && {
        openSearchCoresPerShard: Number(
          (
            (shardEventsPerSecond *
              contextsIndexer.contextDocumentsPerEvent *
              contextsIndexer.openSearchCpuMsPerDocument) /
            1000
          ).toFixed(2),
        ),
      }),
    },
    archiveTransform: { ...archiveTransform, ...against(archiveTransform.eventsPerSecondPerCore) },
    bundles: bundleFigures(await mkdtemp(join(tmpdir(), 'bench-bundles-'))),
    setup: {
      records: recordCount,
      recordFormat: 'compressed (format 2), realistic corpus',
      recordsPerBatch: RECORDS_PER_BATCH,
      contextsIndexerRecords: RECORDS_PER_BATCH * (CONTEXTS_INDEXER_BATCHES - 1),
      contextsIndexerWarmUpRecords: RECORDS_PER_BATCH,
      node: process.version,
    },
  };
  await writeResult('consumers.json', result);
  return result;
}
