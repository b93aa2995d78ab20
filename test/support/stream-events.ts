import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import type { FirehoseTransformationEvent, KinesisStreamEvent } from 'aws-lambda';
import {
  createRecordPacker,
  DEFAULT_RECORD_BYTE_CAP,
  encodeEnvelope,
  encodePayloadEvents,
  EnvelopeFields,
  RecordCompression,
} from '../../codec/event-codec';
import { lambdaKinesisRecord } from '../../lambdas/shared/kinesis-batch';
import { readSdkPayload } from '../../producer/sdk-events';
import { LocalKinesis } from './local-kinesis';

export interface SdkPayload {
  readonly environmentId: string;
  readonly events: unknown[];
  readonly receivedAtMs?: number;
  /** The X-LaunchDarkly-Payload-ID the SDK sent. @default `payload-<index>` */
  readonly payloadId?: string;
  /** The X-LaunchDarkly-Tags and X-LaunchDarkly-Wrapper headers the SDK sent. */
  readonly headers?: Pick<EnvelopeFields, 'tags' | 'wrapper'>;
}

/**
 * Packs SDK payloads with the real mapping and codec into records, one or more per payload, compressed as the
 * producer writes them unless told otherwise.
 */
export function packPayloads(
  payloads: readonly SdkPayload[],
  compression: RecordCompression = 'deflate-raw',
): Buffer[] {
  const records: Buffer[] = [];
  const packer = createRecordPacker(
    (record) => records.push(Buffer.from(record)),
    DEFAULT_RECORD_BYTE_CAP,
    compression,
  );
  payloads.forEach((payload, i) => {
    const envelope: EnvelopeFields = {
      environmentId: payload.environmentId,
      receivedAtMs: payload.receivedAtMs ?? 1_795_000_000_000,
      payloadId: payload.payloadId ?? `payload-${i}`,
      sdkName: 'NodeJSClient',
      sdkVersion: '9.0.0',
      endpoint: 1,
      ...payload.headers,
    };
    packer.append(encodeEnvelope(envelope), encodePayloadEvents(readSdkPayload(payload.events).events));
    packer.flush();
  });
  return records;
}

/** Packs SDK payloads and writes them to a kinesalite stream; returns the records. */
export async function writePayloads(
  kinesis: LocalKinesis,
  stream: string,
  payloads: readonly SdkPayload[],
): Promise<Buffer[]> {
  const records = packPayloads(payloads);
  await writeRecords(kinesis, stream, records);
  return records;
}

/** Writes records as they are: a second call with the same records is Kinesis keeping a write whose answer was lost. */
export async function writeRecords(kinesis: LocalKinesis, stream: string, records: readonly Buffer[]): Promise<void> {
  for (let i = 0; i < records.length; i += 500) {
    await kinesis.client.send(
      new PutRecordsCommand({
        StreamName: stream,
        Records: records.slice(i, i + 500).map((data, j) => ({ Data: data, PartitionKey: `key-${i + j}` })),
      }),
    );
  }
}

/** Reads a shard from its start and shapes the records as Lambda's Kinesis event source mapping delivers them. */
export async function readLambdaEvents(
  kinesis: LocalKinesis,
  stream: string,
  batchSize = 100,
): Promise<KinesisStreamEvent[]> {
  const { StreamDescription } = await kinesis.client.send(new DescribeStreamCommand({ StreamName: stream }));
  const batches: KinesisStreamEvent[] = [];
  for (const shard of StreamDescription?.Shards ?? []) {
    let { ShardIterator: iterator } = await kinesis.client.send(
      new GetShardIteratorCommand({ StreamName: stream, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    while (iterator) {
      const page = await kinesis.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: batchSize }));
      if ((page.Records ?? []).length === 0) break;
      const streamArn = `arn:aws:kinesis:us-east-1:000000000000:stream/${stream}`;
      batches.push({
        Records: page.Records!.map((record) => lambdaKinesisRecord(shard.ShardId!, record, streamArn, 'consumer')),
      });
      iterator = page.NextShardIterator;
    }
  }
  return batches;
}

const DELIVERY_STREAM_ARN = 'arn:aws:firehose:us-east-1:000000000000:deliverystream/archive';

/** Records handed to the transformation Lambda as Firehose hands them, with no stream behind them: ids 0, 1, 2… */
export function firehoseEventOf(
  records: readonly Buffer[],
  invocationId: string,
  arrivalMs = 1_795_000_000_000,
): FirehoseTransformationEvent {
  return {
    invocationId,
    deliveryStreamArn: DELIVERY_STREAM_ARN,
    region: 'us-east-1',
    records: records.map((data, i) => ({
      recordId: String(i),
      approximateArrivalTimestamp: arrivalMs,
      data: data.toString('base64'),
    })),
  };
}

/** The same records as Firehose hands them to a transformation Lambda when the stream is its source. */
export function firehoseEventFrom(batches: readonly KinesisStreamEvent[]): FirehoseTransformationEvent {
  return {
    invocationId: 'invocation-1',
    deliveryStreamArn: DELIVERY_STREAM_ARN,
    region: 'us-east-1',
    records: batches.flatMap((batch) =>
      batch.Records.map((record, i) => ({
        recordId: `${record.kinesis.sequenceNumber}-${i}`,
        approximateArrivalTimestamp: record.kinesis.approximateArrivalTimestamp * 1000,
        data: record.kinesis.data,
        kinesisRecordMetadata: {
          shardId: record.eventID.split(':')[0]!,
          partitionKey: record.kinesis.partitionKey,
          approximateArrivalTimestamp: record.kinesis.approximateArrivalTimestamp * 1000,
          sequenceNumber: record.kinesis.sequenceNumber,
          subsequenceNumber: '0',
        },
      })),
    ),
  };
}

/** A batch with one record replaced by bytes that are no EventBatch. */
export function withPoisonRecord(batch: KinesisStreamEvent, index: number): KinesisStreamEvent {
  const records = batch.Records.map((record, i) =>
    i === index
      ? { ...record, kinesis: { ...record.kinesis, data: Buffer.from('not a protobuf batch').toString('base64') } }
      : record,
  );
  return { Records: records };
}
