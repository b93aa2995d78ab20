import { createHash } from 'node:crypto';
import Ajv from 'ajv';
import type { KinesisStreamEvent } from 'aws-lambda';
import { ExportDestination } from '../../lambdas/exporter/destinations';
import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import {
  assumedRoleCredentials,
  CredentialSource,
  DestinationWriters,
  STAND_IN_CREDENTIALS,
} from '../../lambdas/exporter/destination-writer';
import { ExportBacklog } from '../../lambdas/exporter/export-backlog';
import { Exporter, ExporterSettings } from '../../lambdas/exporter/exporter';
import { FilePoisonSink } from '../../lambdas/shared/poison-sink';
import exportedEventSchema from '../../schemas/exported-event.schema.json';
import { startFaultyKinesisProxy } from '../support/faulty-kinesis-proxy';
import { startLocalKinesis, LocalKinesis } from '../support/local-kinesis';
import { startLocalS3, LocalS3 } from '../support/local-s3';
import { startMotoServer } from '../support/moto-server';
import { customEvent, featureEvent, identifyEvent, summaryEvent } from '../support/sdk-payloads';
import { readLambdaEvents, SdkPayload, writePayloads } from '../support/stream-events';

const BUCKET = 'export-backlog';

/** What a customer's reader expects of one exported event, computed from the SDK payloads alone. */
interface ExpectedExport {
  exportId: string;
  environmentId: string;
  payloadId: string;
  kind: string;
  creationDate: number;
  key: string | null;
}

/** The export id as the customer's documentation defines it: SHA-256 of environment, payload id and position. */
function documentedExportId(environmentId: string, payloadId: string, position: number): string {
  return createHash('sha256').update(`${environmentId}\n${payloadId}\n${position}`).digest('base64url').slice(0, 22);
}

function expectedExports(payloads: readonly SdkPayload[], environmentId: string): ExpectedExport[] {
  return payloads.flatMap((payload, i) =>
    payload.environmentId !== environmentId
      ? []
      : payload.events.map((raw, position) => {
          const event = raw as { kind: string; creationDate?: number; startDate?: number; key?: string };
          return {
            exportId: documentedExportId(environmentId, `payload-${i}`, position),
            environmentId,
            payloadId: `payload-${i}`,
            kind: event.kind,
            creationDate: event.creationDate ?? 0,
            key: event.key ?? null,
          };
        }),
  );
}

/** What the customer's reader sees of one exported record, in the oracle's terms. */
const seenExport = (record: Record<string, unknown>): ExpectedExport => ({
  exportId: record.exportId as string,
  environmentId: record.environmentId as string,
  payloadId: record.payloadId as string,
  kind: record.kind as string,
  creationDate: record.creationDate as number,
  key: (record.key as string | undefined) ?? null,
});

const byExportId = (a: ExpectedExport, b: ExpectedExport) => a.exportId.localeCompare(b.exportId);

function destination(id: string, environment: string, overrides: Partial<ExportDestination> = {}): ExportDestination {
  return {
    id,
    environment,
    kind: 'kinesis',
    region: 'us-east-1',
    streamArn: `arn:aws:kinesis:us-east-1:111111111111:stream/${id}`,
    roleArn: `arn:aws:iam::111111111111:role/${id}-export`,
    externalId: `${id}-external-id`,
    ...overrides,
  };
}

describe('the exporter', () => {
  let source: LocalKinesis;
  let customers: LocalKinesis;
  let s3: LocalS3;
  let streamNumber = 0;
  const validate = new Ajv({ allErrors: true }).compile(exportedEventSchema);
  const closers: (() => Promise<void> | void)[] = [];

  beforeAll(async () => {
    [source, customers, s3] = await Promise.all([startLocalKinesis(), startLocalKinesis(), startLocalS3(BUCKET)]);
  });

  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  afterAll(async () => {
    await Promise.all([source.close(), customers.close(), s3.close()]);
  });

  /** Writes the payloads to a fresh source stream and reads them back as the mapping hands them over. */
  async function sourceBatches(payloads: readonly SdkPayload[]): Promise<KinesisStreamEvent[]> {
    const stream = `export-source-${++streamNumber}`;
    await source.createStream(stream, 2);
    await writePayloads(source, stream, payloads);
    return readLambdaEvents(source, stream, 5);
  }

  /** An exporter whose destinations are streams of the customers' kinesalite, each reached at its own endpoint. */
  async function exporterFor(
    destinations: ExportDestination[],
    options: { endpoints?: Record<string, string>; credentials?: CredentialSource; now?: () => number } = {},
  ) {
    for (const each of destinations) await customers.createStream(`${streamNumber}-${each.id}`, 1);
    const writers = new DestinationWriters((each) => ({
      credentials: options.credentials ?? STAND_IN_CREDENTIALS,
      endpoint: options.endpoints?.[each.id] ?? customers.endpoint,
      baseBackoffMs: 10,
    }));
    closers.push(() => writers.close());
    const named = destinations.map((each) => ({
      ...each,
      streamArn: each.streamArn.replace(/stream\/.*$/, `stream/${streamNumber}-${each.id}`),
    }));
    const settings: ExporterSettings = {
      destinations: named,
      backlog: new ExportBacklog(s3.client, BUCKET, `backlog-${streamNumber}/`),
      writer: writers.get,
      poison: new FilePoisonSink(`/tmp/exporter-poison-${process.pid}.jsonl`),
      pauseProbeMs: 1_000,
      now: options.now,
    };
    return { exporter: new Exporter(settings), read: (id: string) => exportedIn(`${streamNumber}-${id}`) };
  }

  /** Every record of a customer's stream, parsed, with any that break the schema reported. */
  async function exportedIn(stream: string) {
    const shards = await customers.readRecords(stream);
    const records = shards
      .flatMap((shard) => shard.data)
      .map((data) => JSON.parse(data.toString()) as Record<string, unknown>);
    const invalid = records
      .filter((record) => !validate(record))
      .map((record) => ({ record, errors: validate.errors }));
    const unique = new Map(records.map((record) => [record.exportId as string, record]));
    const seen = [...unique.values()].map(seenExport);
    return { records, invalid, unique: seen.sort(byExportId) };
  }

  it('writes each event of the environment as the documented JSON, one record each, with its export id', async () => {
    // given: payloads of two environments with every kind a server-side SDK sends, and one destination
    const payloads: SdkPayload[] = Array.from({ length: 12 }, (_, p) => ({
      environmentId: p % 3 === 2 ? 'env-other' : 'env-exported',
      events: [featureEvent(p * 10), customEvent(p * 10 + 1), identifyEvent(p * 10 + 2), { ...summaryEvent(p) }],
    }));
    const batches = await sourceBatches(payloads);
    const { exporter, read } = await exporterFor([destination('acme', 'env-exported')]);

    // when
    for (const batch of batches) expect((await exporter.exportBatch(batch)).response.batchItemFailures).toEqual([]);

    // then: every record valid against the schema, each of the environment's events once, nothing of the other
    const exported = await read('acme');
    expect(exported.invalid).toEqual([]);
    expect(exported.records).toHaveLength(exported.unique.length);
    expect(exported.unique).toEqual(expectedExports(payloads, 'env-exported').sort(byExportId));
    expect(exporter.destinationStates()[0]).toMatchObject({ state: 'flowing', backlogObjects: 0 });
  });

  it('sends a destination that names flags only their evaluations and summaries, cut to those flags', async () => {
    // given: evaluations of flags 0 to 49 and summaries of flag-1, to a destination that wants flag-1 and flag-7
    const payloads: SdkPayload[] = [
      {
        environmentId: 'env-flags',
        events: [
          ...Array.from({ length: 20 }, (_, i) => featureEvent(i)),
          customEvent(100),
          {
            ...summaryEvent(1),
            features: { ...summaryEvent(1).features, 'flag-9': { default: 0, contextKinds: ['user'], counters: [] } },
          },
        ],
      },
    ];
    const batches = await sourceBatches(payloads);
    const { exporter, read } = await exporterFor([destination('flags', 'env-flags', { flags: ['flag-1', 'flag-7'] })]);

    // when
    for (const batch of batches) await exporter.exportBatch(batch);

    // then
    const { records, invalid } = await read('flags');
    expect(invalid).toEqual([]);
    const features = records.filter((record) => record.kind === 'feature').map((record) => record.key);
    expect(features.sort()).toEqual(['flag-1', 'flag-7']);
    const summaries = records.filter((record) => record.kind === 'summary');
    expect(summaries.map((record) => (record.flags as { key: string }[]).map((flag) => flag.key))).toEqual([
      ['flag-1'],
    ]);
    expect(records.filter((record) => record.kind === 'custom')).toEqual([]);
  });

  it('lets a throttled destination lag while another keeps flowing, then catches it up with nothing missing', async () => {
    // given: one destination behind a proxy that holds its one shard to 64 KiB/s, and one fine destination
    const payloads: SdkPayload[] = Array.from({ length: 20 }, (_, p) => ({
      environmentId: 'env-busy',
      events: Array.from({ length: 25 }, (_, i) => featureEvent(p * 25 + i)),
    }));
    const batches = await sourceBatches(payloads);
    const proxy = await startFaultyKinesisProxy(customers.endpoint, 1);
    closers.push(() => proxy.close());
    Object.assign(proxy.faults, { throttlePerShard: true, shardBytesPerSecond: 64 * 1024 });
    const { exporter, read } = await exporterFor(
      [destination('throttled', 'env-busy'), destination('fine', 'env-busy')],
      { endpoints: { throttled: proxy.endpoint } },
    );

    // when: every batch exported, then the backlog sent until it is empty
    for (const batch of batches) expect((await exporter.exportBatch(batch)).response.batchItemFailures).toEqual([]);
    const [throttledAfterBatches, fineAfterBatches] = exporter.destinationStates().map((state) => ({ ...state }));
    const fineDirect = (await read('fine')).unique.length;
    for (let round = 0; round < 60 && exporter.destinationStates()[0]!.state !== 'flowing'; round++) {
      await exporter.drainBacklogs(Date.now() + 1_000);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    // then: the fine one had everything straight away; the throttled one lagged, then caught up, each event once
    const expected = expectedExports(payloads, 'env-busy').sort(byExportId);
    expect(fineAfterBatches).toMatchObject({ state: 'flowing', backlogObjects: 0 });
    expect(fineAfterBatches!.counters).toMatchObject({ delivered: expected.length, keptInBacklog: 0 });
    expect(fineDirect).toBe(expected.length);
    expect(throttledAfterBatches!.state).toBe('lagging');
    expect(throttledAfterBatches!.counters.keptInBacklog).toBeGreaterThan(0);
    expect(proxy.stats.entriesThrottled).toBeGreaterThan(0);
    const throttled = exporter.destinationStates()[0]!;
    expect(throttled).toMatchObject({ state: 'flowing', backlogObjects: 0 });
    expect(throttled.counters.delivered + throttled.counters.deliveredFromBacklog).toBe(expected.length);
    expect((await read('throttled')).unique).toEqual(expected);
    expect((await read('fine')).unique).toEqual(expected);
  });

  it('pauses a destination whose role is refused, with that reason, and resumes with nothing missing once fixed', async () => {
    // given: STS refuses the role (the credential seam fails as AssumeRole does), and a clock the test moves
    let refused = true;
    const credentials: CredentialSource = async (each) => {
      if (refused)
        throw Object.assign(new Error(`User is not authorized to perform: sts:AssumeRole on ${each.roleArn}`), {
          name: 'AccessDenied',
        });
      return STAND_IN_CREDENTIALS(each);
    };
    let nowMs = Date.now();
    const payloads: SdkPayload[] = Array.from({ length: 6 }, (_, p) => ({
      environmentId: 'env-revoked',
      events: Array.from({ length: 10 }, (_, i) => featureEvent(p * 10 + i)),
    }));
    const batches = await sourceBatches(payloads);
    const { exporter, read } = await exporterFor([destination('revoked', 'env-revoked')], {
      credentials,
      now: () => nowMs,
    });

    // when: the batches arrive while the role is refused
    for (const batch of batches) expect((await exporter.exportBatch(batch)).response.batchItemFailures).toEqual([]);
    const paused = { ...exporter.destinationStates()[0]! };
    // and when: the customer fixes the trust policy, and the pause's probe time comes
    refused = false;
    nowMs += 1_001;
    await exporter.drainBacklogs(Date.now() + 10_000);

    // then
    expect(paused.state).toBe('paused');
    expect(paused.reason).toContain('AccessDenied');
    expect(paused.counters).toMatchObject({ delivered: 0, keptInBacklog: 60 });
    expect(exporter.destinationStates()[0]).toMatchObject({ state: 'flowing', backlogObjects: 0 });
    expect((await read('revoked')).unique).toEqual(expectedExports(payloads, 'env-revoked').sort(byExportId));
  });

  it('writes a Firehose destination as newline-delimited records, assuming its role through STS, each event once', async () => {
    // given: moto's STS answering AssumeRole, and a delivery stream to an S3 bucket in the role's (customer's) account
    const moto = await startMotoServer();
    closers.push(() => moto.close());
    const acme = destination('acme', 'env-firehose', {
      kind: 'firehose',
      streamArn: 'arn:aws:firehose:us-east-1:111111111111:deliverystream/acme-events',
    });
    const sts = new STSClient(moto.clientConfig);
    const credentials = assumedRoleCredentials(sts);
    const asCustomer = { ...moto.clientConfig, credentials: await credentials(acme) };
    const ours = new S3Client({ ...moto.clientConfig, forcePathStyle: true });
    const theirs = new S3Client({ ...asCustomer, forcePathStyle: true });
    const firehose = new FirehoseClient(asCustomer);
    closers.push(() => [ours, theirs, firehose, sts].forEach((client) => client.destroy()));
    await ours.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await theirs.send(new CreateBucketCommand({ Bucket: 'customer-bucket' }));
    await firehose.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: 'acme-events',
        ExtendedS3DestinationConfiguration: {
          BucketARN: 'arn:aws:s3:::customer-bucket',
          RoleARN: 'arn:aws:iam::111111111111:role/firehose-delivery',
          Prefix: 'events/',
        },
      }),
    );
    const payloads: SdkPayload[] = Array.from({ length: 8 }, (_, p) => ({
      environmentId: p % 4 === 3 ? 'env-other' : 'env-firehose',
      events: [featureEvent(p * 10), customEvent(p * 10 + 1), { ...summaryEvent(p) }],
    }));
    const batches = await sourceBatches(payloads);
    const writers = new DestinationWriters(() => ({ credentials, endpoint: moto.endpoint }));
    closers.push(() => writers.close());
    const exporter = new Exporter({
      destinations: [acme],
      backlog: new ExportBacklog(ours, BUCKET),
      writer: writers.get,
      poison: new FilePoisonSink(`/tmp/exporter-poison-${process.pid}.jsonl`),
    });

    // when
    for (const batch of batches) expect((await exporter.exportBatch(batch)).response.batchItemFailures).toEqual([]);

    // then: the delivered objects' lines are the environment's events, each once, each as the schema says
    const listed = await theirs.send(new ListObjectsV2Command({ Bucket: 'customer-bucket', Prefix: 'events/' }));
    const lines: Record<string, unknown>[] = [];
    for (const object of listed.Contents ?? []) {
      const body = await theirs.send(new GetObjectCommand({ Bucket: 'customer-bucket', Key: object.Key }));
      const text = await body.Body!.transformToString();
      expect(text.endsWith('\n')).toBe(true);
      lines.push(
        ...text
          .trimEnd()
          .split('\n')
          .map((line) => JSON.parse(line) as Record<string, unknown>),
      );
    }
    expect(lines.filter((line) => !validate(line))).toEqual([]);
    const seen = lines.map(seenExport);
    expect(seen.sort(byExportId)).toEqual(expectedExports(payloads, 'env-firehose').sort(byExportId));
    expect(exporter.destinationStates()[0]).toMatchObject({ state: 'flowing', backlogObjects: 0 });
  });
});
