import { mkdir, writeFile } from 'node:fs/promises';
import autocannon from 'autocannon';
import {
  DEFAULT_RECORD_BYTE_CAP,
  encodeEnvelope,
  encodeEvent,
  RecordCompression,
  RecordPacker,
} from '../codec/event-codec';
import { DEFAULT_RECORD_DATA_BYTE_CAP } from '../producer/kinesis-writer';
import { TEST_TENANTS } from '../test/support/producer-harness';
import { startProducerProcess } from '../test/support/producer-process';
import { mixedPayload } from '../test/support/sdk-payloads';
import { startPutRecordsSink } from './putrecords-sink';
import { eventsPerSecond } from './timing';

const EVENTS_PER_PAYLOAD = 50;
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
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
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

export async function benchProducer(): Promise<Record<string, unknown>> {
  const bodies = Array.from({ length: 64 }, (_, i) =>
    JSON.stringify(mixedPayload(i * EVENTS_PER_PAYLOAD, EVENTS_PER_PAYLOAD)),
  );
  const meanEventJsonBytes = bodies.reduce((sum, body) => sum + body.length, 0) / bodies.length / EVENTS_PER_PAYLOAD;

  const sink = await startPutRecordsSink();
  const ceiling = await sinkCeiling(sink.url, 3);
  // JSON.parse of the same bodies before, between and after the two runs: each run's ratio is to the mean of the
  // two measures around it, so a machine that slowed down or sped up in between moves both sides alike.
  const parseRate = () =>
    eventsPerSecond(bodies.length * EVENTS_PER_PAYLOAD, () => bodies.forEach((body) => void JSON.parse(body)), 3);
  const parseRates = [parseRate()];
  // The same load with records uncompressed first, as the baseline of compression's CPU in this run.
  const uncompressed = await loadProducer(sink, bodies, 'none');
  parseRates.push(parseRate());
  const run = await loadProducer(sink, bodies, 'deflate-raw');
  parseRates.push(parseRate());
  sink.server.close();
  const parseRateAround = (first: number) => (parseRates[first]! + parseRates[first + 1]!) / 2;

  const { stopped, load } = run;
  const accepted = load['2xx'];
  const acceptedEventsPerSecond = (accepted * EVENTS_PER_PAYLOAD) / load.duration;
  const perCpuSecond = (figures: ProducerRun) => figures.stopped.eventsPut / figures.stopped.cpuSeconds;
  const result = {
    eventsPerSecond: Math.round(acceptedEventsPerSecond),
    jsonParseEventsPerSecond: Math.round(parseRateAround(1)),
    jsonParseEventsPerSecondMeasures: parseRates.map(Math.round),
    ratio: Number((acceptedEventsPerSecond / parseRateAround(1)).toFixed(3)),
    // The load generator and the sink share the machine's two cores with the producer; this is what one
    // fully busy producer core would take.
    eventsPerProducerCpuSecond: Math.round(perCpuSecond(run)),
    ratioPerProducerCpuSecond: Number((perCpuSecond(run) / parseRateAround(1)).toFixed(3)),
    uncompressedEventsPerProducerCpuSecond: Math.round(perCpuSecond(uncompressed)),
    uncompressedRatioPerProducerCpuSecond: Number((perCpuSecond(uncompressed) / parseRateAround(0)).toFixed(3)),
    compressionCpuPerEventIncrease: Number((perCpuSecond(uncompressed) / perCpuSecond(run) - 1).toFixed(3)),
    fill: Number((stopped.bytesPut / stopped.recordsPut / DEFAULT_RECORD_BYTE_CAP).toFixed(4)),
    encodedBytesPerEvent: Number((stopped.bytesPut / stopped.eventsPut).toFixed(1)),
    uncompressedBytesPerEvent: Number((uncompressed.stopped.bytesPut / uncompressed.stopped.eventsPut).toFixed(1)),
    jsonBytesPerEvent: Number(meanEventJsonBytes.toFixed(1)),
    ppuPerMillionEvents: Math.round((stopped.putPayloadUnits / stopped.eventsPut) * 1e6),
    acceptLatencyMs: { p50: load.latency.p50, p99: load.latency.p99 },
    requests: { accepted, non2xx: load.non2xx, errors: load.errors, timeouts: load.timeouts },
    stream: { records: stopped.recordsPut, events: stopped.eventsPut, putPayloadUnits: stopped.putPayloadUnits },
    sinkCeiling: {
      recordsPerSecond: Math.round(ceiling.recordsPerSecond),
      megabytesPerSecond: Math.round(ceiling.megabytesPerSecond),
    },
    sinkSampledEventsPerRecord: Number(
      (sink.counters.sampledEvents / Math.max(1, sink.counters.sampledRecords)).toFixed(1),
    ),
    setup: { payloadEvents: EVENTS_PER_PAYLOAD, connections: 64, seconds: SECONDS, node: process.version },
  };
  await mkdir('bench/results', { recursive: true });
  await writeFile('bench/results/producer.json', `${JSON.stringify(result, null, 2)}\n`);
  return result;
}
