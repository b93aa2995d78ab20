import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { decodeRecord, LARGE_EVENT_RECORD_BYTE_CAP, v1 } from '../../codec/event-codec';
import { RunningProducer } from '../../producer/producer';
import type { DropReason } from '../../producer/sdk-events';
import { startLocalKinesis, LocalKinesis } from '../support/local-kinesis';
import { postEvents, startTestProducer, TEST_TENANTS } from '../support/producer-harness';
import { customEvent, featureEvent, mixedPayload, summaryEvent } from '../support/sdk-payloads';

const STREAM = 'events-api-test';
const dateOf = (n: number) => featureEvent(n).creationDate;

// Path, headers, and the endpoint the envelope must name (Endpoint in proto/events/v1/events.proto).
const ENDPOINTS: [string, Record<string, string>, number][] = [
  ['/bulk', { authorization: TEST_TENANTS.healthy.sdkKey }, 1],
  ['/mobile/events', { authorization: `api_key ${TEST_TENANTS.healthy.mobileKey}` }, 2],
  [`/events/bulk/${TEST_TENANTS.healthy.clientSideId}`, {}, 3],
  ['/bulk', { authorization: TEST_TENANTS.healthy.sdkKey, 'content-encoding': 'gzip' }, 1],
];

describe('events API over HTTP, writing to kinesalite', () => {
  let kinesis: LocalKinesis;
  let producer: RunningProducer;

  beforeAll(async () => {
    kinesis = await startLocalKinesis();
    await kinesis.createStream(STREAM, 4);
    producer = await startTestProducer(kinesis.client, STREAM);
  });

  afterAll(async () => {
    await producer?.drainAndStop();
    await kinesis?.close();
  });

  async function drainedEvents() {
    expect(await producer.writer.flush(5_000)).toBe(true);
    return (await kinesis.readAll(STREAM)).events;
  }

  it('delivers every accepted event exactly once across all shards, from every endpoint', async () => {
    // given
    const payloads = Array.from({ length: 40 }, (_, p) => mixedPayload(p * 1000, 50));

    // when
    const answers = await Promise.all(
      payloads.map((payload, p) => {
        const [path, headers] = ENDPOINTS[p % 4]!;
        const body = headers['content-encoding'] ? gzipSync(JSON.stringify(payload)) : payload;
        return postEvents(producer.url, body, { ...headers, 'user-agent': 'NodeJSClient/9.1.0' }, path);
      }),
    );
    const events = await drainedEvents();

    // then
    expect(answers.map((a) => a.status)).toEqual(payloads.map(() => 202));
    const dates = events.map((e) => Number(e.event.creationDateMs)).sort((a, b) => a - b);
    const expected = payloads.flatMap((payload) => payload.map((e) => e.creationDate)).sort((a, b) => a - b);
    expect(dates).toEqual(expected);
    expect(new Set(events.map((e) => e.envelope.environmentId))).toEqual(new Set([TEST_TENANTS.healthy.environmentId]));
    expect(events[0]!.envelope).toMatchObject({ sdkName: 'NodeJSClient', sdkVersion: '9.1.0' });
    const identify = events.find((e) => e.kind === 'identify')!.event.identify!;
    expect(identify.context!.contexts!.map((c) => [c.kind, c.redactedAttributes])).toEqual([
      ['user', ['email']],
      ['org', []],
    ]);
    const { records, partitionKeys: keys } = await kinesis.readAll(STREAM);
    expect(Math.max(...records.map((r) => r.length))).toBeLessThanOrEqual(25_000);
    // Each event is labelled with the endpoint its payload came through.
    const endpointOf = new Map(
      payloads.flatMap((payload, p) => payload.map((e) => [e.creationDate, ENDPOINTS[p % 4]![2]] as const)),
    );
    const labels = events.map((e) => [Number(e.event.creationDateMs), e.envelope.endpoint]);
    expect(labels).toEqual(labels.map(([date]) => [date, endpointOf.get(date!)]));
    // Each record has a partition key of its own, so records spread over every shard whatever the tenant.
    expect(keys.length).toBe(records.length);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('acknowledges a payload retried with the same payload id without writing it twice', async () => {
    // given
    const headers = { authorization: TEST_TENANTS.healthy.sdkKey, 'x-launchdarkly-payload-id': 'retry-me-1' };
    const before = (await kinesis.readAll(STREAM)).events.length;

    // when
    const first = await postEvents(producer.url, [featureEvent(9_000_001)], headers);
    const retry = await postEvents(producer.url, [featureEvent(9_000_001)], headers);
    const events = await drainedEvents();

    // then
    expect([first.status, retry.status]).toEqual([202, 202]);
    expect(retry.body).toMatchObject({ duplicate: true });
    expect(events.length - before).toBe(1);
    expect(events.filter((e) => e.envelope.payloadId === 'retry-me-1')).toHaveLength(1);
  });

  it('writes a payload once when a retry arrives while the first attempt is still being handled', async () => {
    // given: two copies of one gzipped payload, sent at once (gzip makes each handler wait on the thread pool)
    const headers = {
      authorization: TEST_TENANTS.healthy.sdkKey,
      'x-launchdarkly-payload-id': 'concurrent-retry-1',
      'content-encoding': 'gzip',
    };
    const body = gzipSync(JSON.stringify(mixedPayload(8_000_000, 50)));
    const before = (await kinesis.readAll(STREAM)).events.length;

    // when
    const answers = await Promise.all([
      postEvents(producer.url, body, headers),
      postEvents(producer.url, body, headers),
    ]);
    const events = await drainedEvents();

    // then
    expect(answers.map((a) => a.status)).toEqual([202, 202]);
    expect(answers.filter((a) => a.body.duplicate === true)).toHaveLength(1);
    expect(events.length - before).toBe(50);
  });

  it('keeps a summary event whole', async () => {
    await postEvents(producer.url, [summaryEvent(42)], {
      authorization: TEST_TENANTS.healthy.sdkKey,
      'x-launchdarkly-payload-id': 'summary-1',
    });
    const summary = (await drainedEvents()).find((e) => e.envelope.payloadId === 'summary-1')!.event.summary!;
    expect(summary.flags![0]).toMatchObject({ key: 'flag-1', contextKinds: ['user'] });
    expect(summary.flags![0]!.counters!.map((c) => [c.valueJson, c.variation, c.count])).toEqual([
      ['true', 1, 10],
      ['false', 0, 4],
    ]);
  });

  describe('a payload that cannot be used at all gets a 4xx JSON error naming the problem', () => {
    const cases: [string, unknown, Record<string, string>, number, RegExp][] = [
      ['malformed JSON', '[{"kind":', {}, 400, /not valid JSON/],
      ['a body that is not an array', { kind: 'feature' }, {}, 400, /body: expected a JSON array/],
      ['too many events', Array.from({ length: 10_001 }, (_, i) => featureEvent(i)), {}, 413, /10001 events exceeds/],
      ['an unknown SDK key', [featureEvent(1)], { authorization: 'sdk-nobody' }, 401, /unknown sdkKey/],
      [
        'no SDK key',
        [featureEvent(1)],
        { authorization: '' },
        401,
        /missing sdkKey: send it in the Authorization header/,
      ],

      ['a disabled environment', [featureEvent(1)], { authorization: TEST_TENANTS.disabled.sdkKey }, 429, /disabled/],
      ['an unsupported encoding', [featureEvent(1)], { 'content-encoding': 'br' }, 415, /content-encoding br/],
      ['corrupt gzip', 'not gzip at all', { 'content-encoding': 'gzip' }, 400, /not valid gzip/],
      ['an oversized body', 'x'.repeat(6 * 1024 * 1024), {}, 413, /over 5242880 bytes as sent, the limit/],
      [
        'a gzip bomb',
        gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20)),
        { 'content-encoding': 'gzip' },
        413,
        /decompresses to more than/,
      ],
    ];

    it.each(cases)('refuses %s', async (_name, body, headers, status, message) => {
      // when
      const answer = await postEvents(producer.url, body, { authorization: TEST_TENANTS.healthy.sdkKey, ...headers });

      // then
      expect(answer.status).toBe(status);
      expect(answer.body.message).toMatch(message);
      expect(typeof answer.body.error).toBe('string');
    });

    it('still serves good requests after all of them', async () => {
      const answer = await postEvents(producer.url, [featureEvent(77)]);
      expect(answer.status).toBe(202);
    });
  });

  describe('a payload with bad events is accepted with its good ones; each bad one is counted with its reason', () => {
    const deep = (depth: number): unknown => (depth === 0 ? 1 : { nested: deep(depth - 1) });
    // A bad event, the reason it is dropped for, and what the message must name.
    const cases: [string, unknown, DropReason, RegExp][] = [
      [
        'a wrong type',
        { ...featureEvent(1), key: 42 },
        'invalid_event',
        /events\[1\]\.key: expected a non-empty string, got number 42/,
      ],
      [
        'a missing key',
        { ...featureEvent(1), context: { kind: 'user' } },
        'invalid_event',
        /events\[1\]\.context\.key/,
      ],
      ['a missing kind', { creationDate: 1 }, 'invalid_event', /events\[1\]\.kind: expected a string/],
      ['not an object', 'feature', 'invalid_event', /events\[1\]: expected an object, got a string/],
      [
        'a bad timestamp',
        { ...featureEvent(1), creationDate: 'yesterday' },
        'invalid_event',
        /events\[1\]\.creationDate/,
      ],
      [
        'a negative creation date',
        { ...featureEvent(1), creationDate: -5 },
        'invalid_event',
        /events\[1\]\.creationDate: expected milliseconds since the epoch, got number -5/,
      ],
      ['an object for a key', { ...featureEvent(1), key: {} }, 'invalid_event', /events\[1\]\.key: .* got an object/],
      ['deep nesting', { ...featureEvent(1), value: deep(40) }, 'invalid_event', /events\[1\]\.value: nested deeper/],
      [
        'a key over 1,024 characters',
        { ...featureEvent(1), key: 'k'.repeat(1025) },
        'invalid_event',
        /1025 characters/,
      ],
      ['a kind no SDK sends', { kind: 'hologram', creationDate: 1 }, 'unknown_kind', /"hologram"/],
      ['an event over 1,000 KiB', { ...featureEvent(1), value: 'v'.repeat(1_100_000) }, 'too_large', /bytes encoded/],
    ];

    it.each(cases)('drops %s and keeps the events around it', async (name, bad, reason, message) => {
      // given: a good event on each side of the bad one, under a payload id of their own
      const payloadId = `partly-bad-${name}`;
      const droppedBefore = producer.metrics.droppedEvents.get(reason) ?? 0;

      // when
      const answer = await postEvents(producer.url, [featureEvent(7_100_001), bad, featureEvent(7_100_002)], {
        authorization: TEST_TENANTS.healthy.sdkKey,
        'x-launchdarkly-payload-id': payloadId,
      });
      const written = (await drainedEvents()).filter((e) => e.envelope.payloadId === payloadId);

      // then
      expect(answer.status).toBe(202);
      expect(answer.body).toEqual({
        accepted: 2,
        dropped: { [reason]: 1 },
        problems: [{ index: 1, reason, message: expect.stringMatching(message) as string }],
      });
      expect(written.map((e) => Number(e.event.creationDateMs))).toEqual([dateOf(7_100_001), dateOf(7_100_002)]);
      expect(producer.metrics.droppedEvents.get(reason)).toBe(droppedBefore + 1);
    });

    it('takes a reason of null as no reason', async () => {
      const answer = await postEvents(producer.url, [{ ...featureEvent(7_200_001), reason: null }]);
      expect(answer.body).toEqual({ accepted: 1 });
    });
  });

  it('writes a 100 KB and a 900 KB event each in a record of its own, and the small events around them as usual', async () => {
    // given: random base64, which compression shrinks only by a quarter, so neither fits a 25,000-byte record
    const payloadId = 'large-events-1';
    const hundredKb = randomBytes(75_000).toString('base64');
    const nineHundredKb = randomBytes(675_000).toString('base64');
    const payload = [
      featureEvent(7_300_001),
      { ...featureEvent(7_300_002), value: { blob: hundredKb } },
      featureEvent(7_300_003),
      { ...featureEvent(7_300_004), value: { blob: nineHundredKb } },
      featureEvent(7_300_005),
    ];

    // when
    const answer = await postEvents(producer.url, payload, {
      authorization: TEST_TENANTS.healthy.sdkKey,
      'x-launchdarkly-payload-id': payloadId,
    });
    const written = (await drainedEvents()).filter((e) => e.envelope.payloadId === payloadId);

    // then
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({ accepted: 5 });
    // Records go to shards by their own keys, so events come back in record order per shard, not payload order.
    expect(written.map((e) => Number(e.event.creationDateMs)).sort((a, b) => a - b)).toEqual(
      [7_300_001, 7_300_002, 7_300_003, 7_300_004, 7_300_005].map(dateOf),
    );
    const large = written.find((e) => Number(e.event.creationDateMs) === dateOf(7_300_004))!;
    expect(JSON.parse(large.event.feature!.valueJson!)).toEqual({ blob: nineHundredKb });
    const records = (await kinesis.readAll(STREAM)).records.map((record) => ({
      bytes: record.length,
      dates: decodeRecord(record).map((e) => Number(e.event.creationDateMs)),
    }));
    const recordOf = (sequence: number) => records.find((record) => record.dates.includes(dateOf(sequence)))!;
    expect(recordOf(7_300_004).dates).toEqual([dateOf(7_300_004)]);
    expect(recordOf(7_300_004).bytes).toBeGreaterThan(600_000);
    expect(recordOf(7_300_004).bytes).toBeLessThanOrEqual(LARGE_EVENT_RECORD_BYTE_CAP);
    expect(recordOf(7_300_002).dates).toEqual([dateOf(7_300_002)]);
    expect(recordOf(7_300_002).bytes).toBeGreaterThan(60_000);
    for (const small of [7_300_001, 7_300_003, 7_300_005]) expect(recordOf(small).bytes).toBeLessThanOrEqual(25_000);
  });

  it('rate-limits a noisy tenant with 429 and Retry-After while a healthy one is unaffected', async () => {
    // given: the limited tenant may send 20 events at once, then 2 a second
    const noisy = { authorization: TEST_TENANTS.limited.sdkKey };

    // when
    const noisyAnswers = [];
    for (let i = 0; i < 5; i++) noisyAnswers.push(await postEvents(producer.url, mixedPayload(i * 10, 10), noisy));
    const healthy = await postEvents(producer.url, mixedPayload(0, 50));
    // refused before it is parsed: malformed JSON gets the 429, not a 400
    const unparsed = await postEvents(producer.url, '[{"kind":', noisy);

    // then
    expect(noisyAnswers.map((a) => a.status)).toEqual([202, 202, 429, 429, 429]);
    expect(unparsed.status).toBe(429);
    expect(Number(noisyAnswers[2]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(noisyAnswers[2]!.body.error).toBe('rate_limited');
    expect(healthy.status).toBe(202);
  });

  describe('every event schema an SDK generation sends lands', () => {
    const auth = { authorization: TEST_TENANTS.healthy.sdkKey };
    const eventsOf = async (payloadId: string) =>
      (await drainedEvents()).filter((e) => e.envelope.payloadId === payloadId);

    /** Counts per flag and (variation, version), written apart from the API's summarizer. */
    function expectedCounts(evaluations: { key: string; variation?: number; version?: number }[]) {
      const counts: Record<string, Record<string, number>> = {};
      for (const { key, variation, version } of evaluations) {
        const field = `${variation ?? '-'}@${version ?? '-'}`;
        counts[key] = { ...counts[key], [field]: (counts[key]?.[field] ?? 0) + 1 };
      }
      return counts;
    }
    const countsIn = (summary: v1.SummaryEvent.$Properties): Record<string, Record<string, number>> =>
      Object.fromEntries(
        (summary.flags ?? []).map((flag): [string, Record<string, number>] => [
          flag.key!,
          Object.fromEntries(
            (flag.counters ?? []).map((c) => [`${c.variation ?? '-'}@${c.version ?? '-'}`, Number(c.count)]),
          ),
        ]),
      );

    it('schema 3: users inline or by userKey become user contexts, their private attribute list kept as such', async () => {
      // given: what a server-side SDK before contexts sends (users, userKey, alias)
      const at = dateOf(700);
      const user = { key: 'u-3', name: 'Old', email: 'o@example.com', custom: { plan: 'pro' }, privateAttrs: ['ssn'] };
      const payload = [
        { kind: 'index', creationDate: at, user },
        { kind: 'feature', creationDate: at, key: 'flag-3', userKey: 'u-3', value: true, variation: 1, version: 4 },
        { kind: 'custom', creationDate: at, key: 'bought', user, metricValue: 3 },
        {
          kind: 'alias',
          creationDate: at,
          key: 'u-3',
          contextKind: 'user',
          previousKey: 'anon-3',
          previousContextKind: 'anonymousUser',
        },
        summaryEvent(700),
      ];

      // when
      const answer = await postEvents(producer.url, payload, {
        ...auth,
        'x-launchdarkly-event-schema': '3',
        'x-launchdarkly-payload-id': 'schema-3',
      });
      const events = await eventsOf('schema-3');

      // then: every event, no summary of the API's own (the payload has one)
      expect(answer).toMatchObject({ status: 202, body: { accepted: 5 } });
      expect(events.map((e) => e.kind)).toEqual(['index', 'feature', 'custom', 'alias', 'summary']);
      const asContext = { kind: 'user', key: 'u-3', name: 'Old', anonymous: false, redactedAttributes: ['ssn'] };
      expect(events[0]!.event.index!.context!.contexts![0]).toMatchObject(asContext);
      expect(JSON.parse(events[0]!.event.index!.context!.contexts![0]!.attributesJson!)).toEqual({
        email: 'o@example.com',
        plan: 'pro',
      });
      expect(events[1]!.event.feature!.contextKeys!.keysByKind).toEqual({ user: 'u-3' });
      expect(events[2]!.event.custom!.context!.contexts![0]).toMatchObject(asContext);
      expect(events[3]!.event.alias).toMatchObject({
        key: 'u-3',
        previousKey: 'anon-3',
        previousContextKind: 'anonymousUser',
      });
    });

    const evaluations = [
      { key: 'flag-a', variation: 0, version: 7 },
      { key: 'flag-a', variation: 1, version: 7 },
      { key: 'flag-a', variation: 0, version: 7 },
      { key: 'flag-a', variation: 0, version: 8 },
      { key: 'flag-b', variation: 2, version: 1 },
      { key: 'flag-missing' },
    ];
    const featureEvents = evaluations.map(({ key, variation, version }, i) => ({
      kind: 'feature',
      creationDate: dateOf(800 + i),
      key,
      variation,
      version,
      value: variation ?? null,
      default: 0,
      context: { kind: i % 2 ? 'user' : 'device', key: `c-${i}` },
    }));

    it.each([
      ['X-LaunchDarkly-Unsummarized', { 'x-launchdarkly-event-schema': '4', 'x-launchdarkly-unsummarized': 'true' }],
      ['schema 2', { 'x-launchdarkly-event-schema': '2' }],
      ['no schema header, no summary (schema 1)', undefined],
    ])('%s: the evaluations are kept and summarized as the SDK would have', async (name, schemaHeaders) => {
      // when: the last case sent as the oldest SDKs send it, without the header the test helper adds
      const payloadId = `unsummarized-${name}`;
      const headers = { ...auth, ...schemaHeaders, 'x-launchdarkly-payload-id': payloadId };
      const answer = schemaHeaders
        ? await postEvents(producer.url, featureEvents, headers)
        : await fetch(`${producer.url}/bulk`, { method: 'POST', headers, body: JSON.stringify(featureEvents) }).then(
            async (response) => ({ status: response.status, body: await response.json() }),
          );
      const events = await eventsOf(payloadId);

      // then
      expect(answer).toMatchObject({ status: 202, body: { accepted: 7 } });
      expect(events.map((e) => e.kind)).toEqual([...featureEvents.map(() => 'feature'), 'summary']);
      const summary = events[6]!.event.summary!;
      expect(countsIn(summary)).toEqual(expectedCounts(evaluations));
      expect(Number(summary.startDateMs)).toBe(dateOf(800));
      expect(Number(summary.endDateMs)).toBe(dateOf(805));
      const flagA = summary.flags!.find((flag) => flag.key === 'flag-a')!;
      expect([...flagA.contextKinds!].sort()).toEqual(['device', 'user']);
      expect(summary.flags!.find((flag) => flag.key === 'flag-missing')!.counters![0]!.unknown).toBe(true);
    });

    it('schema 4 with the header: feature events are not summarized again', async () => {
      await postEvents(producer.url, featureEvents, {
        ...auth,
        'x-launchdarkly-event-schema': '4',
        'x-launchdarkly-payload-id': 'schema-4',
      });
      expect((await eventsOf('schema-4')).map((e) => e.kind)).toEqual(featureEvents.map(() => 'feature'));
    });

    it('keeps the tags and wrapper headers with the events, and a diagnostic body as an event of its own', async () => {
      // given
      const headers = {
        ...auth,
        'x-launchdarkly-tags': 'application-id/shop application-version/2.1',
        'x-launchdarkly-wrapper': 'react/3.0.0',
      };
      const diagnostic = { kind: 'diagnostic', id: { diagnosticId: 'd-1', sdkKeySuffix: 'abcdef' }, droppedEvents: 0 };

      // when
      await postEvents(producer.url, [customEvent(900)], { ...headers, 'x-launchdarkly-payload-id': 'tagged' });
      const posted = await postEvents(
        producer.url,
        diagnostic,
        { ...headers, 'x-launchdarkly-payload-id': 'diagnostic-1' },
        '/diagnostic',
      );
      const refused = await postEvents(producer.url, [diagnostic], auth, '/diagnostic');

      // then
      const [tagged] = await eventsOf('tagged');
      expect(tagged!.envelope).toMatchObject({ tags: headers['x-launchdarkly-tags'], wrapper: 'react/3.0.0' });
      expect(posted.status).toBe(202);
      const [kept] = await eventsOf('diagnostic-1');
      expect(kept!.kind).toBe('diagnostic');
      expect(JSON.parse(kept!.event.diagnostic!.bodyJson!)).toEqual(diagnostic);
      expect(refused).toMatchObject({
        status: 400,
        body: { message: expect.stringMatching(/expected a diagnostic event/) as string },
      });
    });
  });

  it('remembers a payload id of any length by its digest, so a 15 KB id costs memory as a UUID does', async () => {
    // given
    const longId = `id-${'x'.repeat(15_000)}`;
    const headers = { authorization: TEST_TENANTS.healthy.sdkKey, 'x-launchdarkly-payload-id': longId };
    const expectedId = `sha256:${createHash('sha256').update(longId).digest('hex')}`;

    // when
    const first = await postEvents(producer.url, [featureEvent(7_300_001)], headers);
    const retry = await postEvents(producer.url, [featureEvent(7_300_001)], headers);

    // then
    expect([first.body, retry.body]).toEqual([{ accepted: 1 }, { accepted: 0, duplicate: true }]);
    expect((await drainedEvents()).filter((e) => e.envelope.payloadId === expectedId)).toHaveLength(1);
  });

  it('answers 503 to payloads past the bytes it unpacks at once, and keeps every payload it accepts', async () => {
    // given: a producer that unpacks at most 4 MiB at once, and 12 gzip bodies expanding to 1.5 MiB each
    const stream = 'events-api-in-flight';
    await kinesis.createStream(stream, 1);
    const small = await startTestProducer(kinesis.client, stream, { maxInFlightBytes: 4 * 1024 * 1024 });
    const payloads = Array.from({ length: 12 }, (_, p) =>
      Array.from({ length: 30 }, (_, i) => ({
        ...customEvent(7_400_000 + p * 30 + i),
        data: { pad: 'p'.repeat(50_000) },
      })),
    );

    try {
      // when
      const answers = await Promise.all(
        payloads.map((payload) =>
          postEvents(small.url, gzipSync(JSON.stringify(payload)), {
            authorization: TEST_TENANTS.healthy.sdkKey,
            'content-encoding': 'gzip',
          }),
        ),
      );
      expect(await small.writer.flush(10_000)).toBe(true);

      // then: some refused with a reason that says why, each accepted one written whole
      const statuses = answers.map((answer) => answer.status);
      expect(statuses.filter((status) => status !== 202 && status !== 503)).toEqual([]);
      expect(answers.find((answer) => answer.status === 503)?.body).toMatchObject({
        error: 'overloaded',
        message: expect.stringMatching(/its limit is 4194304/) as string,
      });
      const accepted = payloads.filter((_, p) => statuses[p] === 202).flat();
      expect(accepted.length).toBeGreaterThan(0);
      const written = (await kinesis.readAll(stream)).events.map((e) => Number(e.event.creationDateMs));
      expect(written.sort()).toEqual(accepted.map((event) => event.creationDate).sort());
    } finally {
      await small.drainAndStop();
    }
  });

  it('answers CORS preflight for browser SDKs and health checks for the load balancer', async () => {
    const url = `${producer.url}/events/bulk/${TEST_TENANTS.healthy.clientSideId}`;
    const preflight = await fetch(url, { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    const allowed = (preflight.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(/,\s*/);
    // What a browser SDK configured with an application id sends (js-client-sdk and its successors).
    for (const header of [
      'content-type',
      'x-launchdarkly-user-agent',
      'x-launchdarkly-payload-id',
      'x-launchdarkly-event-schema',
      'x-launchdarkly-wrapper',
      'x-launchdarkly-tags',
    ])
      expect({ header, allowed: allowed.includes(header) }).toEqual({ header, allowed: true });
    // A browser lets the SDK read the server's clock, and both an accepted and a refused post, only with these.
    const accepted = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' });
    const refused = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect([accepted.status, refused.status]).toEqual([202, 400]);
    for (const answer of [accepted, refused]) {
      expect(answer.headers.get('access-control-allow-origin')).toBe('*');
      expect(answer.headers.get('access-control-expose-headers')).toMatch(/\bDate\b/);
      expect(answer.headers.get('date')).toBeTruthy();
    }
    const health = await fetch(`${producer.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
  });
});
