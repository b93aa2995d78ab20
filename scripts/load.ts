import { LOAD_EVENTS, LoadCounts, LoadEvents, offerLoad, REPETITIVE_EVENTS_PER_PAYLOAD } from '../bench/load-driver';
import { LOCAL_URL_OPTION, localPipelineUrl } from '../local/local-control';
import { CommandOption, CommandSpec, numberOption, progressLine, runCommand, UsageError } from './command';

const spec = {
  name: 'npm run load',
  summary:
    'Offers SDK payloads dated now to the events API at a fixed rate over the load tenants of ' +
    'config/local-tenants.json, and counts the answers. The events are the seeded realistic corpus of ' +
    'bench/corpus.ts (server- and client-side payloads of about nine events), or repetitive payloads of ' +
    `${REPETITIVE_EVENTS_PER_PAYLOAD} (a summary, feature, custom and identify events).`,
  options: {
    rate: { type: 'string', value: 'N', required: true, description: 'events per second offered' },
    duration: { type: 'string', value: 'SECONDS', default: '60', description: 'how long to offer them' },
    tenants: { type: 'string', value: 'N', default: '50', description: 'load tenants to spread over, 1 to 50' },
    'gzip-share': { type: 'string', value: '0..1', default: '0.3', description: 'share of payloads sent gzipped' },
    concurrency: { type: 'string', value: 'N', default: '64', description: 'requests in flight at most' },
    events: {
      type: 'string',
      value: LOAD_EVENTS.join('|'),
      default: 'realistic',
      description: 'which events to offer',
    },
    url: LOCAL_URL_OPTION,
  },
  examples: [
    'npm run load -- --rate 5000 --duration 30',
    'npm run load -- --rate 200000 --tenants 1 --events repetitive',
  ],
} as const satisfies CommandSpec<Record<string, CommandOption>>;

const thousands = (value: number) => Math.round(value).toLocaleString('en-US');

function line(counts: LoadCounts, seconds: number): string {
  const eventsPerSecond = counts.acceptedEvents / Math.max(seconds, 0.001);
  return (
    `${seconds.toFixed(0)}s  payloads: sent ${thousands(counts.sent)}, accepted ${thousands(counts.accepted)}, ` +
    `429 ${thousands(counts.rateLimited)}, 503 ${thousands(counts.unavailable)}, other ${thousands(counts.otherStatus)}, ` +
    `no answer ${thousands(counts.errors)}  events accepted/s: ${thousands(eventsPerSecond)}`
  );
}

function inRange(flag: string, value: number, low: number, high: number): number {
  if (!(value >= low && value <= high)) throw new UsageError(`--${flag} must be from ${low} to ${high}, got ${value}`);
  return value;
}

runCommand(spec, async ({ values }) => {
  const rate = inRange('rate', numberOption(values.rate, 'rate')!, 1, 10_000_000);
  const durationSeconds = inRange('duration', numberOption(values.duration, 'duration')!, 1, 86_400);
  const tenants = inRange('tenants', numberOption(values.tenants, 'tenants')!, 1, 50);
  const gzipShare = inRange('gzip-share', numberOption(values['gzip-share'], 'gzip-share')!, 0, 1);
  const concurrency = inRange('concurrency', numberOption(values.concurrency, 'concurrency')!, 1, 10_000);
  const events = values.events as LoadEvents;
  if (!LOAD_EVENTS.includes(events)) {
    throw new UsageError(`--events must be one of ${LOAD_EVENTS.join(', ')}, got ${JSON.stringify(events)}`);
  }
  const url = values.url ?? localPipelineUrl();
  const started = Date.now();
  const progress = progressLine();
  const counts = await offerLoad({
    url,
    rate,
    durationSeconds,
    tenants,
    gzipShare,
    concurrency,
    events,
    onSecond: (sofar, seconds) => progress.update(line(sofar, seconds)),
  });
  progress.done(line(counts, (Date.now() - started) / 1000));
  console.log(
    `done: offered ${thousands(rate)} events/s for ${durationSeconds} s to ${url} over ${tenants} tenants, ` +
      `${Math.round(gzipShare * 100)}% gzipped`,
  );
  if (counts.experiment) {
    const { units, purchases, clicks } = counts.experiment;
    const rate = (variation: 0 | 1) => ((purchases[variation] / Math.max(units[variation], 1)) * 100).toFixed(2);
    console.log(
      `experiment new-checkout (local-development): exposed ${units[0]} + ${units[1]} units, purchases ` +
        `${purchases[0]} (${rate(0)}%) against ${purchases[1]} (${rate(1)}%), clicks ${clicks[0]} and ${clicks[1]}; ` +
        'true lift +10%. Compare: npm run query -- experiment new-checkout --env local --environment local-development',
    );
  }
  if (counts.accepted === 0) {
    const why = counts.lastError
      ? `no answer from ${url} (${counts.lastError}): is npm start running there? Pass --url otherwise`
      : `nothing was accepted by ${url}: look at its log, and at ${url}/status`;
    throw new Error(why);
  }
});
