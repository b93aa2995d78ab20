import { createHash } from 'node:crypto';
import { DecodedEvent, v1 } from '../../codec/event-codec';
import { archiveLine } from '../archive-transform/archive-lines';

/** The context key and flag key of the event `npm run export -- test` sends, as the customer's docs name it. */
export const TEST_EVENT_KEY = 'LaunchDarklyDataExportTestEvent';

/**
 * Names an exported event the same way in every copy of it (a retried batch, a replay, a backlog sent twice), so the
 * customer can drop duplicates: the environment, the SDK payload and the event's place in it.
 */
export function exportIdOf(decoded: DecodedEvent): string {
  return createHash('sha256')
    .update(`${decoded.envelope.environmentId}\n${decoded.envelope.payloadId}\n${decoded.event.payloadPosition ?? 0}`)
    .digest('base64url')
    .slice(0, 22);
}

/**
 * An exported event: the archive's line for the event (one schema for every kind, documented in
 * schemas/exported-event.schema.json) with its export id first, without the newline.
 */
export function exportedEvent(decoded: DecodedEvent): string {
  const line = archiveLine(decoded);
  return `{"exportId":"${exportIdOf(decoded)}",${line.slice(1, -1)}`;
}

/**
 * The event as a destination gets it: with every flag, all but SDK diagnostics (the SDK's health, not the
 * customer's data); with some flags, evaluations of those flags, summaries cut to them, and the test event.
 * Undefined when nothing of it is wanted.
 */
export function filteredEvent(decoded: DecodedEvent, flags: ReadonlySet<string> | undefined): DecodedEvent | undefined {
  if (decoded.kind === 'diagnostic') return undefined;
  if (!flags) return decoded;
  const { event } = decoded;
  switch (decoded.kind) {
    case 'feature':
    case 'debug': {
      const key = event[decoded.kind]!.key ?? '';
      return flags.has(key) || key === TEST_EVENT_KEY ? decoded : undefined;
    }
    case 'summary': {
      const summary = event.summary!;
      const all = summary.flags ?? [];
      const wanted = all.filter((flag) => flags.has(flag.key ?? ''));
      if (wanted.length === 0) return undefined;
      if (wanted.length === all.length) return decoded;
      const cut = v1.Event.create({ ...event, summary: v1.SummaryEvent.create({ ...summary, flags: wanted }) });
      return { ...decoded, event: cut };
    }
    default:
      return undefined;
  }
}

/** The test event: an evaluation of the flag `LaunchDarklyDataExportTestEvent` by a context of the same key. */
export function testEvent(environmentId: string, nowMs: number): DecodedEvent {
  const envelope = v1.Envelope.create({
    environmentId,
    receivedAtMs: nowMs,
    payloadId: `data-export-test-${nowMs}`,
    sdkName: 'data-export',
    sdkVersion: '1',
    endpoint: v1.Endpoint.ENDPOINT_SERVER,
  });
  const event = v1.Event.create({
    creationDateMs: nowMs,
    payloadPosition: 0,
    feature: v1.FeatureEvent.create({
      key: TEST_EVENT_KEY,
      valueJson: 'true',
      defaultJson: 'false',
      context: v1.Context.create({
        contexts: [v1.SingleContext.create({ kind: 'user', key: TEST_EVENT_KEY, attributesJson: '{}' })],
      }),
    }),
  });
  return { envelope, event, kind: 'feature' };
}
