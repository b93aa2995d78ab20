import { join } from 'node:path';
import measured from './measured-export-sizes.json';

/** Exported event bytes of the realistic corpus: `npm run bench -- export` measures them, `npm run sizing -- --accept` takes them. */
export const MEASURED_EXPORT_SIZES: typeof measured = measured;
export const MEASURED_EXPORT_SIZES_FILE = join(__dirname, 'measured-export-sizes.json');

// A Kinesis shard takes 1,000 records and 1 MiB a second; Data Export writes one record per event.
const SHARD_RECORDS_PER_SECOND = 1_000;
const SHARD_BYTES_PER_SECOND = 1024 * 1024;
const SECONDS_PER_MONTH = 30 * 86_400;
/** The customer documentation's rule of thumb: one shard per 50 million events a month. */
export const EVENTS_PER_MONTH_PER_RECOMMENDED_SHARD = 50_000_000;

export interface ExportPlanInput {
  readonly eventsPerMonth: number;
  /** Mean bytes of one exported event (one record). */
  readonly exportedEventBytes: number;
  /** The busiest second over the month's mean second. */
  readonly peakToMean: number;
}

export interface ExportPlan {
  readonly input: ExportPlanInput;
  readonly recommendedShards: number;
  /** Shards the peak needs at the measured size: records or bytes, whichever binds first. */
  readonly measuredShards: number;
  readonly peakEventsPerSecond: number;
  /** What one shard carries at the measured size, a second and a month at that rate. */
  readonly eventsPerShardSecond: number;
  readonly eventsPerShardMonth: number;
  readonly limitedBy: 'records' | 'bytes';
}

export function planExport(input: ExportPlanInput): ExportPlan {
  for (const [field, value] of Object.entries(input)) {
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${field} must be a positive number, got ${value}`);
  }
  const byBytes = SHARD_BYTES_PER_SECOND / input.exportedEventBytes;
  const eventsPerShardSecond = Math.min(SHARD_RECORDS_PER_SECOND, byBytes);
  const peakEventsPerSecond = (input.eventsPerMonth / SECONDS_PER_MONTH) * input.peakToMean;
  return {
    input,
    recommendedShards: Math.max(1, Math.ceil(input.eventsPerMonth / EVENTS_PER_MONTH_PER_RECOMMENDED_SHARD)),
    measuredShards: Math.max(1, Math.ceil(peakEventsPerSecond / eventsPerShardSecond)),
    peakEventsPerSecond,
    eventsPerShardSecond,
    eventsPerShardMonth: eventsPerShardSecond * SECONDS_PER_MONTH,
    limitedBy: byBytes < SHARD_RECORDS_PER_SECOND ? 'bytes' : 'records',
  };
}
