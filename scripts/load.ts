import { parseArgs } from 'node:util';
import { EVENTS_PER_PAYLOAD, LoadCounts, offerLoad } from '../bench/load-driver';

const usage =
  'usage: npm run load -- --rate EVENTS_PER_SECOND --duration SECONDS [--tenants N] [--gzip-share 0..1] [--url URL]';

function line(counts: LoadCounts, seconds: number): string {
  const achieved = Math.round((counts.accepted * EVENTS_PER_PAYLOAD) / Math.max(seconds, 0.001));
  return `${seconds.toFixed(0)}s sent ${counts.sent} accepted ${counts.accepted} 429 ${counts.rateLimited} 503 ${counts.unavailable} other ${counts.otherStatus} errors ${counts.errors} achieved ${achieved} events/s`;
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
  const durationSeconds = Number(values.duration);
  const tenants = Number(values.tenants);
  const gzipShare = Number(values['gzip-share']);
  if (
    !(rate > 0) ||
    !(durationSeconds > 0) ||
    !(tenants >= 1 && tenants <= 50) ||
    !(gzipShare >= 0 && gzipShare <= 1)
  ) {
    throw new Error(`${usage}\n(--tenants is 1 to 50, the load tenants of config/local-tenants.json)`);
  }
  const started = Date.now();
  const counts = await offerLoad({
    url: values.url,
    rate,
    durationSeconds,
    tenants,
    gzipShare,
    concurrency: Number(values.concurrency),
    onSecond: (progress, seconds) => process.stdout.write(`\r${line(progress, seconds)}   `),
  });
  console.log(`\r${line(counts, (Date.now() - started) / 1000)}   `);
  console.log(
    `done: offered ${rate} events/s for ${durationSeconds}s over ${tenants} tenants, ${Math.round(gzipShare * 100)}% gzip`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(2);
});
