import { brotliCompressSync, brotliDecompressSync, constants, deflateRawSync, inflateRawSync } from 'node:zlib';
import { DEFAULT_RECORD_BYTE_CAP, encodeEnvelope, encodePayloadEvents, RecordPacker, v1 } from '../codec/event-codec';
import { SHARD_WRITE_BYTES_PER_SECOND, SHARD_WRITE_RECORDS_PER_SECOND } from '../lib/planning/capacity';
import { readSdkPayload } from '../producer/sdk-events';
import { mixedPayload } from '../test/support/sdk-payloads';
import { EventCorpus } from './corpus';

const PAYLOADS = 3_000;
/** zlib's window: a preset dictionary larger than this is never reached. */
const DICTIONARY_BYTES = 32 * 1024;

interface Packed {
  readonly records: Buffer[];
  readonly events: number;
}

/** Payloads through the producer's own path: validation and mapping, protobuf, records just under 25,000 bytes. */
function pack(payloads: readonly { side: string; events: unknown[] }[]): Packed {
  const records: Buffer[] = [];
  let events = 0;
  const packer = new RecordPacker((record, count) => {
    records.push(Buffer.from(record));
    events += count;
  }, DEFAULT_RECORD_BYTE_CAP);
  payloads.forEach((payload, i) => {
    const envelope = encodeEnvelope({
      environmentId: `env-${(i * 7919) % 400}`,
      receivedAtMs: 1_795_000_000_000 + i * 10,
      payloadId: `payload-${i}`,
      endpoint: payload.side === 'server' ? v1.Endpoint.ENDPOINT_SERVER : v1.Endpoint.ENDPOINT_CLIENT,
      sdkName: payload.side === 'server' ? 'node-server-sdk' : 'js-client-sdk',
      sdkVersion: payload.side === 'server' ? '9.13.7' : '4.10.3',
      tags: 'application-id/checkout-web application-version/2.14.1',
    });
    packer.append(envelope, encodePayloadEvents(readSdkPayload(payload.events).events));
  });
  packer.flush();
  return { records, events };
}

function corpusPayloads(seed: number) {
  const corpus = new EventCorpus(seed);
  return Array.from({ length: PAYLOADS }, () => corpus.payload());
}

interface Codec {
  readonly name: string;
  compress(record: Buffer): Buffer;
  decompress(compressed: Buffer): Buffer;
}

const brotli = (quality: number): Codec => ({
  name: `brotli q${quality}`,
  compress: (record) =>
    brotliCompressSync(record, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: quality,
        [constants.BROTLI_PARAM_SIZE_HINT]: record.length,
      },
    }),
  decompress: (compressed) => brotliDecompressSync(compressed),
});

const deflate = (level: number, dictionary?: Buffer): Codec => ({
  name: `deflate-raw l${level}${dictionary ? ' + dictionary' : ''}`,
  compress: (record) => deflateRawSync(record, { level, ...(dictionary && { dictionary }) }),
  decompress: (compressed) => inflateRawSync(compressed, dictionary && { dictionary }),
});

/** Seconds of CPU for `work` over every record, repeated until it has run long enough to time. */
function secondsPerPass(records: readonly Buffer[], work: (record: Buffer) => unknown): number {
  let passes = 0;
  const started = process.hrtime.bigint();
  do {
    for (const record of records) work(record);
    passes++;
  } while (Number(process.hrtime.bigint() - started) < 1e9);
  return Number(process.hrtime.bigint() - started) / 1e9 / passes;
}

function measure(codec: Codec, packed: Packed) {
  const compressed = packed.records.map((record) => codec.compress(record));
  compressed.forEach((each, i) => {
    if (!codec.decompress(each).equals(packed.records[i]!)) throw new Error(`${codec.name} did not round-trip`);
  });
  const rawBytes = packed.records.reduce((sum, record) => sum + record.length, 0);
  const compressedBytes = compressed.reduce((sum, record) => sum + record.length, 0);
  const bytesPerEvent = compressedBytes / packed.events;
  return {
    ratio: Number((rawBytes / compressedBytes).toFixed(2)),
    bytesPerEvent: Number(bytesPerEvent.toFixed(1)),
    // A full record of compressed events, at the shard's write limits (bytes and records a second).
    eventsPerShardSecond: Math.floor(
      Math.min(
        SHARD_WRITE_BYTES_PER_SECOND / bytesPerEvent,
        SHARD_WRITE_RECORDS_PER_SECOND * (DEFAULT_RECORD_BYTE_CAP / bytesPerEvent),
      ),
    ),
    compressMegabytesPerSecond: Number(
      (rawBytes / 1e6 / secondsPerPass(packed.records, (record) => codec.compress(record))).toFixed(0),
    ),
    decompressMegabytesPerSecond: Number(
      (rawBytes / 1e6 / secondsPerPass(compressed, (record) => codec.decompress(record))).toFixed(0),
    ),
  };
}

/**
 * How far records compress, per algorithm and level: on the realistic corpus, and on the load generator's events in
 * the same run as the baseline that shows how much a repetitive corpus overstates the ratio. The dictionary is
 * records of a corpus of another seed, so it is not trained on what it compresses.
 */
export function benchCompression(): Promise<Record<string, unknown>> {
  const realistic = pack(corpusPayloads(1));
  const repetitive = pack(
    Array.from({ length: PAYLOADS }, (_, i) => ({ side: 'server', events: mixedPayload(i * 50, 50) })),
  );
  const training = pack(corpusPayloads(2)).records;
  const dictionary = Buffer.concat(training).subarray(-DICTIONARY_BYTES);
  const codecs = [
    deflate(1),
    deflate(6),
    deflate(1, dictionary),
    deflate(6, dictionary),
    brotli(1),
    brotli(5),
    brotli(9),
  ];
  const describe = (packed: Packed) => ({
    records: packed.records.length,
    events: packed.events,
    uncompressedBytesPerEvent: Number(
      (packed.records.reduce((sum, record) => sum + record.length, 0) / packed.events).toFixed(1),
    ),
  });
  return Promise.resolve({
    realistic: describe(realistic),
    repetitive: describe(repetitive),
    byCodec: Object.fromEntries(
      codecs.map((codec) => [
        codec.name,
        { realistic: measure(codec, realistic), repetitive: measure(codec, repetitive) },
      ]),
    ),
  });
}
