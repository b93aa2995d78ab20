import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { v1 } from '../../codec/event-codec';
import { RunningProducer } from '../../producer/producer';
import { startLocalKinesis, LocalKinesis } from '../support/local-kinesis';
import { startTestProducer, TEST_TENANTS } from '../support/producer-harness';
import { eventually } from '../support/eventually';

const STREAM = 'browser-sdk-test';

/** The current browser SDK from npm, bundled for a page as an application would bundle it. */
async function browserSdkBundle(): Promise<string> {
  const result = await build({
    stdin: { contents: "export { createClient } from '@launchdarkly/js-client-sdk';", resolveDir: __dirname },
    bundle: true,
    format: 'iife',
    globalName: 'LaunchDarkly',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

/** A page on an origin of its own (another port), so every events request is cross-origin, as on a customer's site. */
async function startPageServer(sdk: string): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    if (request.url === '/sdk.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(sdk);
    } else if (request.url === '/') {
      response
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<!doctype html><title>shop</title><script src="/sdk.js"></script>');
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('the LaunchDarkly browser SDK in headless Chromium, from another origin, sending to the events API', () => {
  let kinesis: LocalKinesis;
  let producer: RunningProducer;
  let page: { url: string; server: Server };

  beforeAll(async () => {
    kinesis = await startLocalKinesis();
    await kinesis.createStream(STREAM, 1);
    producer = await startTestProducer(kinesis.client, STREAM);
    page = await startPageServer(await browserSdkBundle());
  });

  afterAll(async () => {
    await new Promise((resolve) => page?.server.close(resolve));
    await producer?.drainAndStop();
    await kinesis?.close();
  });

  it('lands its events with the application tags, the page url and its diagnostics, nothing blocked by CORS', async () => {
    // given
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
    const blocked: string[] = [];
    try {
      const tab = await browser.newPage();
      tab.on('console', (message) => {
        if (/CORS|blocked/i.test(message.text())) blocked.push(message.text());
      });
      tab.on('requestfailed', (request) => {
        if (request.url().startsWith(producer.url)) blocked.push(`${request.url()}: ${request.failure()?.errorText}`);
      });
      await tab.goto(page.url);

      // when: an application configured with its id and version evaluates a flag, tracks a goal and flushes
      await tab.evaluate(
        async ({ clientSideId, eventsUri, pageUri }) => {
          type Client = {
            start(options: { bootstrap: unknown }): Promise<unknown>;
            variation(key: string, fallback: unknown): unknown;
            track(key: string, data: unknown, metricValue: number): void;
            flush(): Promise<unknown>;
          };
          const sdk = (globalThis as unknown as { LaunchDarkly: { createClient(...args: unknown[]): Client } })
            .LaunchDarkly;
          const client = sdk.createClient(
            clientSideId,
            { kind: 'user', key: 'browser-user', name: 'Bea' },
            {
              baseUri: pageUri,
              streamUri: pageUri,
              eventsUri,
              applicationInfo: { id: 'shop', version: '2.1.0' },
              fetchGoals: false,
              streaming: false,
            },
          );
          await client.start({
            bootstrap: { 'new-checkout': true, $flagsState: { 'new-checkout': { variation: 0, version: 3 } } },
          });
          client.variation('new-checkout', false);
          client.track('checkout', { cart: 1 }, 9.5);
          await client.flush();
        },
        { clientSideId: TEST_TENANTS.healthy.clientSideId, eventsUri: producer.url, pageUri: page.url },
      );
      // The SDK posts its diagnostic without waiting for it; the test waits for it to arrive.
      await eventually(
        () => producer.metrics.counters.diagnosticPayloads,
        (count) => count > 0,
        10_000,
      );
    } finally {
      await browser.close();
    }
    expect(await producer.writer.flush(5_000)).toBe(true);
    const events = (await kinesis.readAll(STREAM)).events;

    // then
    expect(blocked).toEqual([]);
    const kinds = new Set(events.map((e) => e.kind));
    expect([...kinds].sort()).toEqual(expect.arrayContaining(['custom', 'diagnostic', 'summary']));
    for (const { envelope } of events) {
      expect(envelope).toMatchObject({
        environmentId: TEST_TENANTS.healthy.environmentId,
        endpoint: v1.Endpoint.ENDPOINT_CLIENT,
      });
      expect(envelope.tags).toMatch(/application-id\/shop/);
      expect(envelope.tags).toMatch(/application-version\/2\.1\.0/);
    }
    const custom = events.find((e) => e.kind === 'custom')!.event.custom!;
    expect(custom).toMatchObject({ key: 'checkout', dataJson: '{"cart":1}', metricValue: 9.5, url: `${page.url}/` });
    const summary = events.find((e) => e.kind === 'summary')!.event.summary!;
    expect(summary.flags!.map((flag) => [flag.key, flag.counters!.map((c) => Number(c.count))])).toEqual([
      ['new-checkout', [1]],
    ]);
  });
});
