import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync, inflateRawSync, zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import { EventCorpus } from '../../bench/corpus';
import {
  COMPRESSED_FILL_TARGET,
  CompressedRecordPacker,
  createRecordPacker,
  MAX_RECORD_BYTE_CAP,
  CorruptRecordError,
  MAX_BATCH_BYTES,
  LARGE_EVENT_RECORD_BYTE_CAP,
  maxSingleEventBytes,
  decodeRecord,
  decodeRecordWithId,
  encodeEnvelope,
  encodeEvent,
  EventPacker,
  maxEventBytes,
  RecordPacker,
  v1,
} from '../../codec/event-codec';
import { readSdkPayload } from '../../producer/sdk-events';
import { sampleEnvelope, sampleEvents } from './sample-events';

interface EncodedPayload {
  readonly envelope: Uint8Array;
  readonly events: Uint8Array[];
}

function packAll(
  cap: number,
  payloads: readonly EncodedPayload[],
  Packer: new (onRecord: (record: Buffer, eventCount: number) => void, cap: number) => EventPacker = RecordPacker,
) {
  const records: Buffer[] = [];
  const packer = new Packer((record, eventCount) => {
    expect(eventCount).toBe(decodeRecord(record).length);
    records.push(Buffer.from(record));
  }, cap);
  for (const payload of payloads) packer.append(payload.envelope, payload.events);
  packer.flush();
  return records;
}

function customEvent(sequence: number): Uint8Array {
  return encodeEvent({ creationDateMs: sequence, custom: { key: `metric-${sequence}`, dataJson: '{"n":1}' } });
}

describe('event codec', () => {
  it('round-trips every event kind with its envelope', () => {
    // given
    const envelope = encodeEnvelope(sampleEnvelope);

    // when
    const [record] = packAll(25_000, [{ envelope, events: sampleEvents.map(encodeEvent) }]);
    const decoded = decodeRecord(record!);

    // then
    expect(decoded.map((d) => d.kind)).toEqual(['feature', 'custom', 'identify', 'index', 'summary', 'debug']);
    expect(decoded.every((d) => d.envelope.environmentId === 'env-golden')).toBe(true);
    expect(decoded[0]!.event.feature).toMatchObject({
      key: 'new-checkout',
      version: 7,
      variation: 1,
      valueJson: 'true',
    });
    expect(decoded[2]!.event.identify!.context!.contexts).toHaveLength(2);
    expect(decoded[4]!.event.summary!.flags![0]!.counters![0]!.count).toBe(40);
  });

  it('never writes a record one byte over the cap, and fills it to within one event', () => {
    // given
    const cap = 25_000;
    const envelopes = Array.from({ length: 40 }, (_, i) =>
      encodeEnvelope({ ...sampleEnvelope, environmentId: `env-${i % 7}`, payloadId: `payload-${i}` }),
    );
    const payloads = envelopes.map((envelope, p) => ({
      envelope,
      events: Array.from({ length: 50 }, (_, i) => customEvent(p * 1000 + i)),
    }));

    // when
    const records = packAll(cap, payloads);

    // then
    const largestEntry = Math.max(...payloads.flatMap((p) => p.events.map((e) => e.length))) + 2 + 3 + 64;
    for (const record of records.slice(0, -1)) {
      expect(record.length).toBeLessThanOrEqual(cap);
      expect(record.length).toBeGreaterThan(cap - largestEntry);
    }
    const decoded = records.flatMap((r) => decodeRecord(r));
    expect(decoded).toHaveLength(40 * 50);
    expect(decoded.map((d) => d.event.creationDateMs)).toEqual(
      payloads.flatMap((_, p) => Array.from({ length: 50 }, (_, i) => p * 1000 + i)),
    );
    expect(decoded[1234]!.envelope.payloadId).toBe(`payload-${Math.floor(1234 / 50)}`);
  });

  it('packs an event of exactly the largest size that shares a record into one that is exactly full', () => {
    // given
    const cap = 1_000;
    const envelope = encodeEnvelope(sampleEnvelope);
    const largest = maxEventBytes(envelope.length, cap);
    const withData = (length: number) => encodeEvent({ custom: { key: 'k', dataJson: 'x'.repeat(length) } });
    let dataLength = 0;
    while (withData(dataLength + 1).length <= largest) dataLength++;
    const padded = withData(dataLength);

    // when / then
    expect(padded.length).toBe(largest);
    const [record] = packAll(cap, [{ envelope, events: [padded] }]);
    expect(record!.length).toBe(cap);
  });

  it('writes an event too big to share a record alone in one of its own, between the records around it', () => {
    // given: a small event, one a byte too big for a 1,000-byte record, and another small one
    const cap = 1_000;
    const envelope = encodeEnvelope(sampleEnvelope);
    const small = encodeEvent({ custom: { key: 'small', dataJson: '1' } });
    const big = encodeEvent({ custom: { key: 'big', dataJson: `"${'x'.repeat(cap)}"` } });

    // when
    const records = packAll(cap, [{ envelope, events: [small, big, small] }]);

    // then: the open record is sealed first, so order within the payload holds record by record
    expect(records.map((record) => decodeRecord(record).map((e) => e.event.custom!.key))).toEqual([
      ['small'],
      ['big'],
      ['small'],
    ]);
    // Exactly as big as it needs to be: the header, the envelope and the event, with no padding.
    expect(records[1]!.length).toBeGreaterThan(cap);
    expect(records[1]!.length).toBeLessThanOrEqual(20 + 3 + envelope.length + 4 + big.length);
    expect(new Set(records.map((record) => decodeRecordWithId(record).recordId)).size).toBe(3);
  });

  it("refuses an event a byte over what a record of its own holds, within Firehose's 1,000 KiB", () => {
    // given
    const envelope = encodeEnvelope(sampleEnvelope);
    const largest = maxSingleEventBytes(envelope.length);
    const withData = (length: number) => encodeEvent({ custom: { key: 'k', dataJson: 'x'.repeat(length) } });
    let low = 0;
    let high = largest;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (withData(middle).length <= largest) low = middle;
      else high = middle - 1;
    }
    const fits = withData(low);
    const records: Buffer[] = [];
    const packer = new RecordPacker((record) => records.push(Buffer.from(record)));

    // when
    packer.append(envelope, [fits]);

    // then
    expect(records[0]!.length).toBeLessThanOrEqual(LARGE_EVENT_RECORD_BYTE_CAP);
    expect(records[0]!.length).toBeGreaterThan(LARGE_EVENT_RECORD_BYTE_CAP - 8);
    expect(() => packer.append(envelope, [withData(low + 1)])).toThrow(/exceeds the \d+-byte limit per event/);
    expect(records).toHaveLength(1);
  });

  it('reports a corrupt record with a clear error', () => {
    expect(() => decodeRecord(Buffer.from([0x1a, 0x7f, 0x01]))).toThrow(CorruptRecordError);
    expect(() => decodeRecord(Buffer.from([0x08, 0x09]))).toThrow(/format version 9/);
    const orphan = v1.EventBatch.encode({
      formatVersion: 1,
      events: [{ envelopeIndex: 3, custom: { key: 'k' } }],
    }).finish();
    expect(() => decodeRecord(orphan)).toThrow(/names envelope 3 but the record has 0/);
  });

  it('still decodes the golden v1 record byte for byte', () => {
    // given: written once by the first version of this codec; every later version must read it
    const golden = readFileSync(join(__dirname, '../fixtures/events-v1/record-v1.bin'));
    const expected: unknown = JSON.parse(readFileSync(join(__dirname, '../fixtures/events-v1/record-v1.json'), 'utf8'));

    // when
    const decoded = decodeRecord(golden).map(({ kind, envelope, event }) => ({ kind, envelope, event }));

    // then
    expect(JSON.parse(JSON.stringify(decoded))).toEqual(expected);
    // and today's records are the same bytes with the record id (field 4, 16 bytes) after the format version
    const packed = packAll(25_000, [
      { envelope: encodeEnvelope(sampleEnvelope), events: sampleEvents.map(encodeEvent) },
    ])[0]!;
    expect([...packed.subarray(2, 4)]).toEqual([(4 << 3) | 2, 16]);
    expect(Buffer.concat([packed.subarray(0, 2), packed.subarray(20)])).toEqual(golden);
    expect(decodeRecordWithId(packed).recordId).toMatch(/^[0-9a-f]{32}$/);
  });
});

/** Payloads of the seeded realistic corpus, through the producer's own validation and encoding. */
function corpusPayloads(count: number): EncodedPayload[] {
  const corpus = new EventCorpus(7);
  return Array.from({ length: count }, (_, i) => ({
    envelope: encodeEnvelope({ ...sampleEnvelope, environmentId: `env-${i % 40}`, payloadId: `payload-${i}` }),
    events: readSdkPayload(corpus.payload().events).events.map(encodeEvent),
  }));
}

/** Reads a format-2 record by the schema alone: the outer message, then its batch inflated and decoded. */
function inflatedBatch(record: Buffer): Buffer {
  const outer = v1.EventBatch.decode(record);
  expect([outer.formatVersion, outer.compression]).toEqual([2, v1.Compression.COMPRESSION_DEFLATE_RAW]);
  return inflateRawSync(outer.compressedBatch);
}

/** Each event with its envelope as JSON, without the envelope's index, which depends on where records were cut. */
const plain = (events: ReturnType<typeof decodeRecord>) =>
  events.map(({ envelope, event }) =>
    JSON.stringify({ envelope, event }, (key, value: unknown) => (key === 'envelopeIndex' ? undefined : value)),
  );

describe('compressed records', () => {
  it.each([
    ['the realistic corpus', () => corpusPayloads(600)],
    [
      'repetitive custom events',
      () =>
        Array.from({ length: 60 }, (_, p) => ({
          envelope: encodeEnvelope({ ...sampleEnvelope, payloadId: `payload-${p}` }),
          events: Array.from({ length: 50 }, (_, i) => customEvent(p * 1000 + i)),
        })),
    ],
  ])(
    'holds every event of %s once, in order, in records never over the cap and full ones at least 95%% full',
    (_, payloads) => {
      // given
      const cap = 25_000 - 28;
      const input = payloads();

      // when
      const compressed = packAll(cap, input, CompressedRecordPacker);
      const uncompressed = packAll(cap, input);

      // then: the same events as the uncompressed packer writes, in fewer bytes
      expect(plain(compressed.flatMap((record) => decodeRecord(record)))).toEqual(
        plain(uncompressed.flatMap((record) => decodeRecord(record))),
      );
      for (const record of compressed) expect(record.length).toBeLessThanOrEqual(cap);
      for (const record of compressed.slice(0, -1)) {
        expect(record.length).toBeGreaterThanOrEqual(COMPRESSED_FILL_TARGET * cap);
        expect(v1.EventBatch.decode(record).formatVersion).toBe(2);
      }
      const bytes = (records: Buffer[]) => records.reduce((sum, record) => sum + record.length, 0);
      expect(bytes(compressed)).toBeLessThan(bytes(uncompressed) / 3);
      expect(new Set(compressed.map((record) => decodeRecordWithId(record).recordId)).size).toBe(compressed.length);
    },
  );

  it.each([600, 2_500, 9_000])(
    'keeps to a cap of %i bytes as well: never over, full records 95%% full or within one event of the cap',
    (cap) => {
      // given: many records, so some land within bytes of the cap; where one event is more than 5% of the cap, a
      // record can only be as full as the next event leaves it (an event grows a deflated batch by at most its own
      // entry and a few bytes of block overhead)
      const input = corpusPayloads(120);
      const largestEntry = Math.max(...input.flatMap((payload) => payload.events.map((event) => event.length))) + 32;

      // when
      const records = packAll(cap, input, CompressedRecordPacker);

      // then: only an event too big for the cap goes alone into a larger record
      const shared = records.filter((record) => decodeRecord(record).length > 1);
      for (const record of shared) expect(record.length).toBeLessThanOrEqual(cap);
      for (const record of records.filter((record) => record.length > cap))
        expect(decodeRecord(record)).toHaveLength(1);
      for (const record of shared.slice(0, -1))
        expect(record.length).toBeGreaterThanOrEqual(Math.min(COMPRESSED_FILL_TARGET * cap, cap - largestEntry));
      expect(records.flatMap((record) => decodeRecord(record))).toHaveLength(
        input.reduce((sum, payload) => sum + payload.events.length, 0),
      );
    },
  );

  it('cuts at a whole event when the events stop compressing part-way through a batch', () => {
    // given: 300 events that compress a hundredfold, then 300 of random base64 that barely compress, so a batch
    // grown on the first ratio is far over the cap and a cut guessed on a straight line lands wrong at first
    const envelope = encodeEnvelope(sampleEnvelope);
    const events = [
      ...Array.from({ length: 300 }, (_, i) =>
        encodeEvent({ creationDateMs: i, custom: { key: 'k', dataJson: `"${'a'.repeat(300)}"` } }),
      ),
      ...Array.from({ length: 300 }, (_, i) =>
        encodeEvent({
          creationDateMs: 300 + i,
          custom: { key: 'k', dataJson: `"${randomBytes(225).toString('base64')}"` },
        }),
      ),
    ];

    // when
    const records = packAll(25_000, [{ envelope, events }], CompressedRecordPacker);

    // then
    for (const record of records) expect(record.length).toBeLessThanOrEqual(25_000);
    for (const record of records.slice(0, -1))
      expect(record.length).toBeGreaterThanOrEqual(COMPRESSED_FILL_TARGET * 25_000);
    expect(records.flatMap((record) => decodeRecord(record)).map((e) => Number(e.event.creationDateMs))).toEqual(
      events.map((_, i) => i),
    );
  });

  it('compresses about one and a half times a record, and holds a few records of events at most', () => {
    // given
    const cap = 25_000 - 28;
    const records: Buffer[] = [];
    const packer = new CompressedRecordPacker((record) => records.push(record), cap);
    let mostHeld = 0;

    // when
    for (const payload of corpusPayloads(600)) {
      packer.append(payload.envelope, payload.events);
      mostHeld = Math.max(mostHeld, packer.pendingBytes);
    }
    packer.flush();

    // then: the ratio of the last batches aims the next one, so few batches are compressed twice
    expect(packer.compressions).toBeGreaterThanOrEqual(records.length);
    expect(packer.compressions / records.length).toBeLessThan(1.8);
    expect(mostHeld).toBeLessThan(6 * cap);
    expect([packer.pendingBytes, packer.pendingEvents]).toEqual([0, 0]);
  });

  it('refuses a cap outside 64 bytes to a Kinesis record, and writes the format its compression names', () => {
    // given
    const envelope = encodeEnvelope(sampleEnvelope);
    const events = Array.from({ length: 50 }, (_, i) => customEvent(i));

    // then
    for (const Packer of [RecordPacker, CompressedRecordPacker]) {
      for (const cap of [63, 64.5, MAX_RECORD_BYTE_CAP + 1]) {
        expect(() => new Packer(() => undefined, cap)).toThrow(
          `recordByteCap must be an integer from 64 to ${MAX_RECORD_BYTE_CAP}, got ${cap}`,
        );
      }
      for (const cap of [64, MAX_RECORD_BYTE_CAP]) expect(new Packer(() => undefined, cap).recordByteCap).toBe(cap);
    }
    const formats = (['none', 'deflate-raw'] as const).map((compression) => {
      const records: Buffer[] = [];
      const packer = createRecordPacker((record) => records.push(Buffer.from(record)), 25_000, compression);
      packer.append(envelope, events);
      expect(packer.pendingEvents).toBe(50);
      expect(packer.pendingBytes).toBeGreaterThan(0);
      packer.flush();
      expect([packer.pendingBytes, packer.pendingEvents]).toEqual([0, 0]);
      return v1.EventBatch.decode(records[0]!).formatVersion;
    });
    expect(formats).toEqual([1, 2]);
  });

  it('writes records whose events do not shrink in format 1, and a large event alone in the smaller format', () => {
    // given: random bytes as base64 shrink by a quarter; as one 40 KB event they exceed a 25,000-byte record
    const envelope = encodeEnvelope({ environmentId: randomBytes(12).toString('base64') });
    const tiny = encodeEvent({ custom: { key: 'tiny', dataJson: `"${randomBytes(45).toString('base64')}"` } });
    const large = encodeEvent({ custom: { key: 'large', dataJson: `"${randomBytes(30_000).toString('base64')}"` } });

    // when
    const records = packAll(25_000, [{ envelope, events: [tiny, large, tiny] }], CompressedRecordPacker);

    // then: the large event alone between the others, as in format 1, and compressed; the small ones stay format 1
    expect(records.map((record) => decodeRecord(record).map((e) => e.event.custom!.key))).toEqual([
      ['tiny'],
      ['large'],
      ['tiny'],
    ]);
    expect(records.map((record) => v1.EventBatch.decode(record).formatVersion)).toEqual([1, 2, 1]);
    expect(records[1]!.length).toBeGreaterThan(25_000);
    expect(records[1]!.length).toBeLessThan(large.length);
    expect(inflatedBatch(records[1]!).length).toBeGreaterThan(large.length);
  });

  it('keeps a batch that compresses without end within what a reader inflates', () => {
    // given: 10 KB events of one repeated letter, which deflate shrinks a thousandfold
    const envelope = encodeEnvelope(sampleEnvelope);
    const events = Array.from({ length: 300 }, (_, i) =>
      encodeEvent({ creationDateMs: i, custom: { key: 'same', dataJson: `"${'a'.repeat(10_000)}"` } }),
    );

    // when
    const records = packAll(25_000, [{ envelope, events }], CompressedRecordPacker);

    // then: several records, each batch within the bound, and every event once
    expect(records.length).toBeGreaterThanOrEqual(3);
    for (const record of records) expect(inflatedBatch(record).length).toBeLessThanOrEqual(MAX_BATCH_BYTES);
    expect(records.flatMap((record) => decodeRecord(record)).map((e) => Number(e.event.creationDateMs))).toEqual(
      events.map((_, i) => i),
    );
  });

  it('refuses, taking none of them, a payload with an event too big for a record of its own', () => {
    // given
    const envelope = encodeEnvelope(sampleEnvelope);
    const records: Buffer[] = [];
    const packer = new CompressedRecordPacker((record) => records.push(record));
    const tooBig = encodeEvent({ custom: { key: 'k', dataJson: 'x'.repeat(maxSingleEventBytes(envelope.length)) } });

    // when / then
    expect(() => packer.append(envelope, [customEvent(1), tooBig])).toThrow(/exceeds the \d+-byte limit per event/);
    expect(packer.pendingEvents).toBe(0);
    packer.flush();
    expect(records).toEqual([]);
  });

  it('reports an unreadable compressed record with a clear error', () => {
    // given
    const withBatch = (fields: v1.EventBatch.$Properties) =>
      v1.EventBatch.encode({ formatVersion: 2, recordId: Buffer.alloc(16), ...fields }).finish();
    const bomb = deflateRawSync(Buffer.alloc(MAX_BATCH_BYTES + 1));

    // then
    expect(() => decodeRecord(withBatch({ compression: 0, compressedBatch: deflateRawSync(Buffer.alloc(0)) }))).toThrow(
      /compression 0; this decoder reads deflate-raw and zstd/,
    );
    expect(() => decodeRecord(withBatch({ compression: 1, compressedBatch: Buffer.from('not deflate') }))).toThrow(
      CorruptRecordError,
    );
    expect(() => decodeRecord(withBatch({ compression: 1, compressedBatch: bomb }))).toThrow(/does not inflate/);
    expect(() =>
      decodeRecord(withBatch({ compression: 1, compressedBatch: deflateRawSync(Buffer.from([0x1a, 0x7f])) })),
    ).toThrow(/compressed batch is not a readable EventBatch/);
    // zstd: the same limits, the same errors
    const zstdBomb = zstdCompressSync(Buffer.alloc(MAX_BATCH_BYTES + 1));
    expect(() => decodeRecord(withBatch({ compression: 3 as v1.Compression, compressedBatch: zstdBomb }))).toThrow(
      /compression 3; this decoder reads deflate-raw and zstd/,
    );
    expect(() => decodeRecord(withBatch({ compression: 2, compressedBatch: Buffer.from('not zstd') }))).toThrow(
      /does not inflate/,
    );
    expect(() => decodeRecord(withBatch({ compression: 2, compressedBatch: zstdBomb }))).toThrow(/does not inflate/);
    expect(() =>
      decodeRecord(withBatch({ compression: 2, compressedBatch: zstdCompressSync(Buffer.from([0x1a, 0x7f])) })),
    ).toThrow(/compressed batch is not a readable EventBatch/);
  });

  it.each([
    ['record-v2', 'deflate-raw', v1.Compression.COMPRESSION_DEFLATE_RAW],
    ['record-v2-zstd', 'zstd', v1.Compression.COMPRESSION_ZSTD],
  ] as const)('still decodes the golden %s record (%s), and writes its layout today', (fixture, compression, value) => {
    // given: written once by the first packer to write it; every later version must read it
    const golden = readFileSync(join(__dirname, `../fixtures/events-v2/${fixture}.bin`));
    const expected: unknown = JSON.parse(
      readFileSync(join(__dirname, `../fixtures/events-v2/${fixture}.json`), 'utf8'),
    );
    const Packer = class extends CompressedRecordPacker {
      constructor(onRecord: (record: Buffer, eventCount: number) => void, cap: number) {
        super(onRecord, cap, compression);
      }
    };

    // when
    const decoded = decodeRecord(golden).map(({ kind, envelope, event }) => ({ kind, envelope, event }));
    const [packed] = packAll(
      25_000,
      [{ envelope: encodeEnvelope(sampleEnvelope), events: sampleEvents.map(encodeEvent) }],
      Packer,
    );

    // then: the same fields in the same order (format 2, record id, compression, batch), and the same batch unpacked
    expect(JSON.parse(JSON.stringify(decoded))).toEqual(expected);
    expect(golden[21]).toBe(value);
    expect([...packed!.subarray(0, 4)]).toEqual([...golden.subarray(0, 4)]);
    expect([...packed!.subarray(20, 23)]).toEqual([...golden.subarray(20, 23)]);
    const batchOf = (record: Buffer) => {
      const { compressedBatch } = v1.EventBatch.decode(record);
      return compression === 'zstd' ? zstdDecompressSync(compressedBatch) : inflateRawSync(compressedBatch);
    };
    expect(batchOf(packed!)).toEqual(batchOf(golden));
    expect(decodeRecordWithId(packed!).recordId).not.toBe(decodeRecordWithId(golden).recordId);
  });
});
