import { chmod, mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { flagStatusKeys } from '../lambdas/flag-status/flag-status-updates';
import { readGenerations } from '../lambdas/flag-status/flag-status-writer';
import { ownerAt } from '../lambdas/shared/generations';
import { CONTEXTS_ALIAS, FLAG_STATUS_KEY_PREFIX } from '../lib/pipeline-stacks';
import { LocalPipeline } from '../local/local-pipeline';
import { offerLoad } from './load-driver';
import { writeResult } from './results-file';
import { percentile } from './timing';

const ENVIRONMENT = 'local-development';
const SDK_KEY = 'sdk-local-development-key';
const RATES = (process.env.BENCH_E2E_RATES ?? '1000,3000').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const PROBE_INTERVAL_MS = 250;
// How often the stores are checked for probes: the resolution of the latencies below.
const WATCH_INTERVAL_MS = 20;

interface Probe {
  readonly key: string;
  readonly acceptedAt: number;
  redisAt?: number;
  openSearchAt?: number;
  archiveAt?: number;
}

const latency = (probes: Probe[], field: 'redisAt' | 'openSearchAt' | 'archiveAt') => {
  const values = probes
    .filter((probe) => probe[field] !== undefined)
    .map((probe) => Math.round(probe[field]! - probe.acceptedAt));
  return { p50: percentile(values, 50), p99: percentile(values, 99), seen: values.length, of: probes.length };
};

/** One marked evaluation per probe: its flag key and context key are unique, so each store shows when it arrived. */
async function sendProbe(pipeline: LocalPipeline, key: string): Promise<Probe | undefined> {
  const response = await fetch(`${pipeline.url}/bulk`, {
    method: 'POST',
    headers: { authorization: SDK_KEY, 'content-type': 'application/json', 'x-launchdarkly-event-schema': '4' },
    body: JSON.stringify([
      {
        kind: 'feature',
        creationDate: Date.now(),
        key,
        version: 1,
        variation: 0,
        value: true,
        default: false,
        context: { kind: 'user', key },
      },
    ]),
  });
  await response.arrayBuffer();
  return response.status === 202 ? { key, acceptedAt: Date.now() } : undefined;
}

async function watch(pipeline: LocalPipeline, probes: Probe[]): Promise<void> {
  const now = Date.now();
  const redisPending = probes.filter((probe) => probe.redisAt === undefined);
  if (redisPending.length > 0) {
    // A probe's status is in the generation that owns its time, as on-call's reads find it.
    const generations = await readGenerations(pipeline.redis, FLAG_STATUS_KEY_PREFIX);
    const found = await Promise.all(
      redisPending.map((probe) => {
        const generation = ownerAt(probe.acceptedAt, generations)?.generation ?? 0;
        return pipeline.redis.exists(flagStatusKeys(FLAG_STATUS_KEY_PREFIX, generation).status(ENVIRONMENT, probe.key));
      }),
    );
    redisPending.forEach((probe, i) => {
      if (found[i]) probe.redisAt = now;
    });
  }
  const openSearchPending = probes.filter((probe) => probe.openSearchAt === undefined);
  if (openSearchPending.length > 0) {
    const response = await pipeline.openSearch
      .mget({
        index: CONTEXTS_ALIAS,
        body: { ids: openSearchPending.map((probe) => `${ENVIRONMENT}/user/${probe.key}`) },
      })
      .catch(() => undefined);
    (response?.body.docs as { found?: boolean }[] | undefined)?.forEach((doc, i) => {
      if (doc.found) openSearchPending[i]!.openSearchAt = now;
    });
  }
}

/** When each probe first appears in an archive file: the file's write time. */
async function archiveTimes(directory: string, probes: Probe[]): Promise<void> {
  const byKey = new Map(probes.map((probe) => [probe.key, probe]));
  const entries = await readdir(directory, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries.filter((each) => each.isFile() && each.name.endsWith('.ndjson.gz'))) {
    const file = join(entry.parentPath, entry.name);
    const writtenAt = (await stat(file)).mtimeMs;
    for (const line of gunzipSync(await readFile(file))
      .toString('utf8')
      .split('\n')) {
      const key = /"key":"(probe-[^"]+)"/.exec(line)?.[1];
      const probe = key ? byKey.get(key) : undefined;
      if (probe && (probe.archiveAt === undefined || writtenAt < probe.archiveAt)) probe.archiveAt = writtenAt;
    }
  }
}

export async function benchEndToEnd(): Promise<Record<string, unknown>> {
  const dataDirectory = await mkdtemp(join(tmpdir(), 'bench-e2e-'));
  // Started by root, the local OpenSearch runs as nobody, who must reach its data inside this folder.
  await chmod(dataDirectory, 0o755);
  const pipeline = await LocalPipeline.start({
    port: 0,
    dataDirectory,
    persistStream: false,
    redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
    openSearchUrl: process.env.OPENSEARCH_URL,
  });
  const results = [];
  try {
    for (const rate of RATES) {
      const probes: Probe[] = [];
      const processedBefore = Object.fromEntries(
        Object.entries(pipeline.consumers).map(([name, runner]) => [name, runner.stats.recordsProcessed]),
      );
      const recordsBefore = pipeline.producer.metrics.counters.recordsPut;
      const eventsBefore = pipeline.producer.metrics.counters.eventsPut;
      let probing = true;
      const runId = Date.now().toString(36);
      const prober = (async () => {
        for (let n = 0; probing; n++) {
          const probe = await sendProbe(pipeline, `probe-${runId}-${rate}-${n}`);
          if (probe) probes.push(probe);
          await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS));
        }
      })();
      const watcher = (async () => {
        while (probing) {
          await watch(pipeline, probes);
          await new Promise((resolve) => setTimeout(resolve, WATCH_INTERVAL_MS));
        }
      })();
      const started = Date.now();
      const counts = await offerLoad({
        url: pipeline.url,
        rate,
        durationSeconds: SECONDS,
        tenants: 50,
        gzipShare: 0.3,
        concurrency: 64,
      });
      const seconds = (Date.now() - started) / 1000;
      probing = false;
      await Promise.all([prober, watcher]);
      const deadline = Date.now() + 30_000;
      while (
        Date.now() < deadline &&
        probes.some((probe) => probe.redisAt === undefined || probe.openSearchAt === undefined)
      ) {
        await watch(pipeline, probes);
        await new Promise((resolve) => setTimeout(resolve, WATCH_INTERVAL_MS));
      }
      await pipeline.archive.flush();
      await archiveTimes(join(dataDirectory, 'archive'), probes);
      const counters = pipeline.producer.metrics.counters;
      const eventsPerRecord = (counters.eventsPut - eventsBefore) / Math.max(1, counters.recordsPut - recordsBefore);
      results.push({
        offeredEventsPerSecond: rate,
        acceptedEventsPerSecond: Math.round(counts.acceptedEvents / seconds),
        requests: counts,
        latencyMsFromAccepted: {
          redis: latency(probes, 'redisAt'),
          openSearch: latency(probes, 'openSearchAt'),
          archiveFile: latency(probes, 'archiveAt'),
        },
        consumerEventsPerSecond: Object.fromEntries(
          Object.entries(pipeline.consumers).map(([name, runner]) => [
            name,
            Math.round(((runner.stats.recordsProcessed - processedBefore[name]!) * eventsPerRecord) / seconds),
          ]),
        ),
      });
    }
  } finally {
    await pipeline.stop();
  }
  const result = {
    rates: results,
    setup: {
      seconds: SECONDS,
      probeIntervalMs: PROBE_INTERVAL_MS,
      watchIntervalMs: WATCH_INTERVAL_MS,
      archiveBufferSeconds: 10,
      node: process.version,
    },
  };
  await writeResult('e2e.json', result);
  return result;
}
