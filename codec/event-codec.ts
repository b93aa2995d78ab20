import { randomBytes } from 'node:crypto';
import './protobuf-runtime';
import { events } from './generated/events';

import v1 = events.v1;

export { v1 };
export type EnvelopeFields = v1.Envelope.$Properties;
export type EventFields = Omit<v1.Event.$Properties, 'envelopeIndex'>;
export type EventKind = NonNullable<v1.Event['kind']>;

/** The record layout this codec writes; decoders refuse any other. */
export const FORMAT_VERSION = 1;
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
const ENVELOPE_INDEX_TAG = (1 << 3) | 0;
/** A record id: 8 random bytes per packer, then a 64-bit counter, so ids never repeat across processes. */
export const RECORD_ID_BYTES = 16;
const RECORD_HEADER_BYTES = 2 + 2 + RECORD_ID_BYTES;

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
  return events.map((event, position) => encodeEvent({ ...event, payloadPosition: position }));
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

/**
 * Packs encoded events into EventBatch records of at most `recordByteCap` bytes, in arrival order.
 * Events are copied once into a fixed buffer per record; nothing is re-encoded.
 */
export class RecordPacker {
  private buffer: Buffer;
  private used = 0;
  private envelopeCount = 0;
  private currentEnvelope: Uint8Array | undefined;
  private eventCount = 0;
  private readonly recordIdPrefix = randomBytes(8);
  private recordCount = 0n;

  constructor(
    private readonly onRecord: (record: Buffer, eventCount: number) => void,
    readonly recordByteCap = DEFAULT_RECORD_BYTE_CAP,
  ) {
    if (!Number.isInteger(recordByteCap) || recordByteCap < 64 || recordByteCap > MAX_RECORD_BYTE_CAP) {
      throw new RangeError(`recordByteCap must be an integer from 64 to ${MAX_RECORD_BYTE_CAP}, got ${recordByteCap}`);
    }
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
    const largest = maxEventBytes(envelope.length, this.recordByteCap);
    const largestAlone = maxSingleEventBytes(envelope.length, this.recordByteCap);
    for (const event of encodedEvents) {
      if (event.length > largestAlone) {
        throw new RangeError(
          `an encoded event of ${event.length} bytes exceeds the ${largestAlone}-byte limit per event`,
        );
      }
    }
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
        this.writeEntry(ENVELOPES_TAG, envelope);
        this.currentEnvelope = envelope;
        this.envelopeCount++;
      }
      this.writeEvent(this.envelopeCount - 1, event);
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
    buffer[0] = FORMAT_VERSION_TAG;
    buffer[1] = FORMAT_VERSION;
    buffer[2] = RECORD_ID_TAG;
    buffer[3] = RECORD_ID_BYTES;
    this.recordIdPrefix.copy(buffer, 4);
    buffer.writeBigUInt64BE(this.recordCount++, 12);
    this.used = RECORD_HEADER_BYTES;
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

  private writeEntry(tag: number, body: Uint8Array): void {
    this.buffer[this.used++] = tag;
    this.used = writeVarint(this.buffer, this.used, body.length);
    this.buffer.set(body, this.used);
    this.used += body.length;
  }

  private writeEvent(envelopeIndex: number, event: Uint8Array): void {
    this.buffer[this.used++] = EVENTS_TAG;
    this.used = writeVarint(this.buffer, this.used, 1 + varintLength(envelopeIndex) + event.length);
    this.buffer[this.used++] = ENVELOPE_INDEX_TAG;
    this.used = writeVarint(this.buffer, this.used, envelopeIndex);
    this.buffer.set(event, this.used);
    this.used += event.length;
    this.eventCount++;
  }
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

/** Decodes one record with its producer-given identity. */
export function decodeRecordWithId(record: Uint8Array): DecodedRecord {
  let batch: v1.EventBatch;
  try {
    batch = v1.EventBatch.decode(record);
  } catch (error) {
    throw new CorruptRecordError(`record is not a readable EventBatch: ${(error as Error).message}`);
  }
  if (batch.formatVersion !== FORMAT_VERSION) {
    throw new CorruptRecordError(
      `record has format version ${batch.formatVersion}; this decoder reads ${FORMAT_VERSION}`,
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
  return { recordId: Buffer.from(batch.recordId ?? []).toString('hex'), events };
}
