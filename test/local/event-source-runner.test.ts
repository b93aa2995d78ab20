import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeStreamSummaryCommand,
  ListShardsCommand,
  MergeShardsCommand,
  PutRecordsCommand,
  SplitShardCommand,
} from '@aws-sdk/client-kinesis';
import type { KinesisStreamEvent } from 'aws-lambda';
import { Dev } from '../../lib/config/environments';
import { EventSourceRunner, MappingSettings } from '../../local/event-source-runner';
import { LocalFunction } from '../../local/lambda-function';
import { mappingSettings } from '../../local/local-pipeline';
import { startLocalKinesis, LocalKinesis } from '../support/local-kinesis';
import { writeRecords } from '../support/stream-events';

const SEVEN_HOURS_MS = 7 * 3_600_000;

describe('the local event source runner', () => {
  let kinesis: LocalKinesis;
  beforeAll(async () => {
    kinesis = await startLocalKinesis();
    await kinesis.createStream('seven-hours', 1);
    await writeRecords(kinesis, 'seven-hours', [Buffer.from('a'), Buffer.from('b'), Buffer.from('c')]);
  });
  afterAll(() => kinesis?.close());

  // The records were written just now; a clock 7 hours ahead makes them 7 hours old to the runner.
  async function replaySevenHoursBack(maxRecordAgeSeconds: number) {
    const directory = await mkdtemp(join(tmpdir(), 'runner-'));
    const later = () => Date.now() + SEVEN_HOURS_MS;
    const replay = {
      generation: 1,
      from: new Date(later() - SEVEN_HOURS_MS).toISOString(),
      requestedAt: new Date(later()).toISOString(),
    };
    const handled: string[] = [];
    const runner = new EventSourceRunner({
      name: 'flag-status',
      client: kinesis.client,
      streamName: 'seven-hours',
      settings: { ...mappingSettings({ ...Dev.consumers.flagStatus, replay }), maxRecordAgeSeconds },
      handler: (event: KinesisStreamEvent) => {
        handled.push(...event.Records.map((record) => Buffer.from(record.kinesis.data, 'base64').toString()));
        return Promise.resolve({ batchItemFailures: [] });
      },
      checkpointFile: join(directory, 'checkpoint.json'),
      failureDestinationFile: join(directory, 'failures.jsonl'),
      pollIntervalMs: 20,
      now: later,
    });
    await runner.start();
    const deadline = Date.now() + 10_000;
    while (runner.stats.recordsProcessed + runner.stats.recordsSentToFailureDestination < 3 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    await runner.stop();
    const failures = await readFile(join(directory, 'failures.jsonl'), 'utf8').catch(() => '');
    return { handled, failures: failures.trim().split('\n').filter(Boolean), stats: runner.stats };
  }

  it('hands a replay records 7 hours old with the deployed settings (no record-age limit)', async () => {
    const replayed = await replaySevenHoursBack(Dev.consumers.flagStatus.maxRecordAgeSeconds);

    expect(Dev.consumers.flagStatus.maxRecordAgeSeconds).toBe(-1);
    expect(replayed.handled).toEqual(['a', 'b', 'c']);
    expect(replayed.failures).toEqual([]);
  });

  it('discards them unread with a 6-hour record-age limit, as a mapping with one would', async () => {
    const replayed = await replaySevenHoursBack(21_600);

    expect(replayed.handled).toEqual([]);
    expect(replayed.failures).toHaveLength(1);
    expect(JSON.parse(replayed.failures[0]!)).toMatchObject({
      requestContext: { condition: 'RecordAgeExceeded' },
      KinesisBatchInfo: { batchSize: 3 },
    });
  });

  async function runUntil(
    stream: string,
    settings: Partial<MappingSettings>,
    done: (handled: KinesisStreamEvent[]) => boolean,
    whileRunning: () => Promise<void> = async () => {},
  ) {
    const directory = await mkdtemp(join(tmpdir(), 'runner-'));
    const invocations: KinesisStreamEvent[] = [];
    const runner = new EventSourceRunner({
      name: 'consumer',
      client: kinesis.client,
      streamName: stream,
      settings: { ...mappingSettings(Dev.consumers.flagStatus), ...settings },
      handler: (event) => {
        invocations.push(event);
        return Promise.resolve({ batchItemFailures: [] });
      },
      checkpointFile: join(directory, 'checkpoint.json'),
      failureDestinationFile: join(directory, 'failures.jsonl'),
      pollIntervalMs: 20,
    });
    await runner.start();
    await whileRunning();
    const deadline = Date.now() + 10_000;
    while (!done(invocations) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await runner.stop();
    return invocations;
  }
  const dataOf = (invocations: KinesisStreamEvent[]) =>
    invocations.flatMap((event) =>
      event.Records.map((record) => Buffer.from(record.kinesis.data, 'base64').toString()),
    );

  it('starts AT_TIMESTAMP past the newest record and still hands over every record written after it', async () => {
    // given: records from before the start
    await kinesis.createStream('at-timestamp', 1);
    await writeRecords(kinesis, 'at-timestamp', [Buffer.from('before-1'), Buffer.from('before-2')]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const start = new Date();

    // when: the runner starts there and records arrive right after
    const invocations = await runUntil(
      'at-timestamp',
      { startingPosition: { type: 'AT_TIMESTAMP', timestamp: start } },
      (handled) => dataOf(handled).length >= 2,
      () => writeRecords(kinesis, 'at-timestamp', [Buffer.from('after-1'), Buffer.from('after-2')]),
    );

    // then
    expect(dataOf(invocations)).toEqual(['after-1', 'after-2']);
  });

  it('hands a function no more than its 6 MB invocation payload, whatever the batch size', async () => {
    // given: 300 records of 24 KB, more than 6 MB for a batch of 500
    await kinesis.createStream('large-records', 1);
    const records = Array.from({ length: 300 }, (_, i) => Buffer.alloc(24_000, i % 256));
    // PutRecords takes at most 5 MB a call.
    for (let i = 0; i < records.length; i += 150)
      await writeRecords(kinesis, 'large-records', records.slice(i, i + 150));

    // when
    const invocations = await runUntil(
      'large-records',
      { batchSize: 500, batchingWindowSeconds: 0 },
      (handled) => handled.reduce((sum, event) => sum + event.Records.length, 0) >= 300,
    );

    // then: every record handed over once, in invocations whose JSON stays under 6 MB
    expect(invocations.reduce((sum, event) => sum + event.Records.length, 0)).toBe(300);
    expect(invocations.length).toBeGreaterThan(1);
    for (const event of invocations)
      expect(Buffer.byteLength(JSON.stringify(event))).toBeLessThanOrEqual(6 * 1024 * 1024);
  });
});

describe("the local event source runner against Lambda's documented behaviour", () => {
  let kinesis: LocalKinesis;
  beforeAll(async () => {
    kinesis = await startLocalKinesis();
  });
  afterAll(() => kinesis?.close());

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const shardsOf = async (stream: string) =>
    (await kinesis.client.send(new ListShardsCommand({ StreamName: stream }))).Shards ?? [];
  const whenActive = async (stream: string) => {
    while (
      (await kinesis.client.send(new DescribeStreamSummaryCommand({ StreamName: stream }))).StreamDescriptionSummary
        ?.StreamStatus !== 'ACTIVE'
    )
      await sleep(20);
  };

  it('hands over every record once through a split and a merge under load, each parent before its children', async () => {
    // given: a two-shard stream and a runner reading it
    const stream = 'resharding';
    await kinesis.createStream(stream, 2);
    const directory = await mkdtemp(join(tmpdir(), 'runner-'));
    const handled: { shardId: string; data: string }[] = [];
    const runner = new EventSourceRunner({
      name: 'consumer',
      client: kinesis.client,
      streamName: stream,
      settings: { ...mappingSettings(Dev.consumers.flagStatus), batchSize: 50, batchingWindowSeconds: 0 },
      handler: (event) => {
        for (const record of event.Records)
          handled.push({
            shardId: record.eventID.split(':')[0]!,
            data: Buffer.from(record.kinesis.data, 'base64').toString(),
          });
        return Promise.resolve({ batchItemFailures: [] });
      },
      checkpointFile: join(directory, 'checkpoint.json'),
      failureDestinationFile: join(directory, 'failures.jsonl'),
      pollIntervalMs: 20,
      shardDiscoveryMs: 100,
    });
    await runner.start();

    // when: records keep arriving while shard 0 splits, and one of its children merges with shard 1
    const written: string[] = [];
    const writeSome = async (round: number) => {
      const records = Array.from({ length: 40 }, (_, i) => `round-${round}-record-${i}`);
      await kinesis.client.send(
        new PutRecordsCommand({
          StreamName: stream,
          Records: records.map((data, i) => ({ Data: Buffer.from(data), PartitionKey: `key-${round}-${i}` })),
        }),
      );
      written.push(...records);
    };
    let round = 0;
    for (; round < 3; round++) await writeSome(round);
    const [first, second] = await shardsOf(stream);
    const split = 2n ** 126n;
    await kinesis.client.send(
      new SplitShardCommand({ StreamName: stream, ShardToSplit: first!.ShardId!, NewStartingHashKey: String(split) }),
    );
    await whenActive(stream);
    for (; round < 6; round++) await writeSome(round);
    const children = (await shardsOf(stream)).filter((shard) => shard.ParentShardId === first!.ShardId);
    const upper = children.find((shard) => shard.HashKeyRange!.StartingHashKey === String(split))!;
    await kinesis.client.send(
      new MergeShardsCommand({
        StreamName: stream,
        ShardToMerge: upper.ShardId!,
        AdjacentShardToMerge: second!.ShardId!,
      }),
    );
    await whenActive(stream);
    for (; round < 9; round++) await writeSome(round);
    const deadline = Date.now() + 20_000;
    while (handled.length < written.length && Date.now() < deadline) await sleep(20);
    await sleep(300);
    await runner.stop();

    // then: nothing lost, nothing twice, and no child record before the last record of each of its parents
    expect(handled.map((each) => each.data).sort()).toEqual([...written].sort());
    const shards = await shardsOf(stream);
    expect(shards).toHaveLength(5);
    const position = (shardId: string, last: boolean) =>
      last
        ? handled.map((each) => each.shardId).lastIndexOf(shardId)
        : handled.findIndex((each) => each.shardId === shardId);
    for (const shard of shards) {
      const parents = [shard.ParentShardId, shard.AdjacentParentShardId].filter((id): id is string => !!id);
      for (const parent of parents)
        if (position(shard.ShardId!, false) !== -1)
          expect(position(parent, true)).toBeLessThan(position(shard.ShardId!, false));
    }
    expect(runner.stats.shardsFinished).toBe(3);
  });

  it('retries throttled invocations without counting attempts, until every shard is done', async () => {
    // given: four shards and a function that allows one invocation at a time
    const stream = 'throttled';
    await kinesis.createStream(stream, 4);
    const records = Array.from({ length: 200 }, (_, i) => Buffer.from(`record-${i}`));
    await writeRecords(kinesis, stream, records);
    const directory = await mkdtemp(join(tmpdir(), 'runner-'));
    const bundle = join(directory, 'index.js');
    await writeFile(
      bundle,
      `exports.handler = async (event) => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        return { batchItemFailures: [], data: event.Records.map((r) => Buffer.from(r.kinesis.data, 'base64').toString()) };
      };`,
    );
    const fn = new LocalFunction({
      name: 'one-at-a-time',
      bundle,
      timeoutSeconds: 5,
      memoryMb: 128,
      concurrency: 1,
      logFile: join(directory, 'function.log'),
    });
    const handled: string[] = [];
    const version = fn.version('1', {});
    const runner = new EventSourceRunner({
      name: 'one-at-a-time',
      client: kinesis.client,
      streamName: stream,
      // One retry allowed: a throttle counted as an attempt would soon send records to the failure destination.
      settings: { ...mappingSettings(Dev.consumers.flagStatus), batchSize: 10, maxRetryAttempts: 1 },
      handler: async (event) => {
        const answer = (await version(event)) as { data: string[] };
        handled.push(...answer.data);
        return { batchItemFailures: [] };
      },
      checkpointFile: join(directory, 'checkpoint.json'),
      failureDestinationFile: join(directory, 'failures.jsonl'),
      pollIntervalMs: 20,
    });

    // when
    await runner.start();
    const deadline = Date.now() + 30_000;
    while (handled.length < records.length && Date.now() < deadline) await sleep(20);
    await runner.stop();
    await fn.stop();

    // then
    expect(handled.sort()).toEqual(records.map(String).sort());
    expect(runner.stats.throttles).toBeGreaterThan(0);
    expect(fn.stats.peakConcurrency).toBe(1);
    expect(runner.stats).toMatchObject({ recordsFailed: 0, recordsSentToFailureDestination: 0 });
  });

  it('hands a function the documented Kinesis event and records a failed batch as the documented invocation record', async () => {
    // given: a function that always fails, one retry, and two records on one shard
    await kinesis.createStream('contract', 1);
    await kinesis.client.send(
      new PutRecordsCommand({
        StreamName: 'contract',
        Records: [
          { Data: Buffer.from('first'), PartitionKey: 'key-a' },
          { Data: Buffer.from('second'), PartitionKey: 'key-b' },
        ],
      }),
    );
    const directory = await mkdtemp(join(tmpdir(), 'runner-'));
    const events: KinesisStreamEvent[] = [];
    const runner = new EventSourceRunner({
      name: 'always-fails',
      client: kinesis.client,
      streamName: 'contract',
      streamArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/contract',
      settings: { ...mappingSettings(Dev.consumers.flagStatus), maxRetryAttempts: 1, bisectBatchOnError: false },
      handler: (event) => {
        events.push(event);
        return Promise.reject(new Error('asked to fail'));
      },
      checkpointFile: join(directory, 'checkpoint.json'),
      failureDestinationFile: join(directory, 'failures.jsonl'),
      pollIntervalMs: 20,
    });

    // when
    await runner.start();
    const deadline = Date.now() + 10_000;
    while (runner.stats.recordsSentToFailureDestination < 2 && Date.now() < deadline) await sleep(20);
    await runner.stop();

    // then: each record as Lambda's Kinesis event source delivers it (field by field, written here by hand)
    expect(events).toHaveLength(2);
    const [first, second] = events[0]!.Records;
    const sequenceOf = (eventID: string) => eventID.slice(eventID.indexOf(':') + 1);
    expect(first).toEqual({
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `shardId-000000000000:${sequenceOf(first!.eventID)}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: expect.stringMatching(/^arn:aws:iam::\d{12}:role\/.+/) as string,
      awsRegion: 'us-east-1',
      eventSourceARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/contract',
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: 'key-a',
        sequenceNumber: sequenceOf(first!.eventID),
        data: Buffer.from('first').toString('base64'),
        approximateArrivalTimestamp: expect.any(Number) as number,
      },
    });
    // Seconds with a fraction, as Lambda sends it, not milliseconds.
    expect(Math.abs(first!.kinesis.approximateArrivalTimestamp - Date.now() / 1000)).toBeLessThan(60);
    expect(second!.kinesis.partitionKey).toBe('key-b');
    // and the on-failure destination gets Lambda's invocation record, naming the records without carrying them
    const failures = (await readFile(join(directory, 'failures.jsonl'), 'utf8')).trim().split('\n');
    expect(failures).toHaveLength(1);
    expect(JSON.parse(failures[0]!)).toEqual({
      requestContext: {
        requestId: expect.any(String) as string,
        functionArn: expect.stringMatching(/^arn:aws:lambda:[^:]+:\d{12}:function:always-fails$/) as string,
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 2,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: expect.any(String) as string,
      KinesisBatchInfo: {
        shardId: 'shardId-000000000000',
        startSequenceNumber: first!.kinesis.sequenceNumber,
        endSequenceNumber: second!.kinesis.sequenceNumber,
        approximateArrivalOfFirstRecord: new Date(first!.kinesis.approximateArrivalTimestamp * 1000).toISOString(),
        approximateArrivalOfLastRecord: new Date(second!.kinesis.approximateArrivalTimestamp * 1000).toISOString(),
        batchSize: 2,
        streamArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/contract',
      },
    });
  });
});
