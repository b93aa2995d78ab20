import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import {
  DEFAULT_RECORD_BYTE_CAP,
  encodeEnvelope,
  encodeEvent,
  RecordCompression,
  RecordPacker,
} from '../codec/event-codec';
import { Prod } from '../lib/config/environments';
import { MEASURED_PRODUCER_FILE, MeasuredProducer } from '../lib/planning/fleet';
import { DEFAULT_RECORD_DATA_BYTE_CAP } from '../producer/kinesis-writer';
import { TEST_TENANTS } from '../test/support/producer-harness';
import { startProducerProcess } from '../test/support/producer-process';
import { EventCorpus } from './corpus';
import { repetitivePayload } from './load-driver';
import { startPutRecordsSink } from './putrecords-sink';
import { eventsPerSecond } from './timing';
import { writeResult, writeMeasuredFigure } from './results-file';

/** Payloads of the realistic corpus the load cycles through: about 4 MB of bodies, so they do not all stay in cache. */
const REALISTIC_PAYLOADS = 512;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);

/** A full record, as the producer would write it, to measure what the sink alone can take. */
function fullRecord(): Buffer {
  let record: Buffer | undefined;
  const packer = new RecordPacker((sealed) => (record ??= Buffer.from(sealed)), DEFAULT_RECORD_DATA_BYTE_CAP);
  const envelope = encodeEnvelope({ environmentId: 'bench', payloadId: 'ceiling' });
  const events = Array.from({ length: 3_000 }, (_, i) =>
    encodeEvent({ custom: { key: `metric-${i}`, dataJson: '{"n":1}' } }),
  );
  packer.append(envelope, events);
  return record!;
}

async function sinkCeiling(url: string, seconds: number) {
  const record = fullRecord();
  const body = JSON.stringify({
    StreamName: 'bench',
    Records: Array.from({ length: 100 }, (_, i) => ({ Data: record.toString('base64'), PartitionKey: `k${i}` })),
  });
  const result = await autocannon({ url, method: 'POST', body, connections: 8, duration: seconds });
  return {
    recordsPerSecond: result.requests.average * 100,
    megabytesPerSecond: (result.requests.average * 100 * record.length) / 1e6,
  };
}

interface StoppedLine {
  cpuSeconds: number;
  eventsPut: number;
  recordsPut: number;
  bytesPut: number;
  putPayloadUnits: number;
}

interface ProducerRun {
  readonly stopped: StoppedLine;
  readonly load: autocannon.Result;
}

// Node's HTTP server alone: reads each body whole and answers 202 with a small JSON body, as the producer does.
const BARE_HTTP_SERVER = `
const server = require('node:http').createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    Buffer.concat(chunks);
    response.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":1}');
  });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
process.on('SIGTERM', () => {
  const { user, system } = process.cpuUsage();
  console.log((user + system) / 1e6);
  process.exit(0);
});`;

/** Requests per CPU-second of Node's bare HTTP server under the same load: the floor of any Node service's cost. */
async function bareHttpRequestsPerCpuSecond(bodies: readonly string[]): Promise<number> {
  const server = spawn(process.execPath, ['-e', BARE_HTTP_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: server.stdout })[Symbol.asyncIterator]();
  const port = Number((await lines.next()).value);
  const load = await autocannon({
    url: `http://127.0.0.1:${port}/bulk`,
    connections: 64,
    duration: Math.max(3, SECONDS / 3),
    requests: bodies.map((body) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body })),
  });
  server.kill('SIGTERM');
  const cpuSeconds = Number((await lines.next()).value);
  return load['2xx'] / cpuSeconds;
}

/** SDK payloads as posted, and how many events each holds. */
interface BenchBodies {
  readonly bodies: readonly string[];
  readonly events: number;
}

function benchBodies(payloads: readonly unknown[][]): BenchBodies {
  return {
    bodies: payloads.map((events) => JSON.stringify(events)),
    events: payloads.reduce((sum, events) => sum + events.length, 0),
  };
}

/** Runs the bundled producer against the sink under SECONDS of load, and reads its totals from its last line. */
async function loadProducer(
  sink: Awaited<ReturnType<typeof startPutRecordsSink>>,
  bodies: readonly string[],
  compression: RecordCompression,
): Promise<ProducerRun> {
  sink.reset();
  const profileDirectory = process.env.BENCH_CPU_PROFILE;
  const producer = await startProducerProcess(
    {
      STREAM_NAME: 'bench',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_KINESIS: sink.url,
      POWERTOOLS_METRICS_DISABLED: 'true',
      RECORD_COMPRESSION: compression,
    },
    { nodeArgs: profileDirectory ? ['--cpu-prof', '--cpu-prof-dir', profileDirectory] : [], minify: !profileDirectory },
  );
  const load = await autocannon({
    url: `${producer.url}/bulk`,
    connections: 64,
    duration: SECONDS,
    requests: bodies.map((body) => ({
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-launchdarkly-event-schema': '4',
        authorization: TEST_TENANTS.healthy.sdkKey,
      },
      body,
    })),
  });
  producer.child.kill('SIGTERM');
  await producer.exited;
  const stopped = JSON.parse(
    producer
      .output()
      .split('\n')
      .find((line) => line.includes('"message":"stopped"'))!,
  ) as StoppedLine;
  return { stopped, load };
}

/**
 * One corpus through the producer, writing format-1 records, then deflated ones, then zstd ones. JSON.parse of the
 * same bodies is measured before, between and after the loads: each load's ratio is to the mean of the two measures
 * around it, so a machine that slowed down or sped up in between moves both sides alike.
 */
async function benchCorpus(sink: Awaited<ReturnType<typeof startPutRecordsSink>>, corpus: BenchBodies) {
  const parseRate = () =>
    eventsPerSecond(corpus.events, () => corpus.bodies.forEach((body) => void JSON.parse(body)), 3);
  const parseRates = [parseRate()];
  const uncompressed = await loadProducer(sink, corpus.bodies, 'none');
  parseRates.push(parseRate());
  const compressed = await loadProducer(sink, corpus.bodies, 'deflate-raw');
  parseRates.push(parseRate());
  const zstd = await loadProducer(sink, corpus.bodies, 'zstd');
  parseRates.push(parseRate());
  const parseRateAround = (first: number) => (parseRates[first]! + parseRates[first + 1]!) / 2;
  const bareHttp = await bareHttpRequestsPerCpuSecond(corpus.bodies);
  const eventsPerPayload = corpus.events / corpus.bodies.length;

  const perCpuSecond = ({ stopped }: ProducerRun) => stopped.eventsPut / stopped.cpuSeconds;
  const figures = (run: ProducerRun, parseEventsPerSecond: number) => {
    const { stopped, load } = run;
    const eventsPerCpuSecond = perCpuSecond(run);
    return {
      // The load generator and the sink share the machine's two cores with the producer: this is what one fully
      // busy producer core takes, and its ratio to JSON.parse is the figure that compares across machines.
      eventsPerProducerCpuSecond: Math.round(eventsPerCpuSecond),
      requestsPerProducerCpuSecond: Math.round(load['2xx'] / stopped.cpuSeconds),
      requestsToBareHttp: Number((load['2xx'] / stopped.cpuSeconds / bareHttp).toFixed(3)),
      ratioPerProducerCpuSecond: Number((eventsPerCpuSecond / parseEventsPerSecond).toFixed(3)),
      acceptedEventsPerSecond: Math.round(stopped.eventsPut / load.duration),
      fill: Number((stopped.bytesPut / stopped.recordsPut / DEFAULT_RECORD_BYTE_CAP).toFixed(4)),
      encodedBytesPerEvent: Number((stopped.bytesPut / stopped.eventsPut).toFixed(1)),
      ppuPerMillionEvents: Math.round((stopped.putPayloadUnits / stopped.eventsPut) * 1e6),
      acceptLatencyMs: { p50: load.latency.p50, p99: load.latency.p99 },
      requests: { accepted: load['2xx'], non2xx: load.non2xx, errors: load.errors, timeouts: load.timeouts },
    };
  };
  return {
    payloads: corpus.bodies.length,
    eventsPerPayload: Number(eventsPerPayload.toFixed(2)),
    jsonBytesPerEvent: Number((corpus.bodies.reduce((sum, body) => sum + body.length, 0) / corpus.events).toFixed(1)),
    jsonParseEventsPerSecondMeasures: parseRates.map(Math.round),
    bareHttpRequestsPerCpuSecond: Math.round(bareHttp),
    compressed: figures(compressed, parseRateAround(1)),
    uncompressed: figures(uncompressed, parseRateAround(0)),
    zstd: figures(zstd, parseRateAround(2)),
    compressionCpuPerEventIncrease: Number((perCpuSecond(uncompressed) / perCpuSecond(compressed) - 1).toFixed(3)),
    // Below 1: zstd costs the producer less CPU an event than deflate, in the same run.
    zstdToDeflateCpuPerEvent: Number((perCpuSecond(compressed) / perCpuSecond(zstd)).toFixed(3)),
  };
}

/** Where each codec's figures are in the result. */
const DEPLOYED_RESULT = { none: 'uncompressed', 'deflate-raw': 'compressed', zstd: 'zstd' } as const satisfies Record<
  RecordCompression,
  string
>;

export async function benchProducer(): Promise<Record<string, unknown>> {
  const corpus = new EventCorpus(1);
  const realistic = benchBodies(Array.from({ length: REALISTIC_PAYLOADS }, () => corpus.payload().events));
  const repetitive = benchBodies(Array.from({ length: 64 }, (_, i) => repetitivePayload(i)));

  const sink = await startPutRecordsSink();
  const ceiling = await sinkCeiling(sink.url, 3);
  const result = {
    realistic: await benchCorpus(sink, realistic),
    repetitive: await benchCorpus(sink, repetitive),
    sinkCeiling: {
      recordsPerSecond: Math.round(ceiling.recordsPerSecond),
      megabytesPerSecond: Math.round(ceiling.megabytesPerSecond),
    },
    sinkSampledEventsPerRecord: Number(
      (sink.counters.sampledEvents / Math.max(1, sink.counters.sampledRecords)).toFixed(1),
    ),
    setup: { connections: 64, seconds: SECONDS, node: process.version },
  };
  sink.server.close();
  await writeResult('producer.json', result);
  const measured: MeasuredProducer = {
    measuredWith: 'npm run bench -- producer',
    corpus: 'realistic: bench/corpus.ts, seed 1',
    recordCompression: Prod.stream.recordCompression,
    eventsPerCoreSecond: result.realistic[DEPLOYED_RESULT[Prod.stream.recordCompression]].eventsPerProducerCpuSecond,
    eventsPerPayload: result.realistic.eventsPerPayload,
    jsonBytesPerEvent: result.realistic.jsonBytesPerEvent,
  };
  await writeMeasuredFigure(MEASURED_PRODUCER_FILE, measured);
  return result;
}
