import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KinesisStreamEvent } from 'aws-lambda';
import { Dev } from '../../lib/config/environments';
import { EventSourceRunner, MappingSettings } from '../../local/event-source-runner';
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
