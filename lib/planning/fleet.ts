import { join } from 'node:path';
import measured from './measured-producer.json';

export type MeasuredProducer = typeof measured;

/**
 * What one events API process takes on one core, as `npm run bench -- producer` measured it on the realistic corpus
 * (HTTP, validation, protobuf, compressed records, PutRecords; per CPU-second of the process, its garbage collector
 * included), accepted into this file by `npm run sizing -- --accept`: the fleet is sized from it. Realistic payloads hold under ten events but about as
 * many bytes as the load generator's payloads of 50, and the work follows the bytes: measured on those, a core would
 * seem to take six times the events.
 */
export const MEASURED_PRODUCER: MeasuredProducer = measured;
export const MEASURED_PRODUCER_FILE = join(__dirname, 'measured-producer.json');
/** The fleet scales out above this CPU, leaving room for a burst while a new instance boots. */
export const FLEET_CPU_TARGET_PERCENT = 60;

/** vCPUs of a Graviton or burstable instance type, from its size (t4g.small 2, c7g.medium 1, c7g.2xlarge 8). */
export function vcpusOf(instanceType: string): number {
  const [family, size] = instanceType.split('.');
  const multiple = /^(\d*)xlarge$/.exec(size ?? '');
  if (multiple) return 4 * Number(multiple[1] || 1);
  if (size === 'large') return 2;
  if (family?.startsWith('t') && ['nano', 'micro', 'small', 'medium'].includes(size ?? '')) return 2;
  if (size === 'medium') return 1;
  throw new Error(`cannot tell the vCPUs of instance type ${JSON.stringify(instanceType)}`);
}

/** Requests per second one instance serves at the CPU target, one process per vCPU, in the corpus's payloads. */
export function requestsPerInstanceAtTarget(instanceType: string, producer = MEASURED_PRODUCER): number {
  return Math.floor(fleetEventsPerSecondAtTarget(instanceType, 1, producer) / producer.eventsPerPayload);
}

/** Events per second the whole fleet takes at its maximum size and the CPU target. */
export function fleetEventsPerSecondAtTarget(
  instanceType: string,
  maxCapacity: number,
  producer = MEASURED_PRODUCER,
): number {
  return (maxCapacity * vcpusOf(instanceType) * producer.eventsPerCoreSecond * FLEET_CPU_TARGET_PERCENT) / 100;
}

/** The fewest instances that carry a peak (events/s, headroom included) at the CPU target. */
export function instancesForPeak(
  instanceType: string,
  peakEventsPerSecond: number,
  producer = MEASURED_PRODUCER,
): number {
  return Math.ceil(peakEventsPerSecond / fleetEventsPerSecondAtTarget(instanceType, 1, producer));
}
