import type { FirehoseTransformationEvent } from 'aws-lambda';
import { transformArchiveRecords } from '../../lambdas/archive-transform/handler';
import { startLocalKinesis, LocalKinesis } from '../support/local-kinesis';
import { customEvent, featureEvent, identifyEvent, summaryEvent } from '../support/sdk-payloads';
import { firehoseEventFrom, readLambdaEvents, writePayloads } from '../support/stream-events';

describe('archive-transform', () => {
  let kinesis: LocalKinesis;
  let event: FirehoseTransformationEvent;

  beforeAll(async () => {
    kinesis = await startLocalKinesis();
    await kinesis.createStream('archive', 2);
    await writePayloads(kinesis, 'archive', [
      { environmentId: 'env-a', events: [featureEvent(1), customEvent(2), identifyEvent(3)] },
      {
        environmentId: 'env-b',
        events: [summaryEvent(4), { kind: 'index', creationDate: 5, context: { kind: 'device', key: 'd-1' } }],
      },
    ]);
    event = firehoseEventFrom(await readLambdaEvents(kinesis, 'archive'));
  });

  afterAll(async () => {
    await kinesis.close();
  });

  const linesOf = (data: string | undefined) =>
    Buffer.from(data ?? '', 'base64')
      .toString('utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  it('turns every record into newline-delimited JSON with stable field names and the environment id', () => {
    const { response, events } = transformArchiveRecords(event);

    expect(response.records.map((r) => r.result)).toEqual(event.records.map(() => 'Ok'));
    expect(response.records.map((r) => r.recordId)).toEqual(event.records.map((r) => r.recordId));
    const lines = response.records.flatMap((r) => linesOf(r.data));
    expect(events).toBe(5);
    const byKind = Object.fromEntries(lines.map((line) => [line.kind, line])) as Record<
      string,
      Record<string, unknown>
    >;
    expect(byKind.feature).toEqual({
      environmentId: 'env-a',
      kind: 'feature',
      creationDate: 1_795_000_000_001,
      receivedAt: 1_795_000_000_000,
      payloadId: 'payload-0',
      sdk: 'NodeJSClient/9.0.0',
      endpoint: 'server',
      key: 'flag-1',
      version: 3,
      variation: 1,
      value: false,
      default: false,
      reason: null,
      prereqOf: null,
      contexts: [
        { kind: 'user', key: 'user-1', name: 'User 1', anonymous: false, attributes: null, redactedAttributes: [] },
      ],
      contextKeys: null,
    });
    expect(byKind.custom).toMatchObject({ key: 'checkout-completed', data: { cart: 2 }, metricValue: 12.5 });
    expect(byKind.identify).toMatchObject({
      contexts: [{ kind: 'user', attributes: { plan: 'pro' } }, { kind: 'org' }],
    });
    expect(byKind.summary).toMatchObject({
      environmentId: 'env-b',
      flags: [
        {
          key: 'flag-1',
          counters: [{ value: true, variation: 1, version: 3, count: 10, unknown: false }, { count: 4 }],
        },
      ],
    });
    expect(byKind.index).toMatchObject({ contexts: [{ kind: 'device', key: 'd-1' }] });
  });

  it('answers a corrupt record ProcessingFailed with its data untouched, and the rest Ok', () => {
    const poisoned = {
      ...event,
      records: event.records.map((r, i) => (i === 0 ? { ...r, data: Buffer.from('junk').toString('base64') } : r)),
    };

    const { response, corruptRecords } = transformArchiveRecords(poisoned);

    expect(corruptRecords).toBe(1);
    expect(response.records[0]).toEqual({
      recordId: poisoned.records[0]!.recordId,
      result: 'ProcessingFailed',
      data: poisoned.records[0]!.data,
    });
    expect(response.records.slice(1).every((r) => r.result === 'Ok')).toBe(true);
  });

  it('keeps the response under the budget by failing what does not fit', () => {
    const firstSize = (transformArchiveRecords(event).response.records[0]!.data ?? '').length;

    const { response, overBudgetRecords } = transformArchiveRecords(event, firstSize + 200);

    expect(response.records[0]!.result).toBe('Ok');
    expect(overBudgetRecords).toBe(event.records.length - 1);
    expect(response.records.slice(1).every((r) => r.result === 'ProcessingFailed')).toBe(true);
  });
});
