import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { CorruptRecord, StreamRecord } from './kinesis-batch';

/** A record, or some of its events, that can never be applied: kept whole so it can be fixed and redriven. */
export interface PoisonEntry {
  readonly consumer: string;
  readonly shardId: string;
  readonly sequenceNumber: string;
  /** When the record arrived in the stream, ISO-8601: a redrive hands it over as it was read. */
  readonly arrivedAt: string;
  readonly reason: string;
  /** Positions in the record of the events that could not be applied; absent when the whole record could not. */
  readonly eventIndexes?: readonly number[];
  /** The record's bytes, base64, as read from the stream. */
  readonly data: string;
  readonly setAsideAt: string;
}

/** An event a handler can never apply, and why. */
export interface UnusableEvent {
  readonly record: StreamRecord;
  readonly index: number;
  readonly reason: string;
}

/** Where a handler sets aside what it can never apply, so the shard moves on and nothing is lost. */
export interface PoisonSink {
  put(entries: readonly PoisonEntry[]): Promise<void>;
}

/** JSON lines in a local file: the local pipeline's stand-in for the S3 poison prefix. */
export class FilePoisonSink implements PoisonSink {
  constructor(readonly file: string) {}

  async put(entries: readonly PoisonEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await mkdir(dirname(this.file), { recursive: true });
    await appendFile(this.file, entries.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
  }
}

/**
 * One S3 object per entry under the consumer's poison prefix; the key sorts by shard and sequence number, and an
 * entry set aside again (a redrive that still cannot apply it) replaces the one before.
 */
export class S3PoisonSink implements PoisonSink {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
  ) {}

  async put(entries: readonly PoisonEntry[]): Promise<void> {
    await Promise.all(
      entries.map((entry) =>
        this.client.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: `${this.prefix}${entry.shardId}/${entry.sequenceNumber}.json`,
            Body: JSON.stringify(entry),
            ContentType: 'application/json',
          }),
        ),
      ),
    );
  }
}

/** Sets aside unreadable records whole, and the records holding unusable events with those events' positions. */
export async function setAside(
  sink: PoisonSink,
  consumer: string,
  corrupt: readonly CorruptRecord[],
  unusable: readonly UnusableEvent[],
): Promise<void> {
  const setAsideAt = new Date().toISOString();
  const entryOf = (record: CorruptRecord | StreamRecord, reason: string, eventIndexes?: number[]): PoisonEntry => ({
    consumer,
    shardId: record.shardId,
    sequenceNumber: record.sequenceNumber,
    arrivedAt: new Date(record.arrivalMs).toISOString(),
    reason,
    ...(eventIndexes && { eventIndexes }),
    data: record.data,
    setAsideAt,
  });
  const entries = corrupt.map((record) => entryOf(record, record.reason));
  const byRecord = new Map<StreamRecord, { indexes: number[]; reasons: string[] }>();
  for (const { record, index, reason } of unusable) {
    let entry = byRecord.get(record);
    if (!entry) byRecord.set(record, (entry = { indexes: [], reasons: [] }));
    entry.indexes.push(index);
    entry.reasons.push(reason);
  }
  for (const [record, { indexes, reasons }] of byRecord) {
    entries.push(entryOf(record, [...new Set(reasons)].join('; '), indexes));
  }
  await sink.put(entries);
}
