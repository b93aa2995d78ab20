import { randomBytes } from 'node:crypto';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { createRecordPacker, DEFAULT_RECORD_BYTE_CAP, EventPacker, RecordCompression } from '../codec/event-codec';
import { ProducerMetrics, putPayloadUnits } from './producer-metrics';
import { SpilledRecord, SpillStore } from './spill-store';

// PutRecords: 500 records and 5 MiB per call, partition keys included.
const MAX_RECORDS_PER_PUT = 500;
const MAX_BYTES_PER_PUT = 5 * 1024 * 1024;
// 16 hex characters of process prefix and a base-36 counter below 2^53.
const PARTITION_KEY_MAX_BYTES = 28;
/** What a record's data gets of the default cap: the partition key counts towards the record's size. */
export const DEFAULT_RECORD_DATA_BYTE_CAP = DEFAULT_RECORD_BYTE_CAP - PARTITION_KEY_MAX_BYTES;

export interface KinesisWriterOptions {
  readonly client: KinesisClient;
  readonly streamName: string;
  readonly spill: SpillStore;
  readonly metrics: ProducerMetrics;
  /** Data and partition key together. @default 25,000 bytes: one PUT payload unit */
  readonly recordByteCap?: number;
  /** @default 'deflate-raw': records in format 2, which every consumer must read before a producer writes it */
  readonly recordCompression?: RecordCompression;
  /** How long a part-filled record waits for more events. @default 50 ms */
  readonly lingerMs?: number;
  /** Memory held for events not yet in the stream; past it, payloads are refused. @default 256 MiB */
  readonly maxBufferBytes?: number;
  /** @default 8 */
  readonly maxPutsInFlight?: number;
  /** Attempts per record before it is spilled to disk. @default 10 */
  readonly maxAttempts?: number;
  /** @default 100 ms */
  readonly baseBackoffMs?: number;
  /** @default 5,000 ms */
  readonly maxBackoffMs?: number;
  /** How often spilled records are offered to the stream again. @default 5,000 ms */
  readonly spillRetryIntervalMs?: number;
  readonly onError?: (message: string, error: unknown) => void;
}

interface HeldRecord {
  readonly data: Buffer;
  readonly partitionKey: string;
  readonly eventCount: number;
  attempts: number;
  /** The spill file the record was read back from; the file goes once all its records are settled. */
  readonly spillFile?: SpillFileProgress;
}

interface SpillFileProgress {
  readonly name: string;
  unsettled: number;
}

export type AcceptResult = 'accepted' | 'buffer_full' | 'draining';

/**
 * Packs events into records of at most one PUT payload unit and writes them with PutRecords, several calls in
 * flight. A record leaves memory only when Kinesis has acknowledged it or it is durable in the spill store.
 */
export class KinesisWriter {
  readonly maxBufferBytes: number;
  private readonly packer: EventPacker;
  private readonly lingerMs: number;
  private readonly maxPutsInFlight: number;
  private readonly maxAttempts: number;
  private readonly baseBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly partitionKeyPrefix = randomBytes(8).toString('hex');
  private partitionKeySequence = 0;
  private readonly queue: HeldRecord[] = [];
  private readonly waitingForRetry = new Map<NodeJS.Timeout, HeldRecord[]>();
  private readonly inFlight = new Set<HeldRecord[]>();
  private readonly spillRemovals = new Set<Promise<void>>();
  private readonly spillFilesLoaded = new Set<string>();
  private heldRecordBytes = 0;
  private lingerTimer: NodeJS.Timeout | undefined;
  private spillTimer: NodeJS.Timeout | undefined;
  /** The timer's pass over the spill files, while one runs: a drain waits for it, so nothing is queued after. */
  private timedSpillPass: Promise<void> | undefined;
  private draining = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: KinesisWriterOptions) {
    // The partition key counts towards the record's size, so the data gets what the key leaves of the cap.
    this.packer = createRecordPacker(
      (record, eventCount) => this.enqueue(record, eventCount),
      (options.recordByteCap ?? DEFAULT_RECORD_BYTE_CAP) - PARTITION_KEY_MAX_BYTES,
      options.recordCompression ?? 'deflate-raw',
    );
    this.lingerMs = options.lingerMs ?? 50;
    this.maxBufferBytes = options.maxBufferBytes ?? 256 * 1024 * 1024;
    this.maxPutsInFlight = options.maxPutsInFlight ?? 8;
    this.maxAttempts = options.maxAttempts ?? 10;
    this.baseBackoffMs = options.baseBackoffMs ?? 100;
    this.maxBackoffMs = options.maxBackoffMs ?? 5_000;
    if (this.maxBufferBytes < 4 * (options.recordByteCap ?? DEFAULT_RECORD_BYTE_CAP)) {
      throw new RangeError('maxBufferBytes must hold at least four records');
    }
  }

  /** Bytes held for events not yet acknowledged by Kinesis. */
  get bufferedBytes(): number {
    return this.heldRecordBytes + this.packer.pendingBytes;
  }

  /** The most data one record carries. */
  get recordDataByteCap(): number {
    return this.packer.recordByteCap;
  }

  /** Why puts fail in a way only a change of settings cures, while they do: routing health fails with it. */
  cannotReachKinesis: string | undefined;

  /** Starts sending what earlier runs spilled, ahead of new events, and keeps offering spilled records again. */
  async start(): Promise<void> {
    // Nothing of this process is being written yet, so every temporary file is a crash's leftover.
    for (const name of await this.options.spill.temporaryFiles()) {
      const { records } = await this.options.spill.read(name);
      await this.quarantine(name, records, `${name} was left mid-write`);
    }
    await this.loadSpilledRecords();
    this.spillTimer = setInterval(() => this.offerSpilledRecordsAgain(), this.options.spillRetryIntervalMs ?? 5_000);
    this.spillTimer.unref();
  }

  /**
   * Takes one payload's events (encoded) under one envelope. 'accepted' means the events are held by the writer
   * and will reach the stream or the spill store; anything else means nothing was taken.
   */
  accept(envelope: Uint8Array, events: readonly Uint8Array[]): AcceptResult {
    if (this.draining) return 'draining';
    let incomingBytes = envelope.length;
    // Each event costs its bytes plus at most 8 of framing in the record.
    for (const event of events) incomingBytes += event.length + 8;
    if (this.bufferedBytes + incomingBytes > this.maxBufferBytes) return 'buffer_full';
    this.packer.append(envelope, events);
    if (this.packer.pendingEvents > 0 && this.lingerTimer === undefined) {
      this.lingerTimer = setTimeout(() => this.flushOpenRecord(), this.lingerMs);
    }
    return 'accepted';
  }

  /**
   * Stops taking events, sends what is held until the deadline, then spills whatever is left (including calls
   * still in flight, which may then reach the stream twice: a duplicate is preferred to a loss).
   */
  async drain(deadlineMs: number): Promise<{ spilledRecords: number }> {
    this.draining = true;
    clearInterval(this.spillTimer);
    await this.timedSpillPass;
    if (await this.flush(deadlineMs)) return { spilledRecords: 0 };
    const leftovers = [
      ...this.queue.splice(0),
      ...[...this.waitingForRetry.values()].flat(),
      ...[...this.inFlight].flat(),
    ];
    for (const timer of this.waitingForRetry.keys()) clearTimeout(timer);
    this.waitingForRetry.clear();
    this.inFlight.clear();
    if (leftovers.length > 0) await this.spill(leftovers, false);
    return { spilledRecords: leftovers.length };
  }

  /**
   * Closes the open record and waits until everything held is acknowledged, spilled records too unless draining;
   * false if the timeout came first.
   */
  async flush(timeoutMs: number): Promise<boolean> {
    this.flushOpenRecord();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    try {
      for (;;) {
        if ((await Promise.race([this.idle(), timeout])) === 'timeout') return false;
        // A pass of the spill timer may have claimed a file whose records it has not queued yet.
        const pass = this.timedSpillPass;
        if (pass) {
          if ((await Promise.race([pass.then(() => 'passed' as const), timeout])) === 'timeout') return false;
          continue;
        }
        const waiting = (await this.options.spill.list()).filter((name) => !this.spillFilesLoaded.has(name));
        if (this.draining || waiting.length === 0) return true;
        await this.loadSpilledRecords();
      }
    } finally {
      clearTimeout(timer);
    }
  }

  private idle(): Promise<'idle'> {
    if (this.isIdle()) return Promise.resolve('idle');
    return new Promise((resolve) => this.idleWaiters.push(() => resolve('idle')));
  }

  private isIdle(): boolean {
    return this.heldRecordBytes === 0 && this.packer.pendingEvents === 0 && this.spillRemovals.size === 0;
  }

  private flushOpenRecord(): void {
    clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
    this.packer.flush();
  }

  private nextPartitionKey(): string {
    // Distinct keys hash uniformly over the shards, so every tenant's records spread across all of them.
    return `${this.partitionKeyPrefix}${(this.partitionKeySequence++).toString(36)}`;
  }

  private enqueue(record: Buffer, eventCount: number): void {
    // A record closed by the linger timer may be far smaller than the buffer it was packed in.
    const data = record.length < record.buffer.byteLength / 2 ? Buffer.from(record) : record;
    this.heldRecordBytes += data.length;
    this.queue.push({ data, partitionKey: this.nextPartitionKey(), eventCount, attempts: 0 });
    this.pump();
  }

  private pump(): void {
    while (this.inFlight.size < this.maxPutsInFlight && this.queue.length > 0) {
      const batch = this.takeBatch();
      this.inFlight.add(batch);
      void this.put(batch).finally(() => {
        this.inFlight.delete(batch);
        this.pump();
      });
    }
  }

  private takeBatch(): HeldRecord[] {
    let bytes = 0;
    let count = 0;
    for (const record of this.queue) {
      const size = record.data.length + Buffer.byteLength(record.partitionKey);
      if (count === MAX_RECORDS_PER_PUT || (count > 0 && bytes + size > MAX_BYTES_PER_PUT)) break;
      bytes += size;
      count++;
    }
    return this.queue.splice(0, count);
  }

  private async put(batch: HeldRecord[]): Promise<void> {
    const counters = this.options.metrics.counters;
    counters.putRequests++;
    let failed: HeldRecord[];
    try {
      const result = await this.options.client.send(
        new PutRecordsCommand({
          StreamName: this.options.streamName,
          Records: batch.map((record) => ({ Data: record.data, PartitionKey: record.partitionKey })),
        }),
      );
      if (!this.inFlight.has(batch)) return; // the drain deadline already spilled this batch
      const entries = result.Records ?? [];
      failed = [];
      batch.forEach((record, i) => {
        const entry = entries[i];
        if (entry?.SequenceNumber && !entry.ErrorCode) {
          this.cannotReachKinesis = undefined;
          this.settle(record, true);
        } else {
          if (entry?.ErrorCode === 'ProvisionedThroughputExceededException') counters.recordsThrottled++;
          failed.push(record);
        }
      });
    } catch (error) {
      if (!this.inFlight.has(batch)) return;
      counters.putRequestErrors++;
      const misconfigured = configurationProblem(error, this.options.streamName);
      // A passing fault is reported each time; a setting once, in words that name the fix, until a put succeeds.
      if (!misconfigured) this.report('PutRecords failed; retrying its records', error);
      else if (misconfigured !== this.cannotReachKinesis) this.report(misconfigured, error);
      this.cannotReachKinesis = misconfigured;
      failed = batch;
    }
    if (failed.length > 0) this.retryLater(failed);
  }

  private retryLater(records: HeldRecord[]): void {
    const exhausted: HeldRecord[] = [];
    const retrying: HeldRecord[] = [];
    for (const record of records) {
      record.attempts++;
      (record.attempts >= this.maxAttempts ? exhausted : retrying).push(record);
    }
    this.options.metrics.counters.recordRetries += retrying.length;
    if (retrying.length > 0) {
      const attempts = Math.min(...retrying.map((record) => record.attempts));
      this.requeueAfter(fullJitterBackoffMs(attempts, this.baseBackoffMs, this.maxBackoffMs), retrying);
    }
    if (exhausted.length > 0) void this.spill(exhausted, true);
  }

  private requeueAfter(delayMs: number, records: HeldRecord[]): void {
    const timer = setTimeout(() => {
      this.waitingForRetry.delete(timer);
      this.queue.unshift(...records);
      this.pump();
    }, delayMs);
    this.waitingForRetry.set(timer, records);
  }

  /** Moves records to disk; if the disk fails too, they stay in memory and are tried again later. */
  private async spill(records: HeldRecord[], retryOnFailure: boolean): Promise<void> {
    try {
      await this.options.spill.write(records);
      this.options.metrics.counters.recordsSpilled += records.length;
      for (const record of records) this.settle(record, false);
    } catch (error) {
      this.options.metrics.counters.spillWriteErrors++;
      this.report(`spilling ${records.length} records failed; keeping them in memory`, error);
      if (!retryOnFailure) throw error;
      for (const record of records) record.attempts = 0;
      this.requeueAfter(this.maxBackoffMs, records);
    }
  }

  /** The record is out of memory: in the stream, or durable in a spill file. */
  private settle(record: HeldRecord, written: boolean): void {
    this.heldRecordBytes -= record.data.length;
    if (written) {
      const counters = this.options.metrics.counters;
      counters.recordsPut++;
      counters.bytesPut += record.data.length;
      counters.eventsPut += record.eventCount;
      counters.putPayloadUnits += putPayloadUnits(record.data.length + Buffer.byteLength(record.partitionKey));
    }
    if (record.spillFile && --record.spillFile.unsettled === 0) this.removeSpillFile(record.spillFile.name);
    this.wakeIfIdle();
  }

  /**
   * The file stays claimed until it is gone, so neither flush() nor the spill timer reads it again meanwhile; if it
   * cannot be removed it stays claimed, and only the next start sends it again (consumers apply each event once).
   */
  private removeSpillFile(name: string): void {
    const removal = this.options.spill.remove(name).then(
      () => void this.spillFilesLoaded.delete(name),
      (error: unknown) => this.report(`removing spill file ${name} failed; it is sent again at the next start`, error),
    );
    this.spillRemovals.add(removal);
    void removal.finally(() => {
      this.spillRemovals.delete(removal);
      this.wakeIfIdle();
    });
  }

  private wakeIfIdle(): void {
    if (this.isIdle()) for (const wake of this.idleWaiters.splice(0)) wake();
  }

  private offerSpilledRecordsAgain(): void {
    if (this.timedSpillPass) return;
    this.timedSpillPass = this.loadSpilledRecords()
      .catch((error: unknown) => this.report('loading spilled records failed', error))
      .finally(() => (this.timedSpillPass = undefined));
  }

  /** Reads spill files back into the queue, oldest first, while the buffer is under half full. */
  private async loadSpilledRecords(): Promise<void> {
    for (const name of await this.options.spill.list()) {
      if (this.draining || this.bufferedBytes > this.maxBufferBytes / 2) return;
      if (this.spillFilesLoaded.has(name)) continue;
      // Claimed before the first await: the timer and flush() both load, and a file must be queued once.
      this.spillFilesLoaded.add(name);
      const { records, damage } = await this.options.spill.read(name).catch((error: unknown) => {
        this.spillFilesLoaded.delete(name);
        throw error;
      });
      if (damage !== undefined) {
        await this.quarantine(name, records, damage).finally(() => this.spillFilesLoaded.delete(name));
        continue;
      }
      if (records.length === 0) {
        this.spillFilesLoaded.delete(name);
        await this.options.spill.remove(name);
        continue;
      }
      const progress: SpillFileProgress = { name, unsettled: records.length };
      for (const { data, eventCount } of records) {
        this.heldRecordBytes += data.length;
        this.queue.push({ data, partitionKey: this.nextPartitionKey(), eventCount, attempts: 0, spillFile: progress });
      }
      this.options.metrics.counters.recordsReplayedFromSpill += records.length;
      this.pump();
    }
  }

  /** A damaged file stops nothing: its whole records go to a new spill file, the file itself aside. */
  private async quarantine(name: string, salvaged: SpilledRecord[], damage: string): Promise<void> {
    const kept = await this.options.spill.quarantine(name, salvaged);
    this.options.metrics.counters.spillFilesQuarantined++;
    this.report(
      `${damage}; ${salvaged.length} whole records kept${kept ? ` in ${kept}` : ''}, the file moved to quarantine`,
      undefined,
    );
  }

  private report(message: string, error: unknown): void {
    this.options.onError?.(message, error);
  }
}

/**
 * The wait before a retry: uniform below a ceiling that doubles with each attempt up to the maximum ("full jitter",
 * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/), so throttled writers spread out.
 */
export function fullJitterBackoffMs(attempts: number, baseMs: number, maxMs: number, random = Math.random): number {
  return random() * Math.min(maxMs, baseMs * 2 ** (attempts - 1));
}

const CONFIGURATION_ERRORS: Record<string, string> = {
  CredentialsProviderError:
    'no AWS credentials: give the instance its role, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY ' +
    '(any values for a local Kinesis)',
  ResourceNotFoundException: 'the stream does not exist: check STREAM_NAME, AWS_REGION and AWS_ENDPOINT_URL_KINESIS',
  AccessDeniedException: 'the credentials may not put records into the stream: check the role’s policy',
  UnrecognizedClientException: 'the credentials are not valid for this account or endpoint',
  ExpiredTokenException: 'the credentials have expired',
};

/** What to fix when a put fails for a reason retrying cannot cure; undefined for a passing fault. */
function configurationProblem(error: unknown, streamName: string): string | undefined {
  const fix = CONFIGURATION_ERRORS[(error as Error | undefined)?.name ?? ''];
  return fix && `Kinesis stream ${streamName} cannot be written (${(error as Error).name}): ${fix}`;
}
