import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { KinesisStreamEvent } from 'aws-lambda';
import { LocalArchive } from '../../local/local-archive';
import { LocalFunction } from '../../local/lambda-function';

// A transform written for these tests alone: each record's text says how to answer it, and SHAPE_FILE keeps the
// last event it was given, so the tests see what Firehose's contract says a transform receives and may answer.
const TEST_TRANSFORM = `
const { writeFileSync } = require('node:fs');
const { gzipSync } = require('node:zlib');
let invocationsHere = 0;
exports.handler = async (event) => {
  invocationsHere++;
  writeFileSync(process.env.SHAPE_FILE, JSON.stringify(event));
  const records = [];
  for (const record of event.records) {
    const text = Buffer.from(record.data, 'base64').toString('utf8');
    if (text === 'throw' || (text === 'flaky' && invocationsHere === 1)) throw new Error('asked to fail');
    if (text === 'drop') records.push({ recordId: record.recordId, result: 'Dropped' });
    else if (text === 'fail') records.push({ recordId: record.recordId, result: 'ProcessingFailed', data: record.data });
    else if (text === 'omit') continue;
    else if (text === 'no-data') records.push({ recordId: record.recordId, result: 'Ok' });
    else if (text === 'bad-result') records.push({ recordId: record.recordId, result: 'Fine', data: record.data });
    else {
      const data = gzipSync(text + '\\n').toString('base64');
      records.push({ recordId: record.recordId, result: 'Ok', data });
      if (text === 'twice') records.push({ recordId: record.recordId, result: 'Ok', data });
      if (text === 'stranger') records.push({ recordId: 'not-given', result: 'Ok', data });
    }
  }
  return { records };
};`;

const STREAM_ARN = 'arn:aws:kinesis:us-east-1:000000000000:stream/events';
const ARRIVAL_SECONDS = 1_795_000_000.123;

/** A batch shaped by hand as Lambda's Kinesis event source delivers it, one record per text. */
function kinesisBatch(texts: readonly string[]): KinesisStreamEvent {
  return {
    Records: texts.map((text, i) => ({
      eventID: `shardId-000000000003:4959000000000000000000000000000000000000000000000000${i}`,
      eventName: 'aws:kinesis:record',
      eventSource: 'aws:kinesis',
      eventSourceARN: STREAM_ARN,
      eventVersion: '1.0',
      awsRegion: 'us-east-1',
      invokeIdentityArn: 'arn:aws:iam::000000000000:role/reader',
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: `partition-${i}`,
        sequenceNumber: `4959000000000000000000000000000000000000000000000000${i}`,
        data: Buffer.from(text).toString('base64'),
        approximateArrivalTimestamp: ARRIVAL_SECONDS,
      },
    })),
  };
}

async function linesUnder(directory: string): Promise<string[]> {
  const names = await readdir(directory, { recursive: true }).catch(() => [] as string[]);
  // Data objects are GZIP members as the transform answered them; error objects are JSON lines, as Firehose writes.
  const files = names.filter((name) => name.endsWith('.ndjson.gz') || name.endsWith('.json')).sort();
  const texts = await Promise.all(
    files.map(async (name) => {
      const content = await readFile(join(directory, name));
      return name.endsWith('.gz') ? gunzipSync(content) : content;
    }),
  );
  return texts.flatMap((text) =>
    text
      .toString('utf8')
      .split('\n')
      .filter((line) => line !== ''),
  );
}

describe('the local archive keeps to the Firehose data-transformation contract', () => {
  let directory: string;
  let bundle: string;
  const running: { archive: LocalArchive; fn: LocalFunction }[] = [];

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'local-archive-'));
    bundle = join(directory, 'transform.js');
    await writeFile(bundle, TEST_TRANSFORM);
  });
  afterEach(async () => {
    for (const { archive, fn } of running.splice(0)) {
      await archive.stop();
      await fn.stop();
    }
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  const startArchive = (name: string) => {
    const archiveDirectory = join(directory, name);
    const shapeFile = join(directory, `${name}.event.json`);
    const fn = new LocalFunction({
      name: 'test-transform',
      bundle,
      timeoutSeconds: 5,
      memoryMb: 256,
      concurrency: 1,
      logFile: join(directory, `${name}.log`),
    });
    const archive = new LocalArchive({
      directory: archiveDirectory,
      environment: 'test',
      bufferBytes: 1024 * 1024,
      bufferSeconds: 60,
      transform: fn.version('1', { SHAPE_FILE: shapeFile }),
      transformArn: 'arn:aws:lambda:local:000000000000:function:test-transform:1',
      transformRetries: 3,
      sourceStreamArn: STREAM_ARN,
    });
    running.push({ archive, fn });
    const delivered = async () => {
      await archive.flush();
      return {
        lines: await linesUnder(join(archiveDirectory, 'events')),
        errors: (await linesUnder(join(archiveDirectory, 'errors'))).map(
          (line) => JSON.parse(line) as Record<string, unknown>,
        ),
      };
    };
    const lastEvent = async () => JSON.parse(await readFile(shapeFile, 'utf8')) as Record<string, unknown>;
    return { archive, fn, delivered, lastEvent };
  };

  it('hands the transform a Firehose event: its own record ids, arrival in milliseconds, the Kinesis metadata', async () => {
    const { archive, lastEvent } = startArchive('shape');

    await archive.deliver(kinesisBatch(['one', 'two']));

    const event = await lastEvent();
    expect(Object.keys(event).sort()).toEqual(
      ['deliveryStreamArn', 'invocationId', 'records', 'region', 'sourceKinesisStreamArn'].sort(),
    );
    expect(event.deliveryStreamArn).toMatch(/^arn:aws:firehose:[^:]+:\d{12}:deliverystream\/.+/);
    expect(event.sourceKinesisStreamArn).toBe(STREAM_ARN);
    const records = event.records as Record<string, unknown>[];
    expect(records.map((record) => Object.keys(record).sort())).toEqual(
      records.map(() => ['approximateArrivalTimestamp', 'data', 'kinesisRecordMetadata', 'recordId']),
    );
    expect(new Set(records.map((record) => record.recordId)).size).toBe(2);
    expect(records.map((record) => record.approximateArrivalTimestamp)).toEqual([1_795_000_000_123, 1_795_000_000_123]);
    expect(records.map((record) => Buffer.from(record.data as string, 'base64').toString())).toEqual(['one', 'two']);
    expect(records[1]!.kinesisRecordMetadata).toEqual({
      shardId: 'shardId-000000000003',
      partitionKey: 'partition-1',
      approximateArrivalTimestamp: 1_795_000_000_123,
      sequenceNumber: '49590000000000000000000000000000000000000000000000001',
      subsequenceNumber: '0',
    });
  });

  it('archives Ok records, counts Dropped ones without keeping them, and writes ProcessingFailed ones as errors', async () => {
    const { archive, delivered } = startArchive('results');

    await archive.deliver(kinesisBatch(['kept-1', 'drop', 'fail', 'kept-2']));

    const { lines, errors } = await delivered();
    expect(lines).toEqual(['kept-1', 'kept-2']);
    expect(archive.stats).toMatchObject({ lines: 2, droppedRecords: 1, failedRecords: 1, failedInvocations: 0 });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toEqual({
      attemptsMade: 1,
      arrivalTimestamp: 1_795_000_000_123,
      errorCode: 'Lambda.ProcessingFailed',
      errorMessage: expect.any(String) as string,
      attemptEndingTimestamp: expect.any(Number) as number,
      rawData: Buffer.from('fail').toString('base64'),
      lambdaArn: 'arn:aws:lambda:local:000000000000:function:test-transform:1',
    });
  });

  it.each([
    ['a record left out of the answer', 'omit', 'Lambda.MissingRecordId'],
    ['a record answered twice', 'twice', 'Lambda.DuplicatedRecordId'],
    ['a record id it was not given', 'stranger', 'Lambda.UnknownRecordId'],
    ['an Ok record without data', 'no-data', 'Lambda.InvalidData'],
    ['a result that is not Ok, Dropped or ProcessingFailed', 'bad-result', 'Lambda.InvalidResult'],
  ])('fails the whole batch on %s, keeping every record as an error', async (_, text, errorCode) => {
    const { archive, delivered } = startArchive(`contract-${text}`);

    await archive.deliver(kinesisBatch(['fine', text]));

    const { lines, errors } = await delivered();
    expect(lines).toEqual([]);
    expect(errors.map((error) => [error.errorCode, Buffer.from(error.rawData as string, 'base64').toString()])).toEqual(
      [
        [errorCode, 'fine'],
        [errorCode, text],
      ],
    );
  });

  it('retries a failed invocation three times, then keeps the batch as errors and goes on', async () => {
    const { archive, fn, delivered } = startArchive('throws');

    await archive.deliver(kinesisBatch(['before', 'throw']));
    await archive.deliver(kinesisBatch(['after']));

    const { lines, errors } = await delivered();
    expect(fn.stats.invocations).toBe(5);
    expect(archive.stats.failedInvocations).toBe(4);
    expect(errors.map((error) => [error.errorCode, error.attemptsMade])).toEqual([
      ['Lambda.FunctionError', 4],
      ['Lambda.FunctionError', 4],
    ]);
    expect(lines).toEqual(['after']);
  });

  it('archives a batch whose first invocation failed and whose retry succeeded', async () => {
    const { archive, delivered } = startArchive('flaky');

    await archive.deliver(kinesisBatch(['flaky', 'steady']));

    const { lines, errors } = await delivered();
    expect(lines).toEqual(['flaky', 'steady']);
    expect(errors).toEqual([]);
    expect(archive.stats.failedInvocations).toBe(1);
  });
});
