import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CorruptRecordError,
  LARGE_EVENT_RECORD_BYTE_CAP,
  maxSingleEventBytes,
  decodeRecord,
  decodeRecordWithId,
  encodeEnvelope,
  encodeEvent,
  maxEventBytes,
  RecordPacker,
  v1,
} from '../../codec/event-codec';
import { sampleEnvelope, sampleEvents } from './sample-events';

function packAll(cap: number, payloads: { envelope: Uint8Array; events: Uint8Array[] }[]) {
  const records: Buffer[] = [];
  const packer = new RecordPacker((record) => records.push(Buffer.from(record)), cap);
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
