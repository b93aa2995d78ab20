import { gzipSync } from 'node:zlib';
import { customEvent, featureEvent, identifyEvent, summaryEvent } from '../test/support/sdk-payloads';

export const EVENTS_PER_PAYLOAD = 50;

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
  readonly onSecond?: (counts: LoadCounts, seconds: number) => void;
}

export interface LoadCounts {
  sent: number;
  accepted: number;
  rateLimited: number;
  unavailable: number;
  otherStatus: number;
  errors: number;
  /** Why the last request failed without an answer: what a user needs when every request does. */
  lastError?: string;
}

/** Dated now, as an SDK's are: flag status and the archive file them by time. */
function payload(sequence: number, contexts: number): unknown[] {
  const now = Date.now();
  return Array.from({ length: EVENTS_PER_PAYLOAD }, (_, i) => {
    const n = sequence * EVENTS_PER_PAYLOAD + i;
    if (i === 0) return { ...summaryEvent(n), startDate: now - 60_000, endDate: now };
    if (i % 10 === 7) return { ...customEvent(n), creationDate: now };
    if (i % 10 === 8) return { ...identifyEvent(n % contexts), creationDate: now };
    return { ...featureEvent(n, contexts, 200), creationDate: now };
  });
}

/** Offers realistic SDK payloads over real HTTP at a fixed rate, spread over tenants, a share of them gzipped. */
export async function offerLoad(options: LoadOptions): Promise<LoadCounts> {
  const payloadsPerSecond = options.rate / EVENTS_PER_PAYLOAD;
  const counts: LoadCounts = { sent: 0, accepted: 0, rateLimited: 0, unavailable: 0, otherStatus: 0, errors: 0 };
  let inFlight = 0;
  let sequence = 0;
  const started = Date.now();

  const send = async () => {
    const body = JSON.stringify(payload(sequence, 10_000));
    const gzip = (sequence * 7919) % 1000 < options.gzipShare * 1000;
    const tenant = sequence % options.tenants;
    sequence++;
    counts.sent++;
    inFlight++;
    try {
      const response = await fetch(`${options.url}/bulk`, {
        method: 'POST',
        headers: {
          authorization: loadTenantKey(tenant),
          'content-type': 'application/json',
          'user-agent': 'LoadGenerator/1.0',
          'x-launchdarkly-event-schema': '4',
          ...(gzip && { 'content-encoding': 'gzip' }),
        },
        body: gzip ? gzipSync(body) : body,
      });
      await response.arrayBuffer();
      if (response.status === 202) counts.accepted++;
      else if (response.status === 429) counts.rateLimited++;
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
    const due = Math.floor(((Date.now() - started) / 1000) * payloadsPerSecond);
    while (sequence < due && inFlight < options.concurrency) void send();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  clearInterval(progress);
  return counts;
}
