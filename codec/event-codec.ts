import { randomBytes } from 'node:crypto';
import { constants, deflateRawSync, inflateRawSync, zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import './protobuf-runtime';
import { events } from './generated/events';

import v1 = events.v1;

export { v1 };
export type EnvelopeFields = v1.Envelope.$Properties;
export type EventFields = Omit<v1.Event.$Properties, 'envelopeIndex'>;
export type EventKind = NonNullable<v1.Event['kind']>;

/** The record layout with envelopes and events in the record itself. */
export const FORMAT_VERSION = 1;
/** The record layout with envelopes and events in a compressed batch; decoders read both and refuse any other. */
export const COMPRESSED_FORMAT_VERSION = 2;
/**
 * How a producer writes records: `deflate-raw` needs every consumer to read format 2 first, and `zstd` every consumer
 * to read its compression value.
 */
export type RecordCompression = 'none' | 'deflate-raw' | 'zstd';
export const RECORD_COMPRESSIONS: readonly RecordCompression[] = ['none', 'deflate-raw', 'zstd'];
/** A compression a format-2 record is written with. */
export type BatchCompression = Exclude<RecordCompression, 'none'>;
/** The most a compressed batch inflates to: bounds a packer's open batch, and what a reader inflates before refusing. */
export const MAX_BATCH_BYTES = 1024 * 1024;
/** A full compressed record fills at least this share of its cap: below it, the packer takes more events first. */
export const COMPRESSED_FILL_TARGET = 0.95;
/** One Kinesis PUT payload unit is 25 KB; a record one byte over costs two. */
export const DEFAULT_RECORD_BYTE_CAP = 25_000;
/** Kinesis: 1 MiB per record including the partition key. */
export const MAX_RECORD_BYTE_CAP = 1024 * 1024 - 256;
/**
 * The largest record an event too big to share one is written in: Firehose takes records of at most 1,000 KiB
 * (https://docs.aws.amazon.com/firehose/latest/dev/limits.html), below Kinesis's 1 MiB, and the archive reads every
 * record.
 */
export const LARGE_EVENT_RECORD_BYTE_CAP = 1000 * 1024;

// Field tags of EventBatch: (field number << 3) | wire type.
const FORMAT_VERSION_TAG = (1 << 3) | 0;
const ENVELOPES_TAG = (2 << 3) | 2;
const EVENTS_TAG = (3 << 3) | 2;
const RECORD_ID_TAG = (4 << 3) | 2;
const COMPRESSION_TAG = (5 << 3) | 0;
const COMPRESSED_BATCH_TAG = (6 << 3) | 2;
const ENVELOPE_INDEX_TAG = (1 << 3) | 0;
/** A record id: 8 random bytes per packer, then a 64-bit counter, so ids never repeat across processes. */
export const RECORD_ID_BYTES = 16;
const RECORD_HEADER_BYTES = 2 + 2 + RECORD_ID_BYTES;
/** Where a packer aims a compressed record's size, as a share of its room, from the ratio its last batches had. */
const COMPRESSED_AIM = 0.98;
/**
 * zlib level 1: 3.5x on the realistic corpus at 106 to 123 MB/s a core; level 6 gains 8% in size for 1.5 to 2.3
 * times the CPU (npm run bench -- compression).
 */
const DEFLATE_LEVEL = 1;
/** zstd's default level: smaller records than deflate level 1 for about half its CPU (npm run bench -- compression). */
const ZSTD_LEVEL = 3;
const ZSTD_OPTIONS = { params: { [constants.ZSTD_c_compressionLevel]: ZSTD_LEVEL } };
const COMPRESSION_VALUES: Record<BatchCompression, v1.Compression> = {
  'deflate-raw': v1.Compression.COMPRESSION_DEFLATE_RAW,
  zstd: v1.Compression.COMPRESSION_ZSTD,
};

export class CorruptRecordError extends Error {
  override readonly name = 'CorruptRecordError';
}

export interface DecodedEvent {
  readonly envelope: v1.Envelope;
  readonly event: v1.Event;
  readonly kind: EventKind;
}

export interface DecodedRecord {
  /** Hex of the producer's record id; empty for records written before records carried one. */
  readonly recordId: string;
  readonly events: DecodedEvent[];
}

export function encodeEnvelope(envelope: EnvelopeFields): Uint8Array {
  return v1.Envelope.encode(envelope).finish();
}

/** Encodes an event without its envelope index, which the record builder prepends when it places the event. */
export function encodeEvent(event: EventFields): Uint8Array {
  return v1.Event.encode(event).finish();
}

/** Encodes one payload's events, each stamped with its position in the payload (its identity beside the payload id). */
export function encodePayloadEvents(events: readonly EventFields[]): Uint8Array[] {
  return events.map((event, position) => encodeEvent(atPosition(event, position)));
}

/** Every field the encoder reads, so that a field added to the schema fails to compile here until it is copied. */
type PositionedEvent = { [K in keyof Required<Omit<EventFields, 'kind'>>]: EventFields[K] };

/**
 * The event with its position, in one object shape for every event: a spread copy takes a shape of its own per set
 * of fields, which slows the encoder's many property checks.
 */
function atPosition(event: EventFields, payloadPosition: number): PositionedEvent {
  return {
    creationDateMs: event.creationDateMs,
    payloadPosition,
    feature: event.feature,
    custom: event.custom,
    identify: event.identify,
    index: event.index,
    summary: event.summary,
    debug: event.debug,
    migrationOp: event.migrationOp,
    alias: event.alias,
    click: event.click,
    pageview: event.pageview,
    diagnostic: event.diagnostic,
    $unknowns: event.$unknowns,
  };
}

function varintLength(value: number): number {
  let length = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    length++;
  }
  return length;
}

function writeVarint(target: Buffer, offset: number, value: number): number {
  while (value >= 0x80) {
    target[offset++] = (value & 0x7f) | 0x80;
    value = Math.floor(value / 128);
  }
  target[offset++] = value;
  return offset;
}

function entryLength(bodyLength: number): number {
  return 1 + varintLength(bodyLength) + bodyLength;
}

function eventEntryLength(envelopeIndex: number, eventLength: number): number {
  return entryLength(1 + varintLength(envelopeIndex) + eventLength);
}

/** The largest encoded event (from encodeEvent) that fits an otherwise empty record beside its envelope. */
export function maxEventBytes(envelopeLength: number, recordByteCap = DEFAULT_RECORD_BYTE_CAP): number {
  const room = recordByteCap - RECORD_HEADER_BYTES - entryLength(envelopeLength);
  let eventLength = room;
  while (eventLength > 0 && eventEntryLength(0, eventLength) > room) eventLength--;
  return eventLength;
}

/** The largest encoded event a packer takes: one that fills a record of its own of the larger of the two caps. */
export function maxSingleEventBytes(envelopeLength: number, recordByteCap = DEFAULT_RECORD_BYTE_CAP): number {
  return maxEventBytes(envelopeLength, Math.max(recordByteCap, LARGE_EVENT_RECORD_BYTE_CAP));
}

function writeEntry(target: Buffer, offset: number, tag: number, body: Uint8Array): number {
  target[offset++] = tag;
  offset = writeVarint(target, offset, body.length);
  target.set(body, offset);
  return offset + body.length;
}

function writeEvent(target: Buffer, offset: number, envelopeIndex: number, event: Uint8Array): number {
  target[offset++] = EVENTS_TAG;
  offset = writeVarint(target, offset, 1 + varintLength(envelopeIndex) + event.length);
  target[offset++] = ENVELOPE_INDEX_TAG;
  offset = writeVarint(target, offset, envelopeIndex);
  target.set(event, offset);
  return offset + event.length;
}

function checkRecordByteCap(recordByteCap: number): void {
  if (!Number.isInteger(recordByteCap) || recordByteCap < 64 || recordByteCap > MAX_RECORD_BYTE_CAP) {
    throw new RangeError(`recordByteCap must be an integer from 64 to ${MAX_RECORD_BYTE_CAP}, got ${recordByteCap}`);
  }
}

function checkEventSizes(envelope: Uint8Array, encodedEvents: readonly Uint8Array[], recordByteCap: number): void {
  const largestAlone = maxSingleEventBytes(envelope.length, recordByteCap);
  for (const event of encodedEvents) {
    if (event.length > largestAlone) {
      throw new RangeError(
        `an encoded event of ${event.length} bytes exceeds the ${largestAlone}-byte limit per event`,
      );
    }
  }
}

/** Record ids of one packer: 8 random bytes, then a counter. */
class RecordIds {
  private readonly prefix = randomBytes(8);
  private count = 0n;

  /** Writes the format version and the next record id at the start of `record`; returns the offset after them. */
  writeHeader(record: Buffer, formatVersion: number): number {
    record[0] = FORMAT_VERSION_TAG;
    record[1] = formatVersion;
    record[2] = RECORD_ID_TAG;
    record[3] = RECORD_ID_BYTES;
    this.prefix.copy(record, 4);
    record.writeBigUInt64BE(this.count++, 12);
    return RECORD_HEADER_BYTES;
  }
}

/** What the producer holds events in until they are records: either packer below. */
export interface EventPacker {
  readonly recordByteCap: number;
  /** Bytes held for events not yet in a record. */
  readonly pendingBytes: number;
  readonly pendingEvents: number;
  append(envelope: Uint8Array, encodedEvents: readonly Uint8Array[]): void;
  flush(): void;
}

export function createRecordPacker(
  onRecord: (record: Buffer, eventCount: number) => void,
  recordByteCap: number,
  compression: RecordCompression,
): EventPacker {
  return compression === 'none'
    ? new RecordPacker(onRecord, recordByteCap)
    : new CompressedRecordPacker(onRecord, recordByteCap, compression);
}

/**
 * Packs encoded events into format-1 EventBatch records of at most `recordByteCap` bytes, in arrival order.
 * Events are copied once into a fixed buffer per record; nothing is re-encoded.
 */
export class RecordPacker implements EventPacker {
  private buffer: Buffer;
  private used = 0;
  private envelopeCount = 0;
  private currentEnvelope: Uint8Array | undefined;
  private eventCount = 0;
  private readonly ids = new RecordIds();

  constructor(
    private readonly onRecord: (record: Buffer, eventCount: number) => void,
    readonly recordByteCap = DEFAULT_RECORD_BYTE_CAP,
  ) {
    checkRecordByteCap(recordByteCap);
    this.buffer = this.startRecord();
  }

  /** Bytes held in the open record. */
  get pendingBytes(): number {
    return this.eventCount === 0 ? 0 : this.used;
  }

  get pendingEvents(): number {
    return this.eventCount;
  }

  /**
   * Appends one payload's events under one envelope. An event too big to share a record goes alone into one of up
   * to LARGE_EVENT_RECORD_BYTE_CAP bytes; throws RangeError for an event too big even for that.
   */
  append(envelope: Uint8Array, encodedEvents: readonly Uint8Array[]): void {
    checkEventSizes(envelope, encodedEvents, this.recordByteCap);
    const largest = maxEventBytes(envelope.length, this.recordByteCap);
    for (const event of encodedEvents) {
      const alone = event.length > largest;
      if (alone) {
        this.flush();
        this.buffer = this.startRecord(
          RECORD_HEADER_BYTES + entryLength(envelope.length) + eventEntryLength(0, event.length),
        );
      }
      if (!this.fits(envelope, event)) {
        this.flush();
      }
      if (this.currentEnvelope !== envelope) {
        this.used = writeEntry(this.buffer, this.used, ENVELOPES_TAG, envelope);
        this.currentEnvelope = envelope;
        this.envelopeCount++;
      }
      this.used = writeEvent(this.buffer, this.used, this.envelopeCount - 1, event);
      this.eventCount++;
      if (alone) this.flush();
    }
  }

  /** Seals the open record, if it holds any event, and hands it to onRecord. */
  flush(): void {
    if (this.eventCount === 0) return;
    const record = this.buffer.subarray(0, this.used);
    const count = this.eventCount;
    this.buffer = this.startRecord();
    this.onRecord(record, count);
  }

  private startRecord(size = this.recordByteCap): Buffer {
    const buffer = Buffer.allocUnsafe(size);
    this.used = this.ids.writeHeader(buffer, FORMAT_VERSION);
    this.envelopeCount = 0;
    this.currentEnvelope = undefined;
    this.eventCount = 0;
    return buffer;
  }

  private fits(envelope: Uint8Array, event: Uint8Array): boolean {
    const needsEnvelope = this.currentEnvelope !== envelope;
    const envelopeIndex = needsEnvelope ? this.envelopeCount : this.envelopeCount - 1;
    const needed = (needsEnvelope ? entryLength(envelope.length) : 0) + eventEntryLength(envelopeIndex, event.length);
    return this.used + needed <= this.buffer.length;
  }
}

/** The first `count` held events, compressed. */
interface Prefix {
  readonly count: number;
  readonly compressed: Buffer;
}

interface HeldEvent {
  readonly envelope: Uint8Array;
  readonly event: Uint8Array;
}

/**
 * Packs encoded events into format-2 records: the batch deflated, each record at most `recordByteCap` bytes and, when
 * more events follow, at least COMPRESSED_FILL_TARGET of it. Compressed size is known only by compressing, so the
 * batch grows to the size the last batches' ratio says will fill a record, is compressed, and is then either taken,
 * grown further, or cut at the last whole event that fits (compressed again). A record whose events do not shrink
 * is written in format 1.
 */
export class CompressedRecordPacker implements EventPacker {
  private batch = Buffer.allocUnsafe(64 * 1024);
  private used = 0;
  private held: HeldEvent[] = [];
  /** Where each held event's entry ends in the batch: every prefix up to one is a batch of its own. */
  private eventEnds: number[] = [];
  private envelopeCount = 0;
  private currentEnvelope: Uint8Array | undefined;
  private expectedRatio = 1;
  private compressAt: number;
  /** The most compressed bytes a record holds beside its header. */
  private readonly room: number;
  private readonly ids = new RecordIds();
  /** Batches deflated so far, whole or cut: the packer's cost, about 1.5 a record on realistic events. */
  compressions = 0;

  constructor(
    private readonly onRecord: (record: Buffer, eventCount: number) => void,
    readonly recordByteCap = DEFAULT_RECORD_BYTE_CAP,
    readonly compression: BatchCompression = 'deflate-raw',
  ) {
    checkRecordByteCap(recordByteCap);
    this.room = recordByteCap - compressedHeaderBytes(recordByteCap);
    this.compressAt = this.nextCompressAt();
  }

  get pendingBytes(): number {
    return this.used;
  }

  get pendingEvents(): number {
    return this.held.length;
  }

  /** Throws RangeError, taking none of them, if any event is too big for a record of its own. */
  append(envelope: Uint8Array, encodedEvents: readonly Uint8Array[]): void {
    checkEventSizes(envelope, encodedEvents, this.recordByteCap);
    for (const event of encodedEvents) {
      while (this.held.length > 0 && this.used + this.entryBytes(envelope, event) > MAX_BATCH_BYTES) this.seal(true);
      this.hold(envelope, event);
      if (this.used >= this.compressAt) this.seal(false);
    }
  }

  flush(): void {
    while (this.held.length > 0) this.seal(true);
  }

  /** At most what holding the event adds to the batch: its entry, and its envelope's if that starts anew. */
  private entryBytes(envelope: Uint8Array, event: Uint8Array): number {
    return entryLength(envelope.length) + eventEntryLength(this.envelopeCount, event.length);
  }

  private hold(envelope: Uint8Array, event: Uint8Array): void {
    const needed = this.used + this.entryBytes(envelope, event);
    if (needed > this.batch.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, Math.min(2 * this.batch.length, MAX_BATCH_BYTES)));
      this.batch.copy(grown, 0, 0, this.used);
      this.batch = grown;
    }
    if (this.currentEnvelope !== envelope) {
      this.used = writeEntry(this.batch, this.used, ENVELOPES_TAG, envelope);
      this.currentEnvelope = envelope;
      this.envelopeCount++;
    }
    this.used = writeEvent(this.batch, this.used, this.envelopeCount - 1, event);
    this.held.push({ envelope, event });
    this.eventEnds.push(this.used);
  }

  /** Compresses the batch and writes a record of it, unless it is not yet full and `force` is false. */
  private seal(force: boolean): void {
    const whole = this.compress(this.held.length);
    // A batch cut short by a flush says nothing of what a full one compresses to.
    if (!force || whole.length > this.room) this.expectedRatio = this.used / whole.length;
    if (whole.length <= this.room) {
      if (!force && whole.length < this.room * COMPRESSED_FILL_TARGET) {
        this.compressAt = Math.max(this.used + 1, this.nextCompressAt());
        return;
      }
      this.write(this.held.length, whole);
      return;
    }
    // Too big: the longest prefix of whole events that fits, each guess interpolated between a prefix known to fit
    // and one known not to, until the fitting one is full enough or no event lies between them.
    let fit: Prefix = { count: 0, compressed: Buffer.alloc(0) };
    let over: Prefix = { count: this.held.length, compressed: whole };
    const aim = this.room * COMPRESSED_AIM;
    while (over.count - fit.count > 1 && fit.compressed.length < this.room * COMPRESSED_FILL_TARGET) {
      const fitLength = fit.count === 0 ? 0 : this.eventEnds[fit.count - 1]!;
      const overLength = this.eventEnds[over.count - 1]!;
      const guess =
        fitLength +
        ((overLength - fitLength) * (aim - fit.compressed.length)) / (over.compressed.length - fit.compressed.length);
      const count = Math.min(over.count - 1, Math.max(fit.count + 1, this.eventsWithin(guess)));
      const compressed = this.compress(count);
      if (compressed.length <= this.room) fit = { count, compressed };
      else over = { count, compressed };
    }
    if (fit.count > 0) this.write(fit.count, fit.compressed);
    else this.write(1, over.compressed);
  }

  private compress(count: number): Buffer {
    this.compressions++;
    const batch = this.batch.subarray(0, this.eventEnds[count - 1]);
    return this.compression === 'zstd'
      ? zstdCompressSync(batch, ZSTD_OPTIONS)
      : deflateRawSync(batch, { level: DEFLATE_LEVEL });
  }

  /** Writes the first `count` held events as a record, in whichever format is smaller, and holds the rest anew. */
  private write(count: number, compressed: Buffer): void {
    const rawLength = this.eventEnds[count - 1]!;
    const compressedLength = COMPRESSED_TAIL_BYTES + varintLength(compressed.length) + compressed.length;
    let record: Buffer;
    if (compressedLength < rawLength) {
      record = Buffer.allocUnsafe(RECORD_HEADER_BYTES + compressedLength);
      let offset = this.ids.writeHeader(record, COMPRESSED_FORMAT_VERSION);
      record[offset++] = COMPRESSION_TAG;
      record[offset++] = COMPRESSION_VALUES[this.compression];
      writeEntry(record, offset, COMPRESSED_BATCH_TAG, compressed);
    } else {
      record = Buffer.allocUnsafe(RECORD_HEADER_BYTES + rawLength);
      this.batch.copy(record, this.ids.writeHeader(record, FORMAT_VERSION), 0, rawLength);
    }
    const rest = this.held.slice(count);
    this.used = 0;
    this.held = [];
    this.eventEnds = [];
    this.envelopeCount = 0;
    this.currentEnvelope = undefined;
    for (const { envelope, event } of rest) this.hold(envelope, event);
    this.compressAt = Math.max(this.used + 1, this.nextCompressAt());
    this.onRecord(record, count);
  }

  private nextCompressAt(): number {
    return Math.min(MAX_BATCH_BYTES, Math.floor(this.room * this.expectedRatio * COMPRESSED_AIM));
  }

  /** How many held events end within `length` bytes of the batch. */
  private eventsWithin(length: number): number {
    let low = 0;
    let high = this.eventEnds.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.eventEnds[middle]! <= length) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

/** A compressed record's fields after the record id: compression, and the batch's tag (its length varint aside). */
const COMPRESSED_TAIL_BYTES = 2 + 1;

function compressedHeaderBytes(recordByteCap: number): number {
  return RECORD_HEADER_BYTES + COMPRESSED_TAIL_BYTES + varintLength(recordByteCap);
}

const EVENT_KINDS: readonly EventKind[] = [
  'feature',
  'summary',
  'index',
  'custom',
  'identify',
  'debug',
  'migrationOp',
  'alias',
  'click',
  'pageview',
  'diagnostic',
];

/** The oneof's set member, read directly: the generated `kind` getter lists the message's keys on every read. */
function kindOf(event: v1.Event.$Properties): EventKind | undefined {
  for (const kind of EVENT_KINDS) if (event[kind]) return kind;
  return undefined;
}

/** Decodes one record into its events, each with its envelope; throws CorruptRecordError for anything unreadable. */
export function decodeRecord(record: Uint8Array): DecodedEvent[] {
  return decodeRecordWithId(record).events;
}

function readBatch(bytes: Uint8Array, what: string): v1.EventBatch {
  try {
    return v1.EventBatch.decode(bytes);
  } catch (error) {
    throw new CorruptRecordError(`${what} is not a readable EventBatch: ${(error as Error).message}`);
  }
}

/** A full record's batch inflates to about 100 KB: one chunk, where zlib's default of 16 KiB takes seven and a copy. */
const INFLATE_CHUNK_BYTES = 128 * 1024;

function inflateBatch(record: v1.EventBatch): v1.EventBatch {
  const deflated = record.compression === v1.Compression.COMPRESSION_DEFLATE_RAW;
  if (!deflated && record.compression !== v1.Compression.COMPRESSION_ZSTD) {
    throw new CorruptRecordError(
      `record has compression ${record.compression}; this decoder reads deflate-raw and zstd`,
    );
  }
  let inflated: Buffer;
  try {
    const options = { maxOutputLength: MAX_BATCH_BYTES, chunkSize: INFLATE_CHUNK_BYTES };
    inflated = deflated
      ? inflateRawSync(record.compressedBatch, options)
      : zstdDecompressSync(record.compressedBatch, options);
  } catch (error) {
    throw new CorruptRecordError(`record's compressed batch does not inflate: ${(error as Error).message}`);
  }
  return readBatch(inflated, "record's compressed batch");
}

/** Decodes one record, in either format, with its producer-given identity. */
export function decodeRecordWithId(record: Uint8Array): DecodedRecord {
  const outer = readBatch(record, 'record');
  let batch: v1.EventBatch;
  if (outer.formatVersion === FORMAT_VERSION) batch = outer;
  else if (outer.formatVersion === COMPRESSED_FORMAT_VERSION) batch = inflateBatch(outer);
  else {
    throw new CorruptRecordError(
      `record has format version ${outer.formatVersion}; this decoder reads ${FORMAT_VERSION} and ${COMPRESSED_FORMAT_VERSION}`,
    );
  }
  const events = batch.events.map((event, position) => {
    const envelope = batch.envelopes[event.envelopeIndex ?? 0];
    if (envelope === undefined) {
      throw new CorruptRecordError(
        `event ${position} names envelope ${event.envelopeIndex} but the record has ${batch.envelopes.length}`,
      );
    }
    const kind = kindOf(event);
    if (!kind) {
      throw new CorruptRecordError(`event ${position} has no kind`);
    }
    return { envelope: envelope as v1.Envelope, event: event as v1.Event, kind };
  });
  return { recordId: Buffer.from(outer.recordId ?? []).toString('hex'), events };
}
