import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { FirehoseTransformationEvent, FirehoseTransformationEventRecord, KinesisStreamEvent } from 'aws-lambda';
import {
  ARCHIVE_FILE_EXTENSION,
  archiveDataPrefix,
  archiveErrorPrefix,
  resolveArchivePrefix,
} from '../lib/archive-layout';

export interface LocalArchiveOptions {
  readonly directory: string;
  readonly environment: string;
  readonly bufferBytes: number;
  readonly bufferSeconds: number;
  /** Invokes the transform function; resolves to its answer, rejects when the invocation itself fails. */
  readonly transform: (event: FirehoseTransformationEvent) => Promise<unknown>;
  readonly transformArn: string;
  /** Invocations retried before a batch goes to the error prefix: the processor's NumberOfRetries. */
  readonly transformRetries: number;
  readonly sourceStreamArn: string;
}

export interface ArchiveStats {
  files: number;
  bytes: number;
  lines: number;
  droppedRecords: number;
  failedRecords: number;
  failedInvocations: number;
}

/** Why a record went to the error prefix; Firehose writes the same fields under `processing-failed`. */
interface TransformFailure {
  readonly errorCode: string;
  readonly errorMessage: string;
}

type TransformAnswer =
  | { readonly ok: true; readonly records: ReadonlyMap<string, { result: string; data?: unknown }> }
  | { readonly ok: false; readonly failure: TransformFailure };

const RESULTS = new Set(['Ok', 'Dropped', 'ProcessingFailed']);

/**
 * Reads a transform's answer as Firehose does: every record it was given answered exactly once, by its recordId,
 * with a known result and base64 data; any mismatch fails the whole invocation.
 * https://docs.aws.amazon.com/firehose/latest/dev/data-transformation-status-model.html
 */
export function readTransformAnswer(
  given: readonly FirehoseTransformationEventRecord[],
  answer: unknown,
): TransformAnswer {
  const invalid = (errorCode: string, errorMessage: string): TransformAnswer => ({
    ok: false,
    failure: { errorCode, errorMessage },
  });
  const answered = (answer as { records?: unknown } | null)?.records;
  if (!Array.isArray(answered)) return invalid('Lambda.InvalidResponse', 'the answer has no records array');
  const expected = new Set(given.map((record) => record.recordId));
  const records = new Map<string, { result: string; data?: unknown }>();
  for (const record of answered as { recordId?: unknown; result?: unknown; data?: unknown }[]) {
    const recordId = String(record.recordId);
    if (!expected.has(recordId)) return invalid('Lambda.UnknownRecordId', `recordId ${recordId} was not given`);
    if (records.has(recordId)) return invalid('Lambda.DuplicatedRecordId', `recordId ${recordId} answered twice`);
    if (typeof record.result !== 'string' || !RESULTS.has(record.result))
      return invalid('Lambda.InvalidResult', `recordId ${recordId} has result ${String(record.result)}`);
    if (record.result === 'Ok' && (typeof record.data !== 'string' || !isBase64(record.data)))
      return invalid('Lambda.InvalidData', `recordId ${recordId} is Ok without base64 data`);
    records.set(recordId, { result: record.result, data: record.data });
  }
  const missing = [...expected].find((recordId) => !records.has(recordId));
  if (missing !== undefined) return invalid('Lambda.MissingRecordId', `recordId ${missing} was not answered`);
  return { ok: true, records };
}

function isBase64(data: string): boolean {
  return Buffer.from(data, 'base64').toString('base64') === data;
}

/**
 * Reproduces the Firehose delivery stream as the archive stack configures it: records handed to the transform
 * function in Firehose's event shape, invocations retried, answers checked against the contract, Ok records
 * buffered by size and interval and written as they are (the transform's GZIP members; the stream compresses nothing
 * itself) under the prefixes the S3 destination uses, Dropped records counted, and failed ones written as JSON lines
 * under the error prefix in Firehose's processing-failed shape. Unlike Firehose it buffers in memory: stop() flushes.
 */
export class LocalArchive {
  readonly stats: ArchiveStats = {
    files: 0,
    bytes: 0,
    lines: 0,
    droppedRecords: 0,
    failedRecords: 0,
    failedInvocations: 0,
  };
  private buffer: Buffer[] = [];
  private bufferedBytes = 0;
  private sequence = 0;
  private invocations = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly options: LocalArchiveOptions) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.options.bufferSeconds * 1000);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  /** The batch handler the event-source runner calls with what Firehose would read from the stream. */
  readonly deliver = async (batch: KinesisStreamEvent): Promise<void> => {
    const event = this.firehoseEvent(batch);
    const { answer, attemptsMade } = await this.invokeWithRetries(event);
    const failed: Buffer[] = [];
    const fail = (record: FirehoseTransformationEventRecord, failure: TransformFailure) => {
      this.stats.failedRecords++;
      failed.push(
        Buffer.from(
          `${JSON.stringify({
            attemptsMade,
            arrivalTimestamp: record.approximateArrivalTimestamp,
            ...failure,
            attemptEndingTimestamp: Date.now(),
            rawData: record.data,
            lambdaArn: this.options.transformArn,
          })}\n`,
        ),
      );
    };
    for (const record of event.records) {
      if (!answer.ok) {
        fail(record, answer.failure);
        continue;
      }
      const { result, data } = answer.records.get(record.recordId)!;
      if (result === 'Dropped') this.stats.droppedRecords++;
      else if (result === 'ProcessingFailed')
        fail(record, { errorCode: 'Lambda.ProcessingFailed', errorMessage: 'the transform answered ProcessingFailed' });
      else this.append(Buffer.from(data as string, 'base64'));
    }
    if (failed.length > 0)
      await this.write(resolveArchivePrefix(archiveErrorPrefix(this.options.environment), new Date()), failed, '.json');
    if (this.bufferedBytes >= this.options.bufferBytes) await this.flush();
  };

  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.buffer.length === 0) return;
      const parts = this.buffer;
      this.buffer = [];
      this.bufferedBytes = 0;
      await this.write(
        resolveArchivePrefix(archiveDataPrefix(this.options.environment), new Date()),
        parts,
        ARCHIVE_FILE_EXTENSION,
      );
    });
    return this.flushing;
  }

  /** Firehose names each record with its own opaque id and passes the Kinesis record's metadata beside it. */
  private firehoseEvent(batch: KinesisStreamEvent): FirehoseTransformationEvent {
    const invocation = ++this.invocations;
    return {
      invocationId: `local-invocation-${invocation}`,
      deliveryStreamArn: `arn:aws:firehose:local:000000000000:deliverystream/archive-${this.options.environment}`,
      sourceKinesisStreamArn: this.options.sourceStreamArn,
      region: 'local',
      records: batch.Records.map(({ eventID, kinesis }, index) => {
        const approximateArrivalTimestamp = Math.round(kinesis.approximateArrivalTimestamp * 1000);
        return {
          recordId: `${invocation}-${index}-${kinesis.sequenceNumber}`,
          approximateArrivalTimestamp,
          data: kinesis.data,
          kinesisRecordMetadata: {
            shardId: eventID.slice(0, eventID.indexOf(':')),
            partitionKey: kinesis.partitionKey,
            approximateArrivalTimestamp,
            sequenceNumber: kinesis.sequenceNumber,
            subsequenceNumber: '0',
          },
        };
      }),
    };
  }

  private async invokeWithRetries(
    event: FirehoseTransformationEvent,
  ): Promise<{ answer: TransformAnswer; attemptsMade: number }> {
    const attempts = this.options.transformRetries + 1;
    let lastError: unknown;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      let answer: unknown;
      try {
        answer = await this.options.transform(event);
      } catch (error) {
        this.stats.failedInvocations++;
        lastError = error;
        continue;
      }
      return { answer: readTransformAnswer(event.records, answer), attemptsMade: attempt };
    }
    const failure = { errorCode: 'Lambda.FunctionError', errorMessage: String(lastError) };
    return { answer: { ok: false, failure }, attemptsMade: attempts };
  }

  private append(data: Buffer): void {
    this.buffer.push(data);
    this.bufferedBytes += data.length;
    // Counted in the bytes: a newline never occurs inside a multi-byte UTF-8 character.
    const text = gunzipSync(data);
    for (let at = text.indexOf(0x0a); at !== -1; at = text.indexOf(0x0a, at + 1)) this.stats.lines++;
  }

  private async write(prefix: string, parts: Buffer[], extension: string): Promise<void> {
    const file = join(this.options.directory, prefix, `archive-${Date.now()}-${this.sequence++}${extension}`);
    const content = Buffer.concat(parts);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, content);
    this.stats.files++;
    this.stats.bytes += content.length;
  }
}
