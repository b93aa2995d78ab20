/**
 * Events one events API process takes per second on one core: `npm run bench -- producer` measured 173k events/s
 * (HTTP, validation, protobuf, PutRecords) in payloads of 50 events, sharing two cores with its load generator.
 */
export const PRODUCER_EVENTS_PER_CORE = 173_000;
/** The payload size that figure was measured with. */
export const BENCH_EVENTS_PER_PAYLOAD = 50;
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

/** Requests per second one instance serves at the CPU target, one process per vCPU, in benchmark-sized payloads. */
export function requestsPerInstanceAtTarget(instanceType: string): number {
  const eventsPerSecond = (vcpusOf(instanceType) * PRODUCER_EVENTS_PER_CORE * FLEET_CPU_TARGET_PERCENT) / 100;
  return Math.floor(eventsPerSecond / BENCH_EVENTS_PER_PAYLOAD);
}

/** Events per second the whole fleet takes at its maximum size and the CPU target. */
export function fleetEventsPerSecondAtTarget(instanceType: string, maxCapacity: number): number {
  return (maxCapacity * vcpusOf(instanceType) * PRODUCER_EVENTS_PER_CORE * FLEET_CPU_TARGET_PERCENT) / 100;
}
