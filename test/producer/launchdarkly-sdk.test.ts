import { init, integrations, LDClient, LDContext } from '@launchdarkly/node-server-sdk';
import * as LegacySdk from 'launchdarkly-node-server-sdk';
import { TestData as LegacyTestData } from 'launchdarkly-node-server-sdk/integrations';
import { RunningProducer } from '../../producer/producer';
import { startLocalKinesis, LocalKinesis } from '../support/local-kinesis';
import { eventually } from '../support/eventually';
import { startTestProducer, TEST_TENANTS } from '../support/producer-harness';

const STREAM = 'sdk-test';

describe('the LaunchDarkly Node server SDK sending to the events API', () => {
  let kinesis: LocalKinesis;
  let producer: RunningProducer;
  let client: LDClient;

  beforeAll(async () => {
    kinesis = await startLocalKinesis();
    await kinesis.createStream(STREAM, 2);
    producer = await startTestProducer(kinesis.client, STREAM);
  });

  afterAll(async () => {
    client?.close();
    await producer?.drainAndStop();
    await kinesis?.close();
  });

  it('delivers its evaluations, custom and identify events intact', async () => {
    // given: flags from the SDK's test data source, events to our API; no LaunchDarkly account involved
    const testData = new integrations.TestData();
    await testData.update(testData.flag('new-checkout').booleanFlag().variationForAll(true));
    client = init(TEST_TENANTS.healthy.sdkKey, {
      updateProcessor: testData.getFactory(),
      sendEvents: true,
      eventsUri: producer.url,
      // Never contacted: flags come from the test data source.
      baseUri: 'http://127.0.0.1:9',
      streamUri: 'http://127.0.0.1:9',
      diagnosticOptOut: true,
      flushInterval: 0.2,
    });
    await client.waitForInitialization({ timeout: 10 });
    const ada: LDContext = {
      kind: 'user',
      key: 'ada',
      name: 'Ada',
      email: 'ada@example.com',
      _meta: { privateAttributes: ['email'] },
    };
    const org: LDContext = { kind: 'multi', user: { key: 'bob' }, organization: { key: 'acme', tier: 'gold' } };

    // when
    expect(await client.variation('new-checkout', ada, false)).toBe(true);
    expect((await client.variationDetail('new-checkout', org, false)).value).toBe(true);
    client.track('checkout-completed', ada, { cart: 3 }, 42.5);
    client.identify(org);
    await client.flush();
    expect(await producer.writer.flush(5_000)).toBe(true);
    const events = (await kinesis.readAll(STREAM)).events;

    // then
    const kinds = events.map((e) => e.kind).sort();
    expect(kinds).toEqual(expect.arrayContaining(['custom', 'identify', 'index', 'summary']));
    expect(events.every((e) => e.envelope.environmentId === TEST_TENANTS.healthy.environmentId)).toBe(true);
    expect(events[0]!.envelope.sdkName).toBe('NodeJSClient');
    expect(events[0]!.envelope.payloadId).toMatch(/^[0-9a-f-]{36}$/);

    const custom = events.find((e) => e.kind === 'custom')!.event.custom!;
    expect(custom).toMatchObject({ key: 'checkout-completed', dataJson: '{"cart":3}', metricValue: 42.5 });
    const indexed = events.filter((e) => e.kind === 'index').map((e) => e.event.index!.context!.contexts![0]!);
    const adaContext = indexed.find((c) => c.key === 'ada')!;
    expect(adaContext).toMatchObject({ kind: 'user', name: 'Ada', redactedAttributes: ['email'] });
    expect(adaContext.attributesJson ?? '').not.toMatch(/ada@example.com/);
    const identified = events.find((e) => e.kind === 'identify')!.event.identify!.context!.contexts!;
    expect(identified.map((c) => [c.kind, c.key])).toEqual([
      ['user', 'bob'],
      ['organization', 'acme'],
    ]);
    const summary = events.find((e) => e.kind === 'summary')!.event.summary!;
    const counters = summary.flags!.find((f) => f.key === 'new-checkout')!.counters!;
    expect(counters.reduce((total, counter) => total + Number(counter.count), 0)).toBe(2);
  });
});

describe('a server-side SDK from before contexts (event schema 3) sending to the events API', () => {
  let kinesis: LocalKinesis;
  let producer: RunningProducer;
  let client: LegacySdk.LDClient | undefined;

  beforeAll(async () => {
    kinesis = await startLocalKinesis();
    await kinesis.createStream(STREAM, 2);
    producer = await startTestProducer(kinesis.client, STREAM);
  });

  afterAll(async () => {
    client?.close();
    await producer?.drainAndStop();
    await kinesis?.close();
  });

  it('lands its users as user contexts, its userKey events, its alias and its diagnostics', async () => {
    // given: launchdarkly-node-server-sdk 6, which sends users (schema 3) and posts diagnostics at start
    const testData = LegacyTestData();
    await new Promise((resolve) =>
      testData.update(testData.flag('old-checkout').booleanFlag().variationForAllUsers(true)).then(resolve),
    );
    client = LegacySdk.init(TEST_TENANTS.healthy.sdkKey, {
      updateProcessor: testData,
      sendEvents: true,
      eventsUri: producer.url,
      baseUri: 'http://127.0.0.1:9',
      streamUri: 'http://127.0.0.1:9',
      privateAttributeNames: ['email'],
      flushInterval: 0.2,
      logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    });
    await client.waitForInitialization();
    const grace: LegacySdk.LDUser = {
      key: 'grace',
      name: 'Grace',
      email: 'grace@example.com',
      custom: { team: 'cobol' },
    };

    // when
    expect(await client.variation('old-checkout', grace, false)).toBe(true);
    client.track('order-placed', grace, { items: 2 }, 19.5);
    client.alias(grace, { key: 'anon-1', anonymous: true });
    await client.flush();
    // The SDK posts its diagnostic at start without waiting for it; the test waits for it to arrive.
    await eventually(
      () => producer.metrics.counters.diagnosticPayloads,
      (count) => count > 0,
      5_000,
    );
    expect(await producer.writer.flush(5_000)).toBe(true);
    const events = (await kinesis.readAll(STREAM)).events;

    // then: the user is a user context, the email redacted and listed as such, custom attributes at the top
    const indexed = events.find((e) => e.kind === 'index')!.event.index!.context!.contexts![0]!;
    expect(indexed).toMatchObject({ kind: 'user', key: 'grace', name: 'Grace', redactedAttributes: ['email'] });
    expect(JSON.parse(indexed.attributesJson!)).toEqual({ team: 'cobol' });
    const custom = events.find((e) => e.kind === 'custom')!.event.custom!;
    expect(custom).toMatchObject({ key: 'order-placed', dataJson: '{"items":2}', metricValue: 19.5 });
    expect(custom.contextKeys!.keysByKind).toEqual({ user: 'grace' });
    expect(events.find((e) => e.kind === 'alias')!.event.alias).toMatchObject({
      key: 'grace',
      contextKind: 'user',
      previousKey: 'anon-1',
      previousContextKind: 'anonymousUser',
    });
    const counters = events
      .find((e) => e.kind === 'summary')!
      .event.summary!.flags!.find((f) => f.key === 'old-checkout')!.counters!;
    expect(counters.map((c) => Number(c.count))).toEqual([1]);
    const diagnostic = JSON.parse(events.find((e) => e.kind === 'diagnostic')!.event.diagnostic!.bodyJson!) as {
      kind: string;
    };
    expect(diagnostic.kind).toBe('diagnostic-init');
  });
});
