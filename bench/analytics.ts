import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readExperimentFigures } from '../lib/experiments/figures-reader';
import { Prod } from '../lib/config/environments';
import { environmentStreamPlan } from '../lib/planning/capacity';
import { LocalPipeline } from '../local/local-pipeline';
import { CompressedRecordPacker, encodeEnvelope, encodePayloadEvents } from '../codec/event-codec';
import { DEFAULT_RECORD_DATA_BYTE_CAP } from '../producer/kinesis-writer';
import { readSdkPayload } from '../producer/sdk-events';
import { EventCorpus } from './corpus';
import { ExperimentTraffic, LOCAL_EXPERIMENT } from './experiment-traffic';
import { offerLoad } from './load-driver';
import { MEASURED_ANALYTICS, MEASURED_ANALYTICS_FILE } from '../lib/planning/analytics-plan';
import { writeMeasuredFigure, writeResult } from './results-file';
import { percentile, processCpuSeconds } from './timing';

const RATE = 1_000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const PROBE_INTERVAL_MS = 500;
/** A probe experiment of its own, so each probe's goal is a count the bench can wait for. */
const PROBE = { key: 'bench-probe', flag: 'bench-probe', goal: 'bench-probe-goal' };

interface Probe {
  readonly index: number;
  readonly acceptedAt: number;
  readableAt?: number;
}

async function definitions(file: string): Promise<void> {
  const experiment = (key: string, flag: string, metrics: object[]) => ({
    environmentId: LOCAL_EXPERIMENT.environmentId,
    key,
    flag,
    unitKind: 'user',
    iteration: 1,
    iterationStart: '2026-01-01T00:00:00Z',
    controlVariation: 0,
    allocation: { 0: 0.5, 1: 0.5 },
    metrics,
  });
  await writeFile(
    file,
    JSON.stringify({
      experiments: [
        experiment('new-checkout', LOCAL_EXPERIMENT.flag, [
          { key: 'purchase', kind: 'conversion' },
          { key: 'revenue', kind: 'numeric', event: 'purchase' },
          { key: 'buy-button', kind: 'click' },
        ]),
        experiment(PROBE.key, PROBE.flag, [{ key: PROBE.goal, kind: 'conversion' }]),
      ],
    }),
  );
}

/** A new unit exposed and converted in one server payload: the goal's 202 is where its freshness is measured from. */
async function sendProbe(pipeline: LocalPipeline, index: number): Promise<Probe | undefined> {
  const now = Date.now();
  const context = { kind: 'user', key: `probe-unit-${index}` };
  const response = await fetch(`${pipeline.url}/bulk`, {
    method: 'POST',
    headers: { authorization: LOCAL_EXPERIMENT.sdkKey, 'content-type': 'application/json' },
    body: JSON.stringify([
      {
        kind: 'feature',
        key: PROBE.flag,
        variation: 1,
        value: true,
        default: false,
        version: 1,
        creationDate: now,
        context,
        reason: { kind: 'FALLTHROUGH', inExperiment: true },
      },
      { kind: 'custom', key: PROBE.goal, creationDate: now + 1, context },
    ]),
  });
  await response.arrayBuffer();
  return response.status === 202 ? { index, acceptedAt: Date.now() } : undefined;
}

/**
 * The experiment job on the local pipeline under the realistic load with the experiment's traffic: how fresh its
 * figures are (a probe's goal from its 202 to its count in Redis), what its JVM spends per event, and its state per
 * exposed unit from its last checkpoint. Everything shares the machine's two cores.
 */
/** Realistic corpus payloads with every tenth the experiment's, packed as the producer packs them, to a file. */
async function packedRecordsFile(file: string, recordCount: number): Promise<number> {
  const records: Buffer[] = [];
  const corpus = new EventCorpus(3, Date.now);
  const experiment = new ExperimentTraffic(4);
  const packer = new CompressedRecordPacker(
    (record) => records.push(Buffer.from(record)),
    DEFAULT_RECORD_DATA_BYTE_CAP,
  );
  for (let p = 0; records.length < recordCount; p++) {
    const fromExperiment = p % 10 === 9;
    const { events } = fromExperiment ? experiment.next() : corpus.payload();
    const envelope = encodeEnvelope({
      environmentId: fromExperiment ? LOCAL_EXPERIMENT.environmentId : `env-${p % 100}`,
      receivedAtMs: Date.now(),
      payloadId: `p-${p}`,
    });
    packer.append(envelope, encodePayloadEvents(readSdkPayload(events).events));
  }
  const framed = records.flatMap((record) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(record.length);
    return [length, record];
  });
  await writeFile(file, Buffer.concat(framed));
  return records.length;
}

/** The job's CPU per event on packed records, against decoding them alone, in one JVM (the job's test classes). */
async function jobThroughput(dataDirectory: string, experimentsFile: string) {
  const records = join(dataDirectory, 'records.bin');
  await packedRecordsFile(records, 2_000);
  const analytics = join(__dirname, '..', 'analytics');
  const classpathFile = join(analytics, 'target', 'test-classpath.txt');
  execFileSync(
    'mvn',
    [
      '-q',
      '-B',
      '-ntp',
      '-f',
      join(analytics, 'pom.xml'),
      'test-compile',
      'dependency:build-classpath',
      `-Dmdep.outputFile=${classpathFile}`,
      '-DincludeScope=test',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const classpath = [
    join(analytics, 'target', 'test-classes'),
    join(analytics, 'target', 'classes'),
    readFileSync(classpathFile, 'utf8').trim(),
  ].join(':');
  const output = execFileSync(
    'java',
    ['-Xmx2g', '-cp', classpath, 'eventspipeline.analytics.bench.JobThroughput', records, experimentsFile],
    {
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  const figures = JSON.parse(output.trim().split('\n').at(-1)!) as {
    events: number;
    decodeEventsPerCpuSecond: number;
    jobEventsPerCpuSecond: number;
  };
  return {
    ...figures,
    toDecodingAlone: Number((figures.jobEventsPerCpuSecond / figures.decodeEventsPerCpuSecond).toFixed(3)),
  };
}

export async function benchAnalytics(): Promise<Record<string, unknown>> {
  const dataDirectory = await mkdtemp(join(tmpdir(), 'bench-analytics-'));
  // Started by root, the local OpenSearch runs as nobody, who must reach its data inside this folder.
  await chmod(dataDirectory, 0o755);
  const experimentsFile = join(dataDirectory, 'experiments.json');
  await definitions(experimentsFile);
  // Measured first, alone on the machine, before the pipeline starts.
  const throughput = await jobThroughput(dataDirectory, experimentsFile);
  const pipeline = await LocalPipeline.start({
    port: 0,
    dataDirectory,
    persistStream: false,
    redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
    openSearchUrl: process.env.OPENSEARCH_URL,
    experimentsFile,
  });
  const job = pipeline.analytics!;
  const prefix = pipeline.stores.experimentKeyPrefix!;
  const probeId = `${LOCAL_EXPERIMENT.environmentId}/${PROBE.key}/1`;
  try {
    const probes: Probe[] = [];
    let probing = true;
    const prober = (async () => {
      for (let index = 0; probing; index++) {
        const probe = await sendProbe(pipeline, index);
        if (probe) probes.push(probe);
        await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS));
      }
    })();
    const watch = async () => {
      const figures = await readExperimentFigures(pipeline.redis, prefix, probeId);
      const converted = figures.variations.find((each) => each.variation === 1)?.metrics[PROBE.goal]?.converted ?? 0;
      // Probes convert one unit each, in the order they were sent: the count says how many have landed.
      for (const probe of probes.slice(0, converted)) probe.readableAt ??= Date.now();
    };
    const watcher = (async () => {
      while (probing) {
        await watch();
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const cpuBefore = processCpuSeconds(job.pid);
    const started = Date.now();
    const counts = await offerLoad({
      url: pipeline.url,
      rate: RATE,
      durationSeconds: SECONDS,
      tenants: 50,
      gzipShare: 0.3,
      concurrency: 32,
    });
    probing = false;
    await Promise.all([prober, watcher]);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && probes.some((probe) => probe.readableAt === undefined)) {
      await watch();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const cpuSeconds = processCpuSeconds(job.pid) - cpuBefore;
    const seconds = (Date.now() - started) / 1000;
    const figures = await readExperimentFigures(
      pipeline.redis,
      prefix,
      `${LOCAL_EXPERIMENT.environmentId}/new-checkout/1`,
    );
    const exposedUnits = figures.variations.reduce((sum, each) => sum + each.units, 0) + probes.length;
    const checkpoints = (await (await fetch(`${job.restUrl}/jobs/overview`)).json()) as { jobs: { jid: string }[] };
    const detail = (await (await fetch(`${job.restUrl}/jobs/${checkpoints.jobs[0]!.jid}/checkpoints`)).json()) as {
      latest: { completed: { state_size?: number; checkpointed_size?: number } | null };
    };
    const stateBytes = detail.latest.completed?.state_size ?? detail.latest.completed?.checkpointed_size ?? null;
    const latencies = probes
      .filter((probe) => probe.readableAt !== undefined)
      .map((probe) => probe.readableAt! - probe.acceptedAt);
    const eventsPerCpuSecond = Math.round(counts.acceptedEvents / cpuSeconds);
    const shardEventsPerSecond = Math.floor(environmentStreamPlan(Prod).eventsPerShardSecond);
    const result = {
      offeredEventsPerSecond: RATE,
      acceptedEventsPerSecond: Math.round(counts.acceptedEvents / seconds),
      freshnessMsFromGoalAccepted: {
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        seen: latencies.length,
        of: probes.length,
      },
      job: {
        cpuSeconds: Number(cpuSeconds.toFixed(1)),
        // The whole JVM at a light load: its MiniCluster, checkpoints every 5 s and metrics every second included.
        eventsPerCpuSecond,
        stateBytes,
        exposedUnits,
        stateBytesPerExposedUnit: stateBytes === null ? null : Math.round(stateBytes / exposedUnits),
      },
      experiment: { generated: counts.experiment, measured: figures.variations },
      shardEventsPerSecond,
      // The job's task threads alone, at full speed on packed records, parallelism 1 (one core).
      throughput: {
        ...throughput,
        shardsOneCoreKeepsUpWith: Number((throughput.jobEventsPerCpuSecond / shardEventsPerSecond).toFixed(1)),
      },
      setup: { seconds: SECONDS, probeIntervalMs: PROBE_INTERVAL_MS, node: process.version },
    };
    await writeResult('analytics.json', result);
    if (stateBytes !== null) {
      await writeMeasuredFigure(MEASURED_ANALYTICS_FILE, {
        measuredWith: 'npm run bench -- analytics',
        corpus: MEASURED_ANALYTICS.corpus,
        jobEventsPerCpuSecond: throughput.jobEventsPerCpuSecond,
        stateBytesPerExposedUnit: result.job.stateBytesPerExposedUnit,
      });
    }
    return result;
  } finally {
    await pipeline.stop();
    await rm(dataDirectory, { recursive: true, force: true });
  }
}
