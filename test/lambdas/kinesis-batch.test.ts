import type { _Record } from '@aws-sdk/client-kinesis';
import type { KinesisStreamEvent } from 'aws-lambda';
import {
  compareSequenceNumbers,
  decodeKinesisBatch,
  eventRecordBytes,
  INVOCATION_PAYLOAD_BYTES,
  withinInvocationLimit,
} from '../../lambdas/shared/kinesis-batch';
import { featureEvent } from '../support/sdk-payloads';
import { packPayloads } from '../support/stream-events';

describe('a Kinesis batch as Lambda hands it over', () => {
  it('decodes each record with the shard its event id names, and sets a corrupt one aside with its bytes', () => {
    // given: records in Lambda's documented event shape, written here by hand
    const [good] = packPayloads([{ environmentId: 'env-k', events: [featureEvent(1)] }]);
    const lambdaRecord = (eventID: string, data: string, sequenceNumber: string) => ({
      eventID,
      eventName: 'aws:kinesis:record',
      eventVersion: '1.0',
      eventSource: 'aws:kinesis',
      eventSourceARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/events',
      awsRegion: 'us-east-1',
      invokeIdentityArn: 'arn:aws:iam::000000000000:role/consumer',
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: 'p',
        sequenceNumber,
        data,
        approximateArrivalTimestamp: 1_795_000_000.123,
      },
    });
    const event: KinesisStreamEvent = {
      Records: [
        lambdaRecord('shardId-000000000007:495903382714902566', good!.toString('base64'), '495903382714902566'),
        lambdaRecord('no-separator', Buffer.from('junk').toString('base64'), '495903382714902567'),
      ],
    };

    // when
    const { records, corrupt } = decodeKinesisBatch(event);

    // then
    expect(records.map(({ shardId, sequenceNumber, arrivalMs }) => ({ shardId, sequenceNumber, arrivalMs }))).toEqual([
      { shardId: 'shardId-000000000007', sequenceNumber: '495903382714902566', arrivalMs: 1_795_000_000_123 },
    ]);
    expect(records[0]!.events.map((e) => e.kind)).toEqual(['feature']);
    expect(corrupt).toEqual([
      {
        shardId: 'unknown-shard',
        sequenceNumber: '495903382714902567',
        arrivalMs: 1_795_000_000_123,
        reason: expect.stringMatching(/not a readable EventBatch|format version/) as string,
        data: Buffer.from('junk').toString('base64'),
      },
    ]);
  });

  it('orders sequence numbers of up to 128 bits without losing precision', () => {
    const numbers = [
      '49590338271490256608559692538361571095921575989136588899',
      '9',
      '49590338271490256608559692538361571095921575989136588898',
      '10',
      '10',
    ];
    expect([...numbers].sort(compareSequenceNumbers)).toEqual([
      '9',
      '10',
      '10',
      '49590338271490256608559692538361571095921575989136588898',
      '49590338271490256608559692538361571095921575989136588899',
    ]);
    expect([
      compareSequenceNumbers('10', '10'),
      compareSequenceNumbers('11', '12'),
      compareSequenceNumbers('12', '11'),
    ]).toEqual([0, -1, 1]);
  });

  it('takes as many leading records as one 6 MiB invocation carries, and always one', () => {
    // given: records whose Lambda form is a known size, base64 (4 bytes per 3) plus 600 bytes of JSON around
    const record = (bytes: number): _Record => ({ Data: new Uint8Array(bytes) }) as _Record;
    expect(eventRecordBytes(3_000)).toBe(4_600);
    const perRecord = eventRecordBytes(300_000);
    const fitting = Math.floor(INVOCATION_PAYLOAD_BYTES / perRecord);

    // then
    expect(withinInvocationLimit(Array.from({ length: fitting + 3 }, () => record(300_000)))).toHaveLength(fitting);
    expect(withinInvocationLimit(Array.from({ length: fitting }, () => record(300_000)))).toHaveLength(fitting);
    expect(withinInvocationLimit([record(7_000_000), record(10)])).toHaveLength(1);
    // two records that fill the invocation to the byte both go; a byte more and the second waits
    const rest = ((INVOCATION_PAYLOAD_BYTES - eventRecordBytes(1) - 600) * 3) / 4;
    expect(eventRecordBytes(rest) + eventRecordBytes(1)).toBe(INVOCATION_PAYLOAD_BYTES);
    expect(withinInvocationLimit([record(rest), record(1)])).toHaveLength(2);
    expect(withinInvocationLimit([record(rest + 1), record(1)])).toHaveLength(1);
  });
});
