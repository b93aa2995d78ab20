import { gzipSync } from 'node:zlib';
import { customEvent, featureEvent, identifyEvent, summaryEvent } from '../test/support/sdk-payloads';
import { EventCorpus } from './corpus';
import { ExperimentTraffic, ExperimentTruth, LOCAL_EXPERIMENT } from './experiment-traffic';

/** The repetitive payloads' size: the load generator's events before the realistic corpus, kept to compare with. */
export const REPETITIVE_EVENTS_PER_PAYLOAD = 50;

/** Which events a load offers: the seeded realistic corpus, or the repetitive payloads of earlier measures. */
export type LoadEvents = 'realistic' | 'repetitive';
export const LOAD_EVENTS: readonly LoadEvents[] = ['realistic', 'repetitive'];

/** The load tenants of config/local-tenants.json: sdk-load-00 … sdk-load-49. */
export const loadTenantKey = (tenant: number) => `sdk-load-${String(tenant).padStart(2, '0')}`;

export interface LoadOptions {
  readonly url: string;
  /** Events per second offered. */
  readonly rate: number;
  readonly durationSeconds: number;
  readonly tenants: number;
  readonly gzipShare: number;
  readonly concurrency: number;
  /** @default 'realistic' */
  readonly events?: LoadEvents;
  /**
   * The share of payloads, in realistic loads, that are the local experiment's traffic (bench/experiment-traffic.ts),
   * posted to its environment as a server or browser SDK posts them. @default 0.1
   */
  readonly experimentShare?: number;
  readonly onSecond?: (counts: LoadCounts, seconds: number) => void;
}

export interface LoadCounts {
  sent: number;
  accepted: number;
  /** Events in the payloads answered 202: realistic payloads differ in size. */
  acceptedEvents: number;
  rateLimited: number;
  unavailable: number;
  otherStatus: number;
  errors: number;
  /** Why the last request failed without an answer: what a user needs when every request does. */
  lastError?: string;
  /** What the local experiment's traffic generated (its goals still due at the end were not sent). */
  experiment?: ExperimentTruth;
}

/** Repetitive payload number `sequence`, dated now as an SDK's are: flag status and the archive file them by time. */
export function repetitivePayload(sequence: number, contexts = 10_000): Record<string, unknown>[] {
  const now = Date.now();
  return Array.from({ length: REPETITIVE_EVENTS_PER_PAYLOAD }, (_, i) => {
    const n = sequence * REPETITIVE_EVENTS_PER_PAYLOAD + i;
    if (i === 0) return { ...summaryEvent(n), startDate: now - 60_000, endDate: now };
    if (i % 10 === 7) return { ...customEvent(n), creationDate: now };
    if (i % 10 === 8) return { ...identifyEvent(n % contexts), creationDate: now };
    return { ...featureEvent(n, contexts, 200), creationDate: now };
  });
}

/** Offers SDK payloads over real HTTP at a fixed rate in events, spread over tenants, a share of them gzipped. */
export async function offerLoad(options: LoadOptions): Promise<LoadCounts> {
  const counts: LoadCounts = {
    sent: 0,
    accepted: 0,
    acceptedEvents: 0,
    rateLimited: 0,
    unavailable: 0,
    otherStatus: 0,
    errors: 0,
  };
  const corpus = (options.events ?? 'realistic') === 'realistic' ? new EventCorpus(1, Date.now) : undefined;
  const experiment = corpus ? new ExperimentTraffic() : undefined;
  // Every payload is the corpus's but for an even share of the experiment's, spread over the run.
  const experimentEvery = Math.round(1 / Math.max(options.experimentShare ?? 0.1, 1e-9));
  const nextPayload = (): { path: string; authorization?: string; events: Record<string, unknown>[] } => {
    const tenant = loadTenantKey(sequence % options.tenants);
    if (!corpus) return { path: '/bulk', authorization: tenant, events: repetitivePayload(sequence) };
    if (!experiment || sequence % experimentEvery !== experimentEvery - 1) {
      return { path: '/bulk', authorization: tenant, events: corpus.payload().events };
    }
    const { side, events } = experiment.next();
    return side === 'server'
      ? { path: '/bulk', authorization: LOCAL_EXPERIMENT.sdkKey, events }
      : { path: `/events/bulk/${LOCAL_EXPERIMENT.clientSideId}`, events };
  };
  let inFlight = 0;
  let sequence = 0;
  let eventsSent = 0;
  const started = Date.now();

  const send = async () => {
    const { path, authorization, events } = nextPayload();
    const body = JSON.stringify(events);
    eventsSent += events.length;
    const gzip = (sequence * 7919) % 1000 < options.gzipShare * 1000;
    sequence++;
    counts.sent++;
    inFlight++;
    try {
      const response = await fetch(`${options.url}${path}`, {
        method: 'POST',
        headers: {
          ...(authorization && { authorization }),
          'content-type': 'application/json',
          'user-agent': 'LoadGenerator/1.0',
          'x-launchdarkly-event-schema': '4',
          ...(gzip && { 'content-encoding': 'gzip' }),
        },
        body: gzip ? gzipSync(body) : body,
      });
      await response.arrayBuffer();
      if (response.status === 202) {
        counts.accepted++;
        counts.acceptedEvents += events.length;
      } else if (response.status === 429) counts.rateLimited++;
      else if (response.status === 503) counts.unavailable++;
      else counts.otherStatus++;
    } catch (error) {
      counts.errors++;
      const cause = (error as Error).cause as Error | undefined;
      counts.lastError = cause?.message ?? (error as Error).message;
    } finally {
      inFlight--;
    }
  };

  const progress = setInterval(() => options.onSecond?.(counts, (Date.now() - started) / 1000), 1_000);
  while (Date.now() - started < options.durationSeconds * 1000) {
    const dueEvents = ((Date.now() - started) / 1000) * options.rate;
    while (eventsSent < dueEvents && inFlight < options.concurrency) void send();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  clearInterval(progress);
  if (experiment) counts.experiment = experiment.truth;
  return counts;
}
