import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { DEFAULT_RECORD_BYTE_CAP } from '../codec/event-codec';
import type { DropReason } from './sdk-events';

export type RejectReason =
  | 'unauthorized'
  | 'disabled'
  | 'rate_limited'
  | 'buffer_full'
  | 'overloaded'
  | 'draining'
  | 'invalid_payload'
  | 'too_large';

/** Counters since start; each publish also reports the increase since the previous one. */
export interface ProducerCounters {
  payloadsAccepted: number;
  eventsAccepted: number;
  duplicatePayloads: number;
  diagnosticPayloads: number;
  recordsPut: number;
  bytesPut: number;
  eventsPut: number;
  putPayloadUnits: number;
  putRequests: number;
  putRequestErrors: number;
  recordRetries: number;
  recordsThrottled: number;
  recordsSpilled: number;
  recordsReplayedFromSpill: number;
  spillWriteErrors: number;
  /** Damaged spill files (cut short by a crash or a disk) set aside after their whole records were kept. */
  spillFilesQuarantined: number;
}

export const PPU_BYTES = 25 * 1000;

export function putPayloadUnits(recordBytes: number): number {
  return Math.max(1, Math.ceil(recordBytes / PPU_BYTES));
}

export class ProducerMetrics {
  readonly counters: ProducerCounters = {
    payloadsAccepted: 0,
    eventsAccepted: 0,
    duplicatePayloads: 0,
    diagnosticPayloads: 0,
    recordsPut: 0,
    bytesPut: 0,
    eventsPut: 0,
    putPayloadUnits: 0,
    putRequests: 0,
    putRequestErrors: 0,
    recordRetries: 0,
    recordsThrottled: 0,
    recordsSpilled: 0,
    recordsReplayedFromSpill: 0,
    spillWriteErrors: 0,
    spillFilesQuarantined: 0,
  };
  readonly rejectedPayloads = new Map<RejectReason, number>();
  readonly rejectedEvents = new Map<RejectReason, number>();
  /** Events left out of payloads that were accepted, by reason. */
  readonly droppedEvents = new Map<DropReason, number>();
  private published: ProducerCounters = { ...this.counters };
  private publishedRejections = new Map<RejectReason, number>();
  private publishedDrops = new Map<DropReason, number>();

  constructor(private readonly recordByteCap = DEFAULT_RECORD_BYTE_CAP) {}

  reject(reason: RejectReason, events = 0): void {
    this.rejectedPayloads.set(reason, (this.rejectedPayloads.get(reason) ?? 0) + 1);
    if (events > 0) this.rejectedEvents.set(reason, (this.rejectedEvents.get(reason) ?? 0) + events);
  }

  drop(reason: DropReason, events: number): void {
    this.droppedEvents.set(reason, (this.droppedEvents.get(reason) ?? 0) + events);
  }

  /** Mean record size over the cap: how much of each PUT payload unit the records use. */
  get fillRatio(): number {
    return this.counters.recordsPut === 0 ? 0 : this.counters.bytesPut / this.counters.recordsPut / this.recordByteCap;
  }

  /** Writes one CloudWatch embedded-metric-format document of what changed since the last publish. */
  publish(metrics: Metrics, bufferBytes: number, bufferCapBytes: number): void {
    const units: Partial<Record<keyof ProducerCounters, (typeof MetricUnit)[keyof typeof MetricUnit]>> = {
      bytesPut: MetricUnit.Bytes,
    };
    for (const name of Object.keys(this.counters) as (keyof ProducerCounters)[]) {
      metrics.addMetric(name, units[name] ?? MetricUnit.Count, this.counters[name] - this.published[name]);
    }
    metrics.addMetric('bufferBytes', MetricUnit.Bytes, bufferBytes);
    metrics.addMetric('bufferFillPercent', MetricUnit.Percent, (100 * bufferBytes) / bufferCapBytes);
    metrics.addMetric('recordFillPercent', MetricUnit.Percent, 100 * this.fillRatio);
    metrics.publishStoredMetrics();
    for (const [reason, total] of this.rejectedPayloads) {
      const single = metrics.singleMetric();
      single.addDimension('Reason', reason);
      single.addMetric('payloadsRejected', MetricUnit.Count, total - (this.publishedRejections.get(reason) ?? 0));
    }
    for (const [reason, total] of this.droppedEvents) {
      const single = metrics.singleMetric();
      single.addDimension('Reason', reason);
      single.addMetric('eventsDropped', MetricUnit.Count, total - (this.publishedDrops.get(reason) ?? 0));
    }
    this.markPublished();
  }

  /**
   * What changed since the last publish as one line for a person, for running on one machine where nobody reads
   * embedded-metric JSON; nothing at all while idle.
   */
  publishLine(write: (line: string) => void): void {
    const delta = (name: keyof ProducerCounters) => this.counters[name] - this.published[name];
    const sum = (now: Map<string, number>, before: Map<string, number>) =>
      [...now].reduce((total, [reason, count]) => total + count - (before.get(reason) ?? 0), 0);
    const rejected = sum(this.rejectedPayloads, this.publishedRejections);
    const dropped = sum(this.droppedEvents, this.publishedDrops);
    const records = delta('recordsPut');
    if (delta('payloadsAccepted') + records + rejected + dropped + delta('recordsSpilled') === 0) return;
    const n = (value: number) => value.toLocaleString('en-US');
    const fill = records === 0 ? 0 : Math.round((100 * delta('bytesPut')) / records / this.recordByteCap);
    write(
      `${n(delta('eventsAccepted'))} events accepted in ${n(delta('payloadsAccepted'))} payloads, ` +
        `${n(records)} records put (${fill}% full), ${n(delta('recordsSpilled'))} spilled, ` +
        `${n(rejected)} payloads refused, ${n(dropped)} events dropped`,
    );
    this.markPublished();
  }

  private markPublished(): void {
    this.published = { ...this.counters };
    this.publishedRejections = new Map(this.rejectedPayloads);
    this.publishedDrops = new Map(this.droppedEvents);
  }
}
