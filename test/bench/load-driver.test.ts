import { createServer, IncomingMessage } from 'node:http';
import { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { loadTenantKey, offerLoad } from '../../bench/load-driver';
import { ExperimentTraffic, LOCAL_EXPERIMENT } from '../../bench/experiment-traffic';

interface Received {
  readonly tenant: string;
  readonly path: string;
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
        path: String(request.url),
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
      const corpus = received.filter((payload) => payload.tenant.startsWith('sdk-load-'));
      expect(new Set(corpus.map((payload) => payload.tenant))).toEqual(
        new Set([loadTenantKey(0), loadTenantKey(1), loadTenantKey(2)]),
      );
      // the rest is the local experiment's traffic, from its server SDK or its browsers
      const experiment = received.filter((payload) => !payload.tenant.startsWith('sdk-load-'));
      for (const payload of experiment) {
        expect([
          `/bulk ${LOCAL_EXPERIMENT.sdkKey}`,
          `/events/bulk/${LOCAL_EXPERIMENT.clientSideId} undefined`,
        ]).toContain(`${payload.path} ${payload.tenant}`);
      }
      if (events === 'repetitive') expect(experiment).toEqual([]);
      else expect(experiment.length).toBe(Math.floor(received.length / 10));
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

describe("the local experiment's traffic", () => {
  it('exposes units half to each variation and converts them at the true rates, goals dated after exposure', () => {
    // given: a clock the test moves, so goals fall due
    let now = 1_795_000_000_000;
    const traffic = new ExperimentTraffic(2, () => now);
    const exposedAt = new Map<string, number>();
    let goalsBeforeExposure = 0;

    // when
    for (let i = 0; i < 40_000; i++) {
      now += 50;
      for (const event of traffic.next().events) {
        const unit = String(
          (event.context as { key?: string } | undefined)?.key ?? (event.contextKeys as { user: string }).user,
        );
        if (event.kind === 'feature') exposedAt.set(unit, event.creationDate as number);
        else if ((event.creationDate as number) < exposedAt.get(unit)!) goalsBeforeExposure++;
      }
    }

    // then: rates within four standard errors of the truth the traffic is built on
    const { units, purchases, clicks } = traffic.truth;
    expect(units[0] + units[1]).toBe(exposedAt.size);
    expect(Math.abs(units[0] / (units[0] + units[1]) - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / exposedAt.size));
    for (const variation of [0, 1] as const) {
      const rate = LOCAL_EXPERIMENT.conversionRate[variation];
      const n = units[variation];
      expect(Math.abs(purchases[variation] / n - rate)).toBeLessThan(4 * Math.sqrt((rate * (1 - rate)) / n));
      expect(Math.abs(clicks[variation] / n - 0.4)).toBeLessThan(4 * Math.sqrt(0.24 / n));
    }
    expect(goalsBeforeExposure).toBe(0);
  });
});
