import type { EnvironmentConfig } from '../config/environment-config';
import { HOURS_PER_MONTH, PRICES, SECONDS_PER_MONTH } from './prices';

// Kinesis Data Streams limits per shard.
export const SHARD_WRITE_BYTES_PER_SECOND = 1024 * 1024;
export const SHARD_WRITE_RECORDS_PER_SECOND = 1_000;
export const SHARD_READ_BYTES_PER_SECOND = 2 * 1024 * 1024;
export const SHARD_GET_RECORDS_PER_SECOND = 5;
/** One PUT payload unit: records are billed in 25 KB chunks. */
export const PUT_PAYLOAD_UNIT_BYTES = 25_000;
/** On-demand ingest rounds every record up to 1 KiB. */
const ON_DEMAND_RECORD_ROUNDING_BYTES = 1024;
/** Framing our records add per event: field tag, length and envelope index (see codec/event-codec.ts). */
export const EVENT_FRAMING_BYTES = 4;
/** Room in each record for its header and partition key, and for the envelopes its payloads share. */
const RECORD_OVERHEAD_BYTES = 300;

export interface LoadDeclaration {
  /** Peak events per second the stream must take. */
  readonly eventsPerSecond: number;
  /** Mean encoded size of one event, in bytes. */
  readonly eventBytes: number;
  /** @default 24 */
  readonly retentionHours?: number;
  /**
   * Readers polling the stream with shared throughput: Firehose, each consumer without enhanced fan-out, and one
   * more for a replay's generation catching up beside them. @default 3
   */
  readonly consumers?: number;
  /** Consumers reading through enhanced fan-out, each with its own 2 MiB/s per shard. @default 0 */
  readonly enhancedFanOutConsumers?: number;
  /** Multiplier over the computed need. @default 1 */
  readonly headroom?: number;
  /** Availability zones the producer fleet spans, for the network comparison. @default 3 */
  readonly availabilityZones?: number;
}

export interface StreamPlan {
  readonly input: Required<LoadDeclaration>;
  readonly eventsPerRecord: number;
  /** Events a fully used shard carries, by whichever of its write and read limits binds first. */
  readonly eventsPerShardSecond: number;
  /** Shard hours and PUT payload units per billion events, on fully used shards. */
  readonly costPerBillionEvents: number;
  readonly writeBytesPerSecond: number;
  readonly recordsPerSecond: number;
  readonly shards: {
    readonly byWriteBytes: number;
    readonly byWriteRecords: number;
    readonly byReadBytes: number;
    /** What the stream is given: the largest need, times the headroom. */
    readonly provisioned: number;
    readonly unbatched: number;
  };
  readonly putPayloadUnitsPerMillionEvents: number;
  readonly monthlyCost: {
    readonly provisionedBatched: number;
    readonly provisionedUnbatched: number;
    readonly onDemandBatched: number;
    readonly onDemandUnbatched: number;
    readonly natGateway: number;
    readonly privateLink: number;
    /** Consumer-shard hours and data retrieved by the enhanced fan-out consumers. */
    readonly enhancedFanOut: number;
  };
  readonly warnings: string[];
}

function check(name: string, value: number, minimum: number, maximum: number): void {
  if (!Number.isFinite(value) || value < minimum || value > maximum) {
    throw new RangeError(`${name} must be from ${minimum} to ${maximum}, got ${value}`);
  }
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

/** The planner's eventBytes for records as written: their bytes per event, less the framing the planner adds back. */
export function eventBytesFromRecords(recordBytes: number, events: number): number {
  return recordBytes / events - EVENT_FRAMING_BYTES;
}

/** The stream an environment's config declares: what the stream stack provisions and validation sizes from. */
export function environmentStreamPlan(config: EnvironmentConfig): StreamPlan {
  return planStream({
    eventsPerSecond: config.load.peakEventsPerSecond,
    eventBytes: config.load.eventBytes,
    headroom: config.load.headroom,
    retentionHours: config.stream.retentionHours,
    ...environmentReaders(config),
    availabilityZones: config.availabilityZoneIds.length,
  });
}

/** An environment's readers: its consumers, and the experiment job, which polls every shard once a second. */
export function environmentReaders(
  config: Pick<EnvironmentConfig, 'consumers'>,
): Pick<LoadDeclaration, 'consumers' | 'enhancedFanOutConsumers'> {
  return streamReaders([...Object.values(config.consumers), { enhancedFanOut: false }]);
}

/**
 * Who shares each shard's reads: Firehose, every consumer without enhanced fan-out, and (when one of those is
 * replayed) its new generation catching up at full speed, so a replay never slows the others.
 */
export function streamReaders(
  consumers: readonly { readonly enhancedFanOut?: boolean }[],
): Pick<LoadDeclaration, 'consumers' | 'enhancedFanOutConsumers'> {
  const polling = consumers.filter((each) => !each.enhancedFanOut).length;
  return { consumers: 1 + polling + (polling > 0 ? 1 : 0), enhancedFanOutConsumers: consumers.length - polling };
}

/** Shards and monthly cost for a declared load: the one place the stack and `npm run plan` get them from. */
export function planStream(load: LoadDeclaration): StreamPlan {
  const input: Required<LoadDeclaration> = {
    eventsPerSecond: load.eventsPerSecond,
    eventBytes: load.eventBytes,
    retentionHours: load.retentionHours ?? 24,
    consumers: load.consumers ?? 3,
    enhancedFanOutConsumers: load.enhancedFanOutConsumers ?? 0,
    headroom: load.headroom ?? 1,
    availabilityZones: load.availabilityZones ?? 3,
  };
  check('eventsPerSecond', input.eventsPerSecond, 1, 1e9);
  check('eventBytes', input.eventBytes, 1, PUT_PAYLOAD_UNIT_BYTES - RECORD_OVERHEAD_BYTES - EVENT_FRAMING_BYTES);
  check('retentionHours', input.retentionHours, 24, 8_760);
  check('consumers', input.consumers, 1, 20);
  // A stream takes at most 20 registered enhanced fan-out consumers; a replay's generation registers one more.
  check('enhancedFanOutConsumers', input.enhancedFanOutConsumers, 0, 10);
  check('headroom', input.headroom, 1, 10);
  check('availabilityZones', input.availabilityZones, 1, 6);

  const framedEventBytes = input.eventBytes + EVENT_FRAMING_BYTES;
  const eventsPerRecord = Math.floor((PUT_PAYLOAD_UNIT_BYTES - RECORD_OVERHEAD_BYTES) / framedEventBytes);
  const writeBytesPerSecond = input.eventsPerSecond * framedEventBytes;
  const recordsPerSecond = input.eventsPerSecond / eventsPerRecord;
  const byWriteBytes = Math.ceil(writeBytesPerSecond / SHARD_WRITE_BYTES_PER_SECOND);
  const byWriteRecords = Math.ceil(recordsPerSecond / SHARD_WRITE_RECORDS_PER_SECOND);
  const byReadBytes = Math.ceil((writeBytesPerSecond * input.consumers) / SHARD_READ_BYTES_PER_SECOND);
  const eventsPerShardSecond = Math.min(
    SHARD_WRITE_BYTES_PER_SECOND / framedEventBytes,
    SHARD_WRITE_RECORDS_PER_SECOND * eventsPerRecord,
    SHARD_READ_BYTES_PER_SECOND / (framedEventBytes * input.consumers),
  );
  const provisioned = Math.ceil(Math.max(byWriteBytes, byWriteRecords, byReadBytes) * input.headroom);
  const unbatchedBytes = input.eventsPerSecond * input.eventBytes;
  const unbatched = Math.ceil(
    Math.max(
      input.eventsPerSecond / SHARD_WRITE_RECORDS_PER_SECOND,
      unbatchedBytes / SHARD_WRITE_BYTES_PER_SECOND,
      (unbatchedBytes * input.consumers) / SHARD_READ_BYTES_PER_SECOND,
    ) * input.headroom,
  );

  const prices = PRICES.kinesis;
  const extendedRetention = input.retentionHours > 24 ? prices.extendedRetentionShardHour : 0;
  const shardMonth = (shards: number) => shards * (prices.shardHour + extendedRetention) * HOURS_PER_MONTH;
  const ppuMonth = (recordsPerSecond: number, ppuPerRecord: number) =>
    (recordsPerSecond * ppuPerRecord * SECONDS_PER_MONTH * prices.putPayloadUnitsPerMillion) / 1e6;
  const monthlyGb = (bytesPerSecond: number) => (bytesPerSecond * SECONDS_PER_MONTH) / 1e9;
  const batchedGb = monthlyGb(writeBytesPerSecond);
  const onDemand = (ingestGb: number) =>
    prices.onDemandStreamHour * HOURS_PER_MONTH +
    ingestGb * prices.onDemandIngestPerGb +
    batchedGb * input.consumers * prices.onDemandEgressPerGb;
  const network = PRICES.network;

  const warnings: string[] = [];
  if (input.consumers > SHARD_GET_RECORDS_PER_SECOND) {
    warnings.push(
      `${input.consumers} polling consumers exceed ${SHARD_GET_RECORDS_PER_SECOND} GetRecords calls a second per shard; use enhanced fan-out for some`,
    );
  }

  return {
    input,
    eventsPerRecord,
    eventsPerShardSecond,
    costPerBillionEvents: round(
      (1e9 / eventsPerShardSecond / 3600) * (prices.shardHour + extendedRetention) +
        (1e9 / eventsPerRecord / 1e6) * prices.putPayloadUnitsPerMillion,
      3,
    ),
    writeBytesPerSecond: Math.round(writeBytesPerSecond),
    recordsPerSecond: round(recordsPerSecond),
    shards: { byWriteBytes, byWriteRecords, byReadBytes, provisioned, unbatched },
    putPayloadUnitsPerMillionEvents: Math.round(1e6 / eventsPerRecord),
    monthlyCost: {
      provisionedBatched: round(shardMonth(provisioned) + ppuMonth(recordsPerSecond, 1)),
      provisionedUnbatched: round(shardMonth(unbatched) + ppuMonth(input.eventsPerSecond, 1)),
      onDemandBatched: round(onDemand(batchedGb)),
      onDemandUnbatched: round(
        onDemand((input.eventsPerSecond * ON_DEMAND_RECORD_ROUNDING_BYTES * SECONDS_PER_MONTH) / 1e9),
      ),
      natGateway: round(
        input.availabilityZones * network.natGatewayHour * HOURS_PER_MONTH + batchedGb * network.natGatewayPerGb,
      ),
      privateLink: round(
        input.availabilityZones * network.interfaceEndpointAzHour * HOURS_PER_MONTH +
          batchedGb * network.interfaceEndpointPerGb,
      ),
      enhancedFanOut: round(
        input.enhancedFanOutConsumers *
          (provisioned * prices.enhancedFanOutConsumerShardHour * HOURS_PER_MONTH +
            batchedGb * prices.enhancedFanOutRetrievalPerGb),
      ),
    },
    warnings,
  };
}

export interface ReshardAdvice {
  readonly currentShards: number;
  /** The declared events per second the current shards carry with every limit met (no headroom). */
  readonly capacityEventsPerSecond: number;
  readonly targetShards: number;
  /** UpdateShardCount calls, in order: each may at most double or halve the shards. */
  readonly steps: number[];
}

/** When the current shards stop carrying the declared load, and the UpdateShardCount calls that reach the plan. */
export function reshardAdvice(plan: StreamPlan, currentShards: number): ReshardAdvice {
  check('currentShards', currentShards, 1, 10_000);
  const steps: number[] = [];
  for (let shards = currentShards; shards !== plan.shards.provisioned;) {
    shards =
      plan.shards.provisioned > shards
        ? Math.min(plan.shards.provisioned, shards * 2)
        : Math.max(plan.shards.provisioned, Math.ceil(shards / 2));
    steps.push(shards);
  }
  return {
    currentShards,
    capacityEventsPerSecond: Math.floor(plan.eventsPerShardSecond * currentShards),
    targetShards: plan.shards.provisioned,
    steps,
  };
}
