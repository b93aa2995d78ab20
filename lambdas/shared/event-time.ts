import type { DecodedEvent } from '../../codec/event-codec';

/** How far an SDK's clock may stray from the API's before its event time is not believed. */
export interface EventTimeWindow {
  readonly pastMs: number;
  readonly futureMs: number;
}

/** A day back covers mobile SDKs flushing a queue after a day offline; five minutes ahead covers skewed clocks. */
export const DEFAULT_EVENT_TIME_WINDOW: EventTimeWindow = { pastMs: 24 * 3_600_000, futureMs: 5 * 60_000 };

/**
 * Keeps an SDK-reported time within the window around when the API received the event, so a clock set to 1970 or
 * 2100 can neither freeze "last seen" nor reach keys that never expire. The archive keeps the time as received.
 */
export function clampToReceived(rawMs: number, receivedAtMs: number, window: EventTimeWindow): number {
  if (!Number.isFinite(rawMs) || rawMs <= 0) return receivedAtMs;
  return Math.min(Math.max(rawMs, receivedAtMs - window.pastMs), receivedAtMs + window.futureMs);
}

/** Counts the events whose SDK time fell outside the window, while giving each its believable time. */
export class EventClock {
  clampedEvents = 0;

  constructor(readonly window: EventTimeWindow = DEFAULT_EVENT_TIME_WINDOW) {}

  /** When an event happened (a summary: when its counting interval ended), clamped to the window. */
  timeOf(decoded: DecodedEvent): number {
    const receivedAtMs = Number(decoded.envelope.receivedAtMs);
    const rawMs =
      decoded.kind === 'summary'
        ? Number(decoded.event.summary!.endDateMs) || Number(decoded.event.creationDateMs)
        : Number(decoded.event.creationDateMs);
    if (!rawMs) return receivedAtMs;
    const atMs = clampToReceived(rawMs, receivedAtMs, this.window);
    if (atMs !== rawMs) this.clampedEvents++;
    return atMs;
  }
}

/** An event's identity: its payload's id and its position there, the same in every copy the stream holds. */
export function eventOrder(decoded: DecodedEvent): string {
  return `${decoded.envelope.payloadId}:${decoded.event.payloadPosition ?? 0}`;
}
