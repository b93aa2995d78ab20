import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { customEvent, featureEvent, identifyEvent, summaryEvent } from '../test/support/sdk-payloads';

const usage =
  'usage: npm run load -- --rate EVENTS_PER_SECOND --duration SECONDS [--tenants N] [--gzip-share 0..1] [--url URL]';
const EVENTS_PER_PAYLOAD = 50;

/** The load tenants of config/local-tenants.json: sdk-load-00 … sdk-load-49. */
const tenantKey = (tenant: number) => `sdk-load-${String(tenant).padStart(2, '0')}`;

function payload(sequence: number, contexts: number): unknown[] {
  return Array.from({ length: EVENTS_PER_PAYLOAD }, (_, i) => {
    const n = sequence * EVENTS_PER_PAYLOAD + i;
    if (i === 0) return summaryEvent(n);
    if (i % 10 === 7) return customEvent(n);
    if (i % 10 === 8) return identifyEvent(n % contexts);
    return { ...featureEvent(n, contexts, 200), creationDate: Date.now() };
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rate: { type: 'string' },
      duration: { type: 'string', default: '60' },
      tenants: { type: 'string', default: '50' },
      'gzip-share': { type: 'string', default: '0.3' },
      url: { type: 'string', default: 'http://127.0.0.1:8080' },
      concurrency: { type: 'string', default: '64' },
    },
  });
  const rate = Number(values.rate);
  const duration = Number(values.duration);
  const tenants = Number(values.tenants);
  const gzipShare = Number(values['gzip-share']);
  if (!(rate > 0) || !(duration > 0) || !(tenants >= 1 && tenants <= 50) || !(gzipShare >= 0 && gzipShare <= 1)) {
    throw new Error(`${usage}\n(--tenants is 1 to 50, the load tenants of config/local-tenants.json)`);
  }
  const payloadsPerSecond = rate / EVENTS_PER_PAYLOAD;
  const counts = { sent: 0, accepted: 0, rateLimited: 0, unavailable: 0, otherStatus: 0, errors: 0 };
  let inFlight = 0;
  const started = Date.now();
  let sequence = 0;

  const send = async () => {
    const body = JSON.stringify(payload(sequence, 10_000));
    const tenant = sequence % tenants;
    const gzip = (sequence * 7919) % 1000 < gzipShare * 1000;
    sequence++;
    counts.sent++;
    inFlight++;
    try {
      const response = await fetch(`${values.url}/bulk`, {
        method: 'POST',
        headers: {
          authorization: tenantKey(tenant),
          'content-type': 'application/json',
          'user-agent': 'LoadGenerator/1.0',
          ...(gzip && { 'content-encoding': 'gzip' }),
        },
        body: gzip ? gzipSync(body) : body,
      });
      await response.arrayBuffer();
      if (response.status === 202) counts.accepted++;
      else if (response.status === 429) counts.rateLimited++;
      else if (response.status === 503) counts.unavailable++;
      else counts.otherStatus++;
    } catch {
      counts.errors++;
    } finally {
      inFlight--;
    }
  };

  const line = () => {
    const seconds = (Date.now() - started) / 1000;
    return `${seconds.toFixed(0)}s sent ${counts.sent} accepted ${counts.accepted} 429 ${counts.rateLimited} 503 ${counts.unavailable} other ${counts.otherStatus} errors ${counts.errors} achieved ${Math.round((counts.accepted * EVENTS_PER_PAYLOAD) / Math.max(seconds, 0.001))} events/s`;
  };
  const progress = setInterval(() => process.stdout.write(`\r${line()}   `), 1_000);
  while (Date.now() - started < duration * 1000) {
    const due = Math.floor(((Date.now() - started) / 1000) * payloadsPerSecond);
    while (sequence < due && inFlight < Number(values.concurrency)) void send();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  clearInterval(progress);
  console.log(
    `\r${line()}   \ndone: offered ${rate} events/s for ${duration}s over ${tenants} tenants, ${Math.round(gzipShare * 100)}% gzip`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(2);
});
