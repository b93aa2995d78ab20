import { createServer, IncomingMessage } from 'node:http';
import { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { loadTenantKey, offerLoad } from '../../bench/load-driver';

interface Received {
  readonly tenant: string;
  readonly events: { kind: string; creationDate?: number; endDate?: number }[];
}

/** A real HTTP endpoint that keeps every payload and answers 202 to all but every fifth, which gets 429. */
async function recordingEndpoint() {
  const received: Received[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const json = request.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
      received.push({
        tenant: String(request.headers.authorization),
        events: JSON.parse(json.toString('utf8')) as Received['events'],
      });
      response.writeHead(received.length % 5 === 0 ? 429 : 202).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, server };
}

describe('the load generator', () => {
  it.each(['realistic', 'repetitive'] as const)(
    'offers %s payloads dated now at the rate in events, and counts the events of each answer',
    async (events) => {
      // given
      const endpoint = await recordingEndpoint();
      const started = Date.now();

      // when
      const counts = await offerLoad({
        url: endpoint.url,
        rate: 2_000,
        durationSeconds: 1,
        tenants: 3,
        gzipShare: 0.3,
        concurrency: 16,
        events,
      });
      endpoint.server.closeAllConnections();
      endpoint.server.close();

      // then
      const { received } = endpoint;
      const sizes = received.map((payload) => payload.events.length);
      const offered = sizes.reduce((sum, size) => sum + size, 0);
      expect(offered).toBeGreaterThanOrEqual(1_500);
      expect(offered).toBeLessThanOrEqual(2_500);
      const accepted = received.filter((_, i) => (i + 1) % 5 !== 0);
      expect(counts).toMatchObject({
        sent: received.length,
        accepted: accepted.length,
        rateLimited: received.length - accepted.length,
      });
      expect(counts.acceptedEvents).toBe(accepted.reduce((sum, payload) => sum + payload.events.length, 0));
      expect(new Set(received.map((payload) => payload.tenant))).toEqual(
        new Set([loadTenantKey(0), loadTenantKey(1), loadTenantKey(2)]),
      );
      for (const event of received.flatMap((payload) => payload.events)) {
        const time = event.kind === 'summary' ? event.endDate : event.creationDate;
        expect(time).toBeGreaterThanOrEqual(started);
        expect(time).toBeLessThanOrEqual(Date.now());
      }
      if (events === 'repetitive') expect(new Set(sizes)).toEqual(new Set([50]));
      else expect(new Set(sizes).size).toBeGreaterThan(3);
    },
  );
});
