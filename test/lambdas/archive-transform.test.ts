import { randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { FirehoseTransformationEvent } from 'aws-lambda';
import {
  createRecordPacker,
  DEFAULT_RECORD_BYTE_CAP,
  encodeEnvelope,
  encodeEvent,
  RECORD_COMPRESSIONS,
  v1,
} from '../../codec/event-codec';
import { transformArchiveRecords } from '../../lambdas/archive-transform/handler';
import { startLocalKinesis, LocalKinesis } from '../support/local-kinesis';
import { customEvent, featureEvent, identifyEvent, summaryEvent } from '../support/sdk-payloads';
import {
  firehoseEventFrom,
  firehoseEventOf,
  packPayloads,
  readLambdaEvents,
  writePayloads,
} from '../support/stream-events';
import { FIREHOSE_BUFFER_OVERSHOOT, TRANSFORM_BUFFER_BYTES, WORST_TRANSFORM_EXPANSION } from '../../lib/archive-layout';
import { ARCHIVE_COLUMNS, archiveLineProblems } from '../../lib/archive-schema';

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
    gunzipSync(Buffer.from(data ?? '', 'base64'))
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
      tags: null,
      wrapper: null,
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

  it('archives every kind current SDKs send, with the fields each carries and the headers of its payload', async () => {
    // given: one payload of the kinds and fields beyond evaluations, custom events and contexts, as SDKs send them
    const at = 1_795_000_000_100;
    const context = { kind: 'user', key: 'user-9', name: 'Nine' };
    const evaluation = { key: 'db-migration', value: 'off', default: 'off', reason: { kind: 'FALLTHROUGH' } };
    const measurements = [{ key: 'latency_ms', values: { old: 12.5 } }];
    const sdkEvents = [
      { kind: 'migration_op', creationDate: at, operation: 'read', context, evaluation, measurements },
      {
        kind: 'alias',
        creationDate: at,
        key: 'known',
        contextKind: 'user',
        previousKey: 'anon',
        previousContextKind: 'anonymousUser',
      },
      {
        kind: 'click',
        creationDate: at,
        key: 'goal-c',
        url: 'https://a.example/p',
        selector: 'button.buy',
        contextKeys: { user: 'user-9' },
      },
      {
        kind: 'pageview',
        creationDate: at,
        key: 'goal-p',
        url: 'https://a.example/p',
        contextKeys: { user: 'user-9' },
      },
      { kind: 'custom', creationDate: at, key: 'clicked', contextKeys: { user: 'user-9' }, url: 'https://a.example/p' },
      { kind: 'summary', startDate: at, endDate: at + 1, features: {}, context },
    ];
    const stream = 'archive-kinds';
    await kinesis.createStream(stream, 1);
    await writePayloads(kinesis, stream, [
      { environmentId: 'env-k', events: sdkEvents, headers: { tags: 'application-id/shop', wrapper: 'react/3.0.0' } },
    ]);

    // when
    const { response } = transformArchiveRecords(firehoseEventFrom(await readLambdaEvents(kinesis, stream)));

    // then
    const lines = response.records.flatMap((r) => linesOf(r.data));
    const contexts = [
      { kind: 'user', key: 'user-9', name: 'Nine', anonymous: false, attributes: null, redactedAttributes: [] },
    ];
    const byUserKeys = { contexts: null, contextKeys: [{ kind: 'user', key: 'user-9' }] };
    expect(lines.map(({ kind, tags, wrapper }) => ({ kind, tags, wrapper }))).toEqual(
      ['migration_op', 'alias', 'click', 'pageview', 'custom', 'summary'].map((kind) => ({
        kind,
        tags: 'application-id/shop',
        wrapper: 'react/3.0.0',
      })),
    );
    expect(lines[0]).toMatchObject({
      creationDate: at,
      operation: 'read',
      contexts,
      contextKeys: null,
      evaluation,
      measurements,
    });
    expect(lines[1]).toMatchObject({
      key: 'known',
      contextKind: 'user',
      previousKey: 'anon',
      previousContextKind: 'anonymousUser',
    });
    expect(lines[2]).toMatchObject({
      key: 'goal-c',
      url: 'https://a.example/p',
      selector: 'button.buy',
      ...byUserKeys,
    });
    expect(lines[3]).toMatchObject({ key: 'goal-p', url: 'https://a.example/p', ...byUserKeys });
    expect(lines[4]).toMatchObject({ key: 'clicked', url: 'https://a.example/p', ...byUserKeys });
    expect(lines[5]).toMatchObject({ startDate: at, endDate: at + 1, flags: [], contexts });
  });

  it('writes every field of every kind, absent ones as null or empty, never dropped or defaulted', () => {
    // given: events with fields left out (no version, variation, name or context kinds) next to ones set
    const at = 1_795_000_000_100;
    const events = [
      { kind: 'feature', creationDate: at, key: 'f', value: true, contextKeys: { user: 'u' } },
      {
        kind: 'debug',
        creationDate: at,
        key: 'f',
        version: 2,
        variation: 0,
        value: false,
        default: true,
        context: { kind: 'user', key: 'u', anonymous: true, _meta: { redactedAttributes: ['email'] } },
      },
      {
        kind: 'identify',
        creationDate: at,
        context: { kind: 'org', key: 'o', name: 'Org', _meta: { redactedAttributes: ['plan'] } },
      },
      {
        kind: 'summary',
        startDate: at,
        endDate: at + 5,
        features: {
          f: { default: false, counters: [{ value: true, count: 2, unknown: true }] },
          g: { default: 1, contextKinds: ['user'], counters: [{ value: 2, variation: 1, version: 3, count: 1 }] },
        },
      },
    ];
    const records = packPayloads([{ environmentId: 'env-l', events }]);
    const input = firehoseEventOf(records, 'fields', at);

    // when
    const lines = transformArchiveRecords(input).response.records.flatMap((r) => linesOf(r.data));

    // then: each line whole, written out by hand from the SDK events above
    const envelope = {
      environmentId: 'env-l',
      receivedAt: 1_795_000_000_000,
      payloadId: 'payload-0',
      sdk: 'NodeJSClient/9.0.0',
      endpoint: 'server',
      tags: null,
      wrapper: null,
    };
    const evaluation = { creationDate: at, key: 'f', reason: null, prereqOf: null };
    expect(lines).toEqual([
      {
        ...envelope,
        ...evaluation,
        kind: 'feature',
        version: null,
        variation: null,
        value: true,
        default: null,
        contexts: null,
        contextKeys: [{ kind: 'user', key: 'u' }],
      },
      {
        ...envelope,
        ...evaluation,
        kind: 'debug',
        version: 2,
        variation: 0,
        value: false,
        default: true,
        contexts: [
          { kind: 'user', key: 'u', name: null, anonymous: true, attributes: null, redactedAttributes: ['email'] },
        ],
        contextKeys: null,
      },
      {
        ...envelope,
        kind: 'identify',
        creationDate: at,
        contexts: [
          { kind: 'org', key: 'o', name: 'Org', anonymous: false, attributes: null, redactedAttributes: ['plan'] },
        ],
      },
      {
        ...envelope,
        kind: 'summary',
        creationDate: 0,
        startDate: at,
        endDate: at + 5,
        flags: [
          {
            key: 'f',
            default: false,
            contextKinds: [],
            counters: [{ value: true, variation: null, version: null, count: 2, unknown: true }],
          },
          {
            key: 'g',
            default: 1,
            contextKinds: ['user'],
            counters: [{ value: 2, variation: 1, version: 3, count: 1, unknown: false }],
          },
        ],
        contexts: null,
      },
    ]);
  });

  it('writes only lines the archive table reads: every field a column, of its type, and every column some kind’s', () => {
    // given: every kind SDKs send, with every field each may carry set
    const at = 1_795_000_000_100;
    const context = {
      kind: 'multi',
      user: { key: 'u-1', name: 'Ada', anonymous: false, plan: 'pro', _meta: { redactedAttributes: ['email'] } },
      org: { key: 'o-1' },
    };
    const evaluation = { version: 3, variation: 1, value: { theme: 'dark' }, default: null, reason: { kind: 'OFF' } };
    const sdkEvents = [
      { kind: 'feature', creationDate: at, key: 'f', ...evaluation, prereqOf: 'g', context },
      { kind: 'debug', creationDate: at, key: 'f', ...evaluation, contextKeys: { user: 'u-1' } },
      {
        kind: 'custom',
        creationDate: at,
        key: 'buy',
        data: [1, 'a'],
        metricValue: 9.5,
        url: 'https://a.example',
        context,
      },
      { kind: 'identify', creationDate: at, context },
      { kind: 'index', creationDate: at, context },
      {
        kind: 'summary',
        startDate: at,
        endDate: at + 1,
        features: {
          f: { default: 'x', contextKinds: ['user'], counters: [{ value: 'y', variation: 0, version: 3, count: 4 }] },
        },
        context,
      },
      {
        kind: 'migration_op',
        creationDate: at,
        operation: 'write',
        context,
        evaluation: { key: 'm', value: 'off' },
        measurements: [],
      },
      {
        kind: 'alias',
        creationDate: at,
        key: 'k',
        contextKind: 'user',
        previousKey: 'a',
        previousContextKind: 'anonymousUser',
      },
      {
        kind: 'click',
        creationDate: at,
        key: 'c',
        url: 'https://a.example',
        selector: 'a.b',
        contextKeys: { user: 'u-1' },
      },
      { kind: 'pageview', creationDate: at, key: 'p', url: 'https://a.example', context },
    ];
    const records = packPayloads([
      { environmentId: 'env-a', events: sdkEvents, headers: { tags: 'application-id/shop', wrapper: 'react/3' } },
    ]);
    // Diagnostic events come on an endpoint of their own, not in a bulk payload.
    const packer = createRecordPacker((record) => records.push(Buffer.from(record)), DEFAULT_RECORD_BYTE_CAP, 'none');
    packer.append(encodeEnvelope({ environmentId: 'env-a', receivedAtMs: at, payloadId: 'p-d', endpoint: 1 }), [
      encodeEvent({ creationDateMs: at, diagnostic: { bodyJson: '{"kind":"diagnostic","droppedEvents":0}' } }),
    ]);
    packer.flush();

    // when
    const { response } = transformArchiveRecords(firehoseEventOf(records, 'all-kinds'));

    // then
    const lines = response.records.flatMap((record) =>
      gunzipSync(Buffer.from(record.data ?? '', 'base64'))
        .toString('utf8')
        .split('\n')
        .filter((line) => line !== ''),
    );
    expect(lines).toHaveLength(sdkEvents.length + 1);
    expect(lines.flatMap((line) => archiveLineProblems(line))).toEqual([]);
    const fields = new Set(lines.flatMap((line) => Object.keys(JSON.parse(line) as object)));
    expect([...fields].sort()).toEqual(Object.keys(ARCHIVE_COLUMNS).sort());
  });

  it('names what a line holds that the table cannot read', () => {
    expect(archiveLineProblems('{"kind":"feature","variation":"1","colour":"red","contexts":[{"key":7}]}')).toEqual([
      'variation should be an int, got a string',
      'colour is not a column of the archive table',
      'contexts[0].key should be a string, got a number',
    ]);
  });

  it('writes a diagnostic body as it came, and an endpoint from a newer producer as unspecified', () => {
    // given: a record from a producer that knows an endpoint this transform does not, holding a diagnostic event
    const body = '{"kind":"diagnostic","id":{"diagnosticId":"d-1"},"droppedEvents":0}';
    const records: Buffer[] = [];
    const packer = createRecordPacker((record) => records.push(Buffer.from(record)), DEFAULT_RECORD_BYTE_CAP, 'none');
    const endpointOfANewerSchema = 9 as v1.Endpoint;
    packer.append(
      encodeEnvelope({ environmentId: 'env-d', receivedAtMs: 7, payloadId: 'p-d', endpoint: endpointOfANewerSchema }),
      [encodeEvent({ creationDateMs: 8, diagnostic: { bodyJson: body } })],
    );
    packer.flush();

    // when
    const lines = transformArchiveRecords(firehoseEventOf(records, 'diagnostic')).response.records.flatMap((r) =>
      linesOf(r.data),
    );

    // then
    expect(lines).toEqual([
      {
        environmentId: 'env-d',
        receivedAt: 7,
        payloadId: 'p-d',
        sdk: '/',
        endpoint: 'unspecified',
        tags: null,
        wrapper: null,
        kind: 'diagnostic',
        creationDate: 8,
        body: JSON.parse(body) as unknown,
      },
    ]);
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

  it('answers every record Ok at the largest input Firehose hands it at the stack’s buffer hint, for the smallest event of every kind', () => {
    // given: for each kind, records full of its smallest event as SDKs send it, under the headers of an SDK
    // configured with an application and a wrapper: the lines that outgrow their protobuf most, as each line
    // repeats the payload's envelope that the record carries once; and custom data of control characters, which JSON
    // writes six bytes each; in both record formats
    const headers = {
      tags: 'application-id/checkout-web application-version/2.14.1',
      wrapper: 'react-client-sdk/3.8.1',
    };
    const context = { kind: 'user', key: 'user-8f3a2c' };
    const contextKeys = { user: 'user-8f3a2c' };
    const at = 1_795_000_000_000;
    let seed = 1;
    const controlCharacters = () =>
      Array.from({ length: 300 }, () => {
        seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
        return String.fromCharCode((seed >>> 16) % 32);
      }).join('');
    const smallest: Record<string, (i: number) => object> = {
      escaped: (i) => ({ kind: 'custom', creationDate: at + i, key: 'k', contextKeys, data: controlCharacters() }),
      feature: (i) => ({
        kind: 'feature',
        creationDate: at + i,
        key: 'checkout',
        version: 3,
        variation: 1,
        value: true,
        default: false,
        contextKeys,
      }),
      custom: (i) => ({ kind: 'custom', creationDate: at + i, key: 'purchase', contextKeys }),
      identify: (i) => ({ kind: 'identify', creationDate: at + i, context }),
      index: (i) => ({ kind: 'index', creationDate: at + i, context }),
      summary: (i) => ({
        kind: 'summary',
        startDate: at,
        endDate: at + i,
        features: { checkout: { default: false, counters: [{ value: true, variation: 1, version: 3, count: 1 }] } },
      }),
      click: (i) => ({
        kind: 'click',
        creationDate: at + i,
        key: 'buy',
        url: 'https://a.example/',
        selector: 'button',
        contextKeys,
      }),
      pageview: (i) => ({
        kind: 'pageview',
        creationDate: at + i,
        key: 'home',
        url: 'https://a.example/',
        contextKeys,
      }),
      alias: (i) => ({
        kind: 'alias',
        creationDate: at + i,
        key: 'user-8f3a2c',
        contextKind: 'user',
        previousKey: 'anon-1',
        previousContextKind: 'anonymousUser',
      }),
    };
    const cases = Object.entries(smallest).flatMap(([kind, make]) =>
      RECORD_COMPRESSIONS.map((compression) => [`${kind} (${compression})`, make, compression] as const),
    );
    const measured = cases.map(([kind, make, compression]) => {
      const packed = packPayloads(
        Array.from({ length: 8 }, (_, p) => ({
          environmentId: 'env-6f1d0c2b9a8e7f6d5c4b3a29',
          payloadId: `0b8e6c4a-2f1d-4e3c-9b7a-${String(p).padStart(12, '0')}`,
          headers,
          events: Array.from({ length: 2_000 }, (_, e) => make(e)),
        })),
        compression,
      );
      const expansion = Math.max(
        ...packed.map((record) => {
          const [answer] = transformArchiveRecords(firehoseEventOf([record], `smallest-${kind}`, at)).response.records;
          expect({ kind, result: answer!.result }).toEqual({ kind, result: 'Ok' });
          return Buffer.from(answer!.data!, 'base64').length / record.length;
        }),
      );
      return { packed, expansion };
    });
    const worst = measured.reduce((most, each) => (each.expansion > most.expansion ? each : most));
    const records: Buffer[] = [];
    for (let i = 0, bytes = 0; bytes < TRANSFORM_BUFFER_BYTES * FIREHOSE_BUFFER_OVERSHOOT; i++) {
      records.push(worst.packed[i % worst.packed.length]!);
      bytes += worst.packed[i % worst.packed.length]!.length;
    }

    // when: the records that outgrow most fill the largest input Firehose hands the transform
    const { response, overBudgetRecords } = transformArchiveRecords(firehoseEventOf(records, 'largest', at));

    // then: nothing lands raw under the error prefix
    expect(overBudgetRecords).toBe(0);
    expect(response.records.filter((each) => each.result !== 'Ok')).toEqual([]);
    expect(Buffer.byteLength(JSON.stringify(response))).toBeLessThan(6 * 1024 * 1024);
    // and: the stated worst case is the measured one, not a loose bound
    expect(worst.expansion).toBeLessThanOrEqual(WORST_TRANSFORM_EXPANSION);
    expect(worst.expansion).toBeGreaterThan(WORST_TRANSFORM_EXPANSION * 0.85);
  });

  it('archives an event of 900 KB, alone in its record, within the answer Lambda can return', () => {
    // given: the largest kind of record the producer writes, one event in a record of its own (random base64, which
    // compression shrinks only by a quarter)
    const blob = randomBytes(675_000).toString('base64');
    const [record] = packPayloads([{ environmentId: 'env-large', events: [{ ...customEvent(9), data: { blob } }] }]);
    const input = firehoseEventOf([record!], 'large-event');

    // when
    const { response } = transformArchiveRecords(input);

    // then
    expect(record!.length).toBeGreaterThan(600_000);
    expect(response.records.map((each) => each.result)).toEqual(['Ok']);
    const [line] = linesOf(response.records[0]!.data);
    expect(line).toMatchObject({ environmentId: 'env-large', kind: 'custom', data: { blob } });
    expect(Buffer.byteLength(JSON.stringify(response))).toBeLessThan(6 * 1024 * 1024);
  });

  /**
   * A record's share of the answer, counted apart from the handler: its JSON lines as a GZIP member at level 1, in
   * base64, plus 160 bytes around.
   */
  const answerBytesOf = (record: FirehoseTransformationEvent['records'][number]) =>
    gzipSync(
      linesOf(transformArchiveRecords({ ...event, records: [record] }).response.records[0]!.data)
        .map((line) => `${JSON.stringify(line)}\n`)
        .join(''),
      { level: 1 },
    ).toString('base64').length + 160;

  it('counts every record it answered against the budget: an Ok one by its answer, a failed one by its data', () => {
    // given: two records' answers counted independently (their GZIP JSON lines in base64 plus 160 bytes around them),
    // and a corrupt record that decodes to nothing
    const [large, small] = [...event.records].sort((a, b) => answerBytesOf(b) - answerBytesOf(a));
    const corrupt = { ...large!, recordId: 'corrupt', data: Buffer.from('not a record').toString('base64') };
    const results = (records: FirehoseTransformationEvent['records'], budget: number) =>
      transformArchiveRecords({ ...event, records }, budget).response.records.map((each) => each.result);

    // then: after an Ok record, its answer; after a corrupt or an over-budget one, its data
    expect(results([large!, small!], answerBytesOf(large!) + answerBytesOf(small!))).toEqual(['Ok', 'Ok']);
    expect(results([large!, small!], answerBytesOf(large!) + answerBytesOf(small!) - 1)).toEqual([
      'Ok',
      'ProcessingFailed',
    ]);
    const afterCorrupt = corrupt.data.length + 160 + answerBytesOf(small!);
    expect(results([corrupt, small!], afterCorrupt)).toEqual(['ProcessingFailed', 'Ok']);
    expect(results([corrupt, small!], afterCorrupt - 1)).toEqual(['ProcessingFailed', 'ProcessingFailed']);
    // an over-budget record counts too, so the smaller one after it, which alone would fit, does not slip in
    expect(answerBytesOf(small!)).toBeLessThan(answerBytesOf(large!) - 1);
    expect(results([large!, small!], answerBytesOf(large!) - 1)).toEqual(['ProcessingFailed', 'ProcessingFailed']);
  });

  it('fails the whole invocation on anything but a corrupt record, so Firehose retries instead of setting data aside', () => {
    // given: a record whose data is missing, which no Firehose event carries: an error of the platform, not the record
    const broken = { ...event.records[0]!, data: undefined as unknown as string };

    // when / then
    expect(() => transformArchiveRecords({ ...event, records: [broken] })).toThrow(
      /first argument must be of type string/,
    );
  });

  it('answers Ok while the answer stays within its budget, to the byte, and ProcessingFailed past it', () => {
    // given: the budget one record's answer needs, counted independently: its GZIP JSON lines in base64 plus 160
    // bytes of {"recordId":…,"result":…,"data":…} around them
    const answerBytes = event.records.map(answerBytesOf);
    const exactly = answerBytes[0]!;

    // when: a budget of exactly the first record's answer, then one byte less
    const fits = transformArchiveRecords(event, exactly);
    const short = transformArchiveRecords(event, exactly - 1);

    // then: a failed record still counts its raw data against the budget, so nothing after it slips in
    expect(fits.response.records[0]!.result).toBe('Ok');
    expect(fits.response.records.slice(1).map((r) => r.result)).toEqual(
      event.records.slice(1).map(() => 'ProcessingFailed'),
    );
    expect(fits.overBudgetRecords).toBe(event.records.length - 1);
    expect(short.response.records.map((r) => r.result)).toEqual(event.records.map(() => 'ProcessingFailed'));
    expect(short.response.records.map((r) => r.data)).toEqual(event.records.map((r) => r.data));
  });
});
