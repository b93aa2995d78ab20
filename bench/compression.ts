import { brotliCompressSync, brotliDecompressSync, constants, deflateRawSync, inflateRawSync } from 'node:zlib';
import {
  createRecordPacker,
  decodeRecord,
  DEFAULT_RECORD_BYTE_CAP,
  encodeEnvelope,
  encodePayloadEvents,
  RecordCompression,
  v1,
} from '../codec/event-codec';
import { Prod } from '../lib/config/environments';
import {
  eventBytesFromRecords,
  planStream,
  SHARD_WRITE_BYTES_PER_SECOND,
  SHARD_WRITE_RECORDS_PER_SECOND,
  environmentReaders,
} from '../lib/planning/capacity';
import { MEASURED_EVENT_BYTES_FILE } from '../lib/planning/measured-event-bytes';
import { DEFAULT_RECORD_DATA_BYTE_CAP } from '../producer/kinesis-writer';
import { readSdkPayload } from '../producer/sdk-events';
import { EventCorpus } from './corpus';
import { repetitivePayload } from './load-driver';
import { interleavedRounds, median, roundRatios, secondsPerPass } from './timing';
import { writeResult, writeMeasuredFigure } from './results-file';

const PAYLOADS = 3_000;
/**
 * Rounds of the interleaved rates, and the shares of the payloads they take in turn: a quarter is about a tenth of a
 * second of packing, and holds enough records that a packer starting anew learns its ratio within a small part of it.
 */
const ROUNDS = 40;
const ROUND_SHARES = 4;
/** zlib's window: a preset dictionary larger than this is never reached. */
const DICTIONARY_BYTES = 32 * 1024;

export interface Packed {
  readonly records: Buffer[];
  readonly events: number;
}

interface SdkPayload {
  readonly side: string;
  readonly events: unknown[];
}

function envelopeOf(payload: SdkPayload, i: number): Uint8Array {
  return encodeEnvelope({
    environmentId: `env-${(i * 7919) % 400}`,
    receivedAtMs: 1_795_000_000_000 + i * 10,
    payloadId: `payload-${i}`,
    endpoint: payload.side === 'server' ? v1.Endpoint.ENDPOINT_SERVER : v1.Endpoint.ENDPOINT_CLIENT,
    sdkName: payload.side === 'server' ? 'node-server-sdk' : 'js-client-sdk',
    sdkVersion: payload.side === 'server' ? '9.13.7' : '4.10.3',
    tags: 'application-id/checkout-web application-version/2.14.1',
  });
}

/** Payloads through the producer's own path: validation and mapping, protobuf, and its packer for records. */
export function pack(payloads: readonly SdkPayload[], compression: RecordCompression = 'none'): Packed {
  const records: Buffer[] = [];
  let events = 0;
  const packer = createRecordPacker(
    (record, count) => {
      records.push(Buffer.from(record));
      events += count;
    },
    DEFAULT_RECORD_DATA_BYTE_CAP,
    compression,
  );
  payloads.forEach((payload, i) => {
    packer.append(envelopeOf(payload, i), encodePayloadEvents(readSdkPayload(payload.events).events));
  });
  packer.flush();
  return { records, events };
}

export function corpusPayloads(seed: number) {
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
      (rawBytes / 1e6 / secondsPerPass(() => packed.records.forEach((record) => codec.compress(record)))).toFixed(0),
    ),
    decompressMegabytesPerSecond: Number(
      (rawBytes / 1e6 / secondsPerPass(() => compressed.forEach((record) => codec.decompress(record)))).toFixed(0),
    ),
  };
}

/**
 * How far records compress, per algorithm and level: on the realistic corpus, and on the load generator's events in
 * the same run as the baseline that shows how much a repetitive corpus overstates the ratio. The dictionary is
 * records of a corpus of another seed, so it is not trained on what it compresses.
 */
export async function benchCompression(): Promise<Record<string, unknown>> {
  const realisticPayloads = corpusPayloads(1);
  const realistic = pack(realisticPayloads);
  const repetitivePayloads = Array.from({ length: PAYLOADS }, (_, i) => ({
    side: 'server',
    events: repetitivePayload(i),
  }));
  const repetitive = pack(repetitivePayloads);
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
  const stream = {
    realistic: streamFigures(realisticPayloads),
    repetitive: streamFigures(repetitivePayloads),
  };
  const result = {
    stream,
    realistic: describe(realistic),
    repetitive: describe(repetitive),
    byCodec: Object.fromEntries(
      codecs.map((codec) => [
        codec.name,
        { realistic: measure(codec, realistic), repetitive: measure(codec, repetitive) },
      ]),
    ),
  };
  await writeResult('compression.json', result);
  const measured = {
    measuredWith: 'npm run bench -- compression',
    corpus: 'realistic: bench/corpus.ts, seed 1',
    recordCompression: Prod.stream.recordCompression,
    eventBytes: stream.realistic[Prod.stream.recordCompression].plannerEventBytes,
    uncompressedEventBytes: stream.realistic.none.plannerEventBytes,
  };
  await writeMeasuredFigure(MEASURED_EVENT_BYTES_FILE, measured);
  return result;
}

/**
 * The records the producer writes, uncompressed and compressed, of the same payloads: their size per event, what a
 * shard carries of them with the production stream's readers, and the packing CPU and the consumers' decoding
 * against JSON.parse of the same bodies. The five rates are measured in interleaved rounds and each ratio is the
 * median of its rounds' ratios, so a noisy neighbour slows both sides of a ratio alike.
 */
function streamFigures(payloads: readonly SdkPayload[]) {
  const events = payloads.reduce((sum, payload) => sum + payload.events.length, 0);
  const packedBy = {
    none: pack(payloads, 'none'),
    'deflate-raw': pack(payloads, 'deflate-raw'),
    zstd: pack(payloads, 'zstd'),
  };
  const shares = Array.from({ length: ROUND_SHARES }, (_, share) =>
    payloads.filter((_payload, i) => i % ROUND_SHARES === share),
  );
  const bodies = shares.map((share) => share.map((payload) => JSON.stringify(payload.events)));
  const recordsOf = (compression: RecordCompression) => shares.map((share) => pack(share, compression));
  const sharesPacked = { none: recordsOf('none'), 'deflate-raw': recordsOf('deflate-raw'), zstd: recordsOf('zstd') };
  const decodeAll = (packed: Packed) => {
    packed.records.forEach((record) => decodeRecord(record));
    return packed.events;
  };
  const rounds = interleavedRounds(
    {
      jsonParse: (round) =>
        bodies[round % ROUND_SHARES]!.reduce((sum, body) => sum + (JSON.parse(body) as []).length, 0),
      packNone: (round) => pack(shares[round % ROUND_SHARES]!, 'none').events,
      packDeflateRaw: (round) => pack(shares[round % ROUND_SHARES]!, 'deflate-raw').events,
      packZstd: (round) => pack(shares[round % ROUND_SHARES]!, 'zstd').events,
      decodeNone: (round) => decodeAll(sharesPacked.none[round % ROUND_SHARES]!),
      decodeDeflateRaw: (round) => decodeAll(sharesPacked['deflate-raw'][round % ROUND_SHARES]!),
      decodeZstd: (round) => decodeAll(sharesPacked.zstd[round % ROUND_SHARES]!),
    },
    ROUNDS,
  );
  const toJsonParse = (rates: number[]) => Number(median(roundRatios(rates, rounds.jsonParse)).toFixed(3));
  const figures = (compression: RecordCompression, packRates: number[], decodeRates: number[]) => {
    const packed = packedBy[compression];
    const recordBytes = packed.records.reduce((sum, record) => sum + record.length, 0);
    const full = packed.records.slice(0, -1);
    // At least a byte: repetitive events pack under the framing the planner adds back.
    const plannerEventBytes = Math.max(1, Math.ceil(eventBytesFromRecords(recordBytes, packed.events)));
    const plan = planStream({
      eventsPerSecond: Prod.load.peakEventsPerSecond,
      eventBytes: plannerEventBytes,
      ...environmentReaders(Prod),
    });
    return {
      records: packed.records.length,
      recordBytesPerEvent: Number((recordBytes / packed.events).toFixed(1)),
      plannerEventBytes,
      meanFullRecordFill: Number(
        (full.reduce((sum, record) => sum + record.length, 0) / full.length / DEFAULT_RECORD_DATA_BYTE_CAP).toFixed(3),
      ),
      smallestFullRecordFill: Number(
        (Math.min(...full.map((record) => record.length)) / DEFAULT_RECORD_DATA_BYTE_CAP).toFixed(3),
      ),
      eventsPerShardSecond: plan.eventsPerShardSecond,
      costPerBillionEvents: plan.costPerBillionEvents,
      packEventsPerSecond: Math.round(median(packRates)),
      packToJsonParse: toJsonParse(packRates),
      decodeEventsPerSecond: Math.round(median(decodeRates)),
      decodeToJsonParse: toJsonParse(decodeRates),
    };
  };
  // CPU per event is the inverse of a rate: uncompressed over compressed, less one; the median and the range of rounds.
  const cpuIncrease = (uncompressed: number[], compressed: number[]) => {
    const increases = roundRatios(uncompressed, compressed).map((ratio) => Number((ratio - 1).toFixed(3)));
    return { median: Number(median(increases).toFixed(3)), range: [Math.min(...increases), Math.max(...increases)] };
  };
  const none = figures('none', rounds.packNone, rounds.decodeNone);
  const deflateRaw = figures('deflate-raw', rounds.packDeflateRaw, rounds.decodeDeflateRaw);
  const zstd = figures('zstd', rounds.packZstd, rounds.decodeZstd);
  return {
    events,
    rounds: rounds.jsonParse.length,
    jsonParseEventsPerSecond: Math.round(median(rounds.jsonParse)),
    none,
    'deflate-raw': deflateRaw,
    zstd,
    // Packing is validation, protobuf and records: the producer's own work per event, HTTP aside.
    packCpuPerEventIncrease: cpuIncrease(rounds.packNone, rounds.packDeflateRaw),
    decodeCpuPerEventIncrease: cpuIncrease(rounds.decodeNone, rounds.decodeDeflateRaw),
    streamBytesRatio: Number((none.recordBytesPerEvent / deflateRaw.recordBytesPerEvent).toFixed(2)),
    // The two codecs side by side, in the same rounds: below 1, zstd writes fewer bytes or spends less CPU an event.
    zstdToDeflateRaw: {
      recordBytesPerEvent: Number((zstd.recordBytesPerEvent / deflateRaw.recordBytesPerEvent).toFixed(3)),
      packCpuPerEvent: Number(median(roundRatios(rounds.packDeflateRaw, rounds.packZstd)).toFixed(3)),
      decodeCpuPerEvent: Number(median(roundRatios(rounds.decodeDeflateRaw, rounds.decodeZstd)).toFixed(3)),
    },
  };
}
