import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { setTimeout as sleepUnlessStopped } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
  Shard,
  ShardIteratorType,
  _Record,
} from '@aws-sdk/client-kinesis';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { compareSequenceNumbers, lambdaKinesisRecord, withinInvocationLimit } from '../lambdas/shared/kinesis-batch';
import type { FailurePointer } from '../lib/redrive/redrive';
import { InvokeError, localFunctionArn } from './lambda-function';

export interface MappingSettings {
  readonly batchSize: number;
  readonly batchingWindowSeconds: number;
  /** -1: retry until the handler succeeds, as Lambda does with MaximumRetryAttempts -1. */
  readonly maxRetryAttempts: number;
  /** -1: never discard a record for its age. */
  readonly maxRecordAgeSeconds: number;
  readonly bisectBatchOnError: boolean;
  /** Where a consumer with no checkpoint starts. */
  readonly startingPosition:
    { readonly type: 'TRIM_HORIZON' | 'LATEST' } | { readonly type: 'AT_TIMESTAMP'; readonly timestamp: Date };
}

export type BatchHandler = (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse | void>;

export interface ConsumerStats {
  invocations: number;
  recordsProcessed: number;
  recordsFailed: number;
  recordsSentToFailureDestination: number;
  /** Invocations Lambda turned away for want of concurrency: retried, never counted as attempts. */
  throttles: number;
  /** Closed shards read to their end and dropped; their children start after them. */
  shardsFinished: number;
  /** Per shard, as Lambda's IteratorAge: how old the last record of the last batch was when it was done. */
  iteratorAgeMs: Record<string, number>;
  /** Per shard, when the newest record done arrived in the stream: how far a consumer has read. */
  readUpToMs: Record<string, number>;
  lastError?: string;
}

export interface EventSourceRunnerOptions {
  readonly name: string;
  readonly client: KinesisClient;
  readonly streamName: string;
  readonly streamArn?: string;
  readonly settings: MappingSettings;
  readonly handler: BatchHandler;
  /** JSON file of checkpoints (the last sequence number done per shard), so a restart resumes. */
  readonly checkpointFile: string;
  /** JSON lines, one per batch given up, as Lambda's on-failure destination receives them. */
  readonly failureDestinationFile: string;
  /** @default 250 ms */
  readonly pollIntervalMs?: number;
  /** How often the shard list is read again, to find the children of a split or merge. @default 1 s */
  readonly shardDiscoveryMs?: number;
  readonly now?: () => number;
}

interface ShardState {
  readonly shardId: string;
  iterator: string | undefined;
  pending: _Record[];
  firstPendingAtMs: number;
  attempts: number;
  /** Records per invocation after a bisect; back to batchSize after a success. */
  invocationSize: number;
  /** Whether the first record at or after the starting position has been read. */
  started: boolean;
  /** The shard is closed and every record in it has been read. */
  readToEnd: boolean;
}

/** The ARN a stream has on one machine, unless the runner is given another. */
export const localStreamArn = (streamName: string) => `arn:aws:kinesis:local:000000000000:stream/${streamName}`;

/** The checkpoint of a closed shard every record of which is done. */
const SHARD_END = 'SHARD_END';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Reproduces Lambda's Kinesis event source mapping for one consumer: its own iterator and checkpoint per shard,
 * batch size and window, ReportBatchItemFailures (resume from the lowest failed record), bisect on error, bounded
 * retries, maximum record age, an on-failure destination, throttles retried without counting, and resharding: a
 * child shard starts only once its parents are read to their end, and a finished shard is dropped.
 */
export class EventSourceRunner {
  readonly stats: ConsumerStats = {
    invocations: 0,
    recordsProcessed: 0,
    recordsFailed: 0,
    recordsSentToFailureDestination: 0,
    throttles: 0,
    shardsFinished: 0,
    iteratorAgeMs: {},
    readUpToMs: {},
  };
  private running = false;
  private readonly loops = new Map<string, Promise<void>>();
  private discovery: Promise<void> = Promise.resolve();
  private saving: Promise<void> = Promise.resolve();
  private readonly stopping = new AbortController();
  private checkpoints: Record<string, string> = {};
  private readonly now: () => number;

  constructor(private readonly options: EventSourceRunnerOptions) {
    this.now = options.now ?? Date.now;
  }

  async start(): Promise<void> {
    this.checkpoints = await readFile(this.options.checkpointFile, 'utf8').then(
      (text) => JSON.parse(text) as Record<string, string>,
      () => ({}),
    );
    this.running = true;
    await this.startReadyShards();
    this.discovery = this.discoverShards();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopping.abort();
    await this.discovery;
    await Promise.all(this.loops.values());
  }

  private async listShards(): Promise<Shard[]> {
    const shards: Shard[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.options.client.send(
        new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: this.options.streamName }),
      );
      shards.push(...(page.Shards ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
    return shards;
  }

  /** Starts every shard not yet read whose parents are finished (or gone past the retention). */
  private async startReadyShards(): Promise<void> {
    const shards = await this.listShards();
    const listed = new Set(shards.map((shard) => shard.ShardId!));
    const finished = (shardId: string | undefined) =>
      shardId === undefined || !listed.has(shardId) || this.checkpoints[shardId] === SHARD_END;
    for (const shard of shards) {
      const shardId = shard.ShardId!;
      if (!this.running || this.loops.has(shardId) || this.checkpoints[shardId] === SHARD_END) continue;
      if (finished(shard.ParentShardId) && finished(shard.AdjacentParentShardId))
        this.loops.set(shardId, this.runShard(shardId));
    }
  }

  private async discoverShards(): Promise<void> {
    while (this.running) {
      await sleepUnlessStopped(this.options.shardDiscoveryMs ?? 1_000, undefined, {
        signal: this.stopping.signal,
      }).catch(() => undefined);
      if (this.running) await this.startReadyShards().catch((error: Error) => (this.stats.lastError = error.message));
    }
  }

  private async iteratorFor(shardId: string): Promise<string | undefined> {
    const checkpoint = this.checkpoints[shardId];
    const start = this.options.settings.startingPosition;
    // kinesalite never answers AT_TIMESTAMP past a shard's newest record, so an AT_TIMESTAMP start reads from the
    // shard's start and leaves out what arrived before the timestamp (skipBeforeStart); never LATEST, which skips.
    const request = checkpoint
      ? { ShardIteratorType: ShardIteratorType.AFTER_SEQUENCE_NUMBER, StartingSequenceNumber: checkpoint }
      : { ShardIteratorType: start.type === 'AT_TIMESTAMP' ? ShardIteratorType.TRIM_HORIZON : start.type };
    const command = new GetShardIteratorCommand({ StreamName: this.options.streamName, ShardId: shardId, ...request });
    return (await this.options.client.send(command)).ShardIterator;
  }

  /** Records an AT_TIMESTAMP start leaves out: those that arrived before it, until the first that did not. */
  private skipBeforeStart(state: ShardState, records: _Record[]): _Record[] {
    const start = this.options.settings.startingPosition;
    if (state.started || start.type !== 'AT_TIMESTAMP') return records;
    const first = records.findIndex((record) => record.ApproximateArrivalTimestamp! >= start.timestamp);
    if (first === -1) return [];
    state.started = true;
    return records.slice(first);
  }

  private async runShard(shardId: string): Promise<void> {
    const settings = this.options.settings;
    const state: ShardState = {
      shardId,
      iterator: undefined,
      pending: [],
      firstPendingAtMs: 0,
      attempts: 0,
      invocationSize: settings.batchSize,
      started: this.checkpoints[shardId] !== undefined,
      readToEnd: false,
    };
    while (this.running) {
      try {
        if (state.readToEnd && state.pending.length === 0) return await this.finishShard(shardId);
        if (!state.readToEnd) state.iterator ??= await this.iteratorFor(shardId);
        if (state.pending.length < settings.batchSize && state.iterator) {
          const page = await this.options.client.send(
            new GetRecordsCommand({ ShardIterator: state.iterator, Limit: settings.batchSize - state.pending.length }),
          );
          state.iterator = page.NextShardIterator;
          // No next iterator: the shard was closed by a split or merge, and this page held its last records.
          state.readToEnd = page.NextShardIterator === undefined;
          if (state.pending.length === 0 && (page.Records ?? []).length === 0) this.stats.iteratorAgeMs[shardId] = 0;
          const records = this.skipBeforeStart(state, page.Records ?? []);
          if (records.length > 0 && state.pending.length === 0) state.firstPendingAtMs = this.now();
          state.pending.push(...records);
          // Records before an AT_TIMESTAMP start were skipped: read on at once.
          if (records.length === 0 && (page.Records ?? []).length > 0) continue;
        }
        const windowOpen =
          !state.readToEnd && this.now() - state.firstPendingAtMs < settings.batchingWindowSeconds * 1000;
        if (state.pending.length === 0 || (state.pending.length < settings.batchSize && windowOpen)) {
          if (state.readToEnd) continue;
          await sleep(this.options.pollIntervalMs ?? 250);
          continue;
        }
        await this.invoke(state);
      } catch (error) {
        this.stats.lastError = (error as Error).message;
        state.iterator = undefined;
        state.readToEnd = false;
        await sleep(1_000);
      }
    }
  }

  /** Drops a closed shard every record of which is done, and starts its children. */
  private async finishShard(shardId: string): Promise<void> {
    this.checkpoints[shardId] = SHARD_END;
    await this.saveCheckpoints();
    this.stats.shardsFinished++;
    delete this.stats.iteratorAgeMs[shardId];
    delete this.stats.readUpToMs[shardId];
    await this.startReadyShards();
  }

  private async invoke(state: ShardState): Promise<void> {
    const settings = this.options.settings;
    await this.expireOldRecords(state);
    if (state.pending.length === 0) return;
    const batch = withinInvocationLimit(state.pending.slice(0, Math.min(state.invocationSize, settings.batchSize)));
    this.stats.invocations++;
    let failedFrom: string | undefined;
    let threw = false;
    try {
      const response = await this.options.handler(this.toEvent(state.shardId, batch));
      const failures = response?.batchItemFailures ?? [];
      const known = new Set(batch.map((record) => record.SequenceNumber!));
      if (failures.some((failure) => !known.has(failure.itemIdentifier))) {
        throw new Error('a batch item failure names a sequence number that is not in the batch');
      }
      failedFrom = failures.map((failure) => failure.itemIdentifier).sort(compareSequenceNumbers)[0];
    } catch (error) {
      if (error instanceof InvokeError && error.throttled) {
        this.stats.throttles++;
        await sleep(Math.min(100 * 2 ** Math.min(this.stats.throttles, 4), 1_000));
        return;
      }
      threw = true;
      this.stats.lastError = (error as Error).message;
    }

    if (!threw && failedFrom === undefined) {
      await this.complete(state, batch.length);
      state.attempts = 0;
      state.invocationSize = settings.batchSize;
      return;
    }
    const done = threw ? 0 : batch.findIndex((record) => record.SequenceNumber === failedFrom);
    if (done > 0) await this.complete(state, done);
    const remaining = batch.length - done;
    this.stats.recordsFailed += remaining;
    // A bisected half is a new batch, not a retry (Lambda's documented behaviour for BisectBatchOnFunctionError).
    if (threw && settings.bisectBatchOnError && remaining > 1) state.invocationSize = Math.ceil(remaining / 2);
    else state.attempts++;
    if (settings.maxRetryAttempts !== -1 && state.attempts > settings.maxRetryAttempts) {
      await this.sendToFailureDestination(state, state.pending.slice(0, remaining), 'RetryAttemptsExhausted', {
        statusCode: 200,
        executedVersion: '$LATEST',
        ...(threw ? { functionError: 'Unhandled' } : {}),
      });
      state.attempts = 0;
      state.invocationSize = settings.batchSize;
      return;
    }
    await sleep(Math.min(100 * 2 ** Math.min(state.attempts, 10), 1_000));
  }

  private async expireOldRecords(state: ShardState): Promise<void> {
    if (this.options.settings.maxRecordAgeSeconds === -1) return;
    const oldestAllowed = this.now() - this.options.settings.maxRecordAgeSeconds * 1000;
    const expired = state.pending.findIndex((record) => record.ApproximateArrivalTimestamp!.getTime() >= oldestAllowed);
    const count = expired === -1 ? state.pending.length : expired;
    if (count > 0) await this.sendToFailureDestination(state, state.pending.slice(0, count), 'RecordAgeExceeded');
  }

  private async complete(state: ShardState, count: number): Promise<void> {
    const done = state.pending.splice(0, count);
    this.stats.recordsProcessed += count;
    const last = done[done.length - 1]!;
    this.checkpoints[state.shardId] = last.SequenceNumber!;
    this.stats.readUpToMs[state.shardId] = last.ApproximateArrivalTimestamp!.getTime();
    this.stats.iteratorAgeMs[state.shardId] = this.now() - last.ApproximateArrivalTimestamp!.getTime();
    await this.saveCheckpoints();
  }

  /** One write at a time, each whole (written aside, then renamed), whichever shard's loop asks. */
  private saveCheckpoints(): Promise<void> {
    const file = this.options.checkpointFile;
    this.saving = this.saving
      .catch(() => undefined)
      .then(async () => {
        await mkdir(dirname(file), { recursive: true });
        await writeFile(`${file}.tmp`, JSON.stringify(this.checkpoints));
        await rename(`${file}.tmp`, file);
      });
    return this.saving;
  }

  /** Writes the invocation record Lambda sends an on-failure destination: which records, never the records. */
  private async sendToFailureDestination(
    state: ShardState,
    records: _Record[],
    condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded',
    responseContext?: { statusCode: number; executedVersion: string; functionError?: string },
  ): Promise<void> {
    const batchInfo: FailurePointer['KinesisBatchInfo'] = {
      shardId: state.shardId,
      startSequenceNumber: records[0]!.SequenceNumber!,
      endSequenceNumber: records[records.length - 1]!.SequenceNumber!,
      approximateArrivalOfFirstRecord: records[0]!.ApproximateArrivalTimestamp!.toISOString(),
      approximateArrivalOfLastRecord: records[records.length - 1]!.ApproximateArrivalTimestamp!.toISOString(),
      batchSize: records.length,
      streamArn: this.streamArn,
    };
    const failure = {
      requestContext: {
        requestId: randomUUID(),
        functionArn: localFunctionArn(this.options.name),
        condition,
        approximateInvokeCount: state.attempts,
      },
      ...(responseContext ? { responseContext } : {}),
      version: '1.0',
      timestamp: new Date(this.now()).toISOString(),
      KinesisBatchInfo: batchInfo,
    };
    await mkdir(dirname(this.options.failureDestinationFile), { recursive: true });
    await appendFile(this.options.failureDestinationFile, `${JSON.stringify(failure)}\n`);
    this.stats.recordsSentToFailureDestination += records.length;
    await this.complete(state, records.length);
    this.stats.recordsProcessed -= records.length;
  }

  private get streamArn(): string {
    return this.options.streamArn ?? localStreamArn(this.options.streamName);
  }

  private toEvent(shardId: string, records: _Record[]): KinesisStreamEvent {
    return {
      Records: records.map((record) => lambdaKinesisRecord(shardId, record, this.streamArn, this.options.name)),
    };
  }
}
