import { parseArgs } from 'node:util';
import { commandLineArgs } from './command-line';
import { planStream, reshardAdvice } from '../lib/planning/capacity';
import { PRICES } from '../lib/planning/prices';

const usage =
  'usage: npm run plan -- --events-per-second N --event-bytes B [--retention-hours H] [--consumers C] [--enhanced-fan-out E] [--headroom X] [--azs N] [--current-shards S] [--json]';

function number(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new Error(`--${name} must be a number, got ${JSON.stringify(value)}\n${usage}`);
  return parsed;
}

/** The planner names its inputs as the code does; on the command line they are flags. */
const FLAG_OF_INPUT: Record<string, string> = {
  eventsPerSecond: '--events-per-second',
  eventBytes: '--event-bytes',
  retentionHours: '--retention-hours',
  consumers: '--consumers',
  enhancedFanOutConsumers: '--enhanced-fan-out',
  headroom: '--headroom',
  availabilityZones: '--azs',
};

function withFlagNames<T>(plan: () => T): T {
  try {
    return plan();
  } catch (error) {
    const message = (error as Error).message.replace(/^(\w+) /, (whole, name: string) =>
      FLAG_OF_INPUT[name] ? `${FLAG_OF_INPUT[name]} ` : whole,
    );
    throw new Error(message, { cause: error });
  }
}

function main(): void {
  const options = {
    'events-per-second': { type: 'string' },
    'event-bytes': { type: 'string' },
    'retention-hours': { type: 'string' },
    consumers: { type: 'string' },
    'enhanced-fan-out': { type: 'string' },
    'current-shards': { type: 'string' },
    headroom: { type: 'string' },
    azs: { type: 'string' },
    json: { type: 'boolean', default: false },
  } as const;
  const { values } = parseArgs({ args: commandLineArgs(options), options });
  const eventsPerSecond = number('events-per-second', values['events-per-second']);
  const eventBytes = number('event-bytes', values['event-bytes']);
  if (eventsPerSecond === undefined || eventBytes === undefined) throw new Error(usage);
  const declared = {
    eventsPerSecond,
    eventBytes,
    retentionHours: number('retention-hours', values['retention-hours']),
    consumers: number('consumers', values.consumers),
    enhancedFanOutConsumers: number('enhanced-fan-out', values['enhanced-fan-out']),
    headroom: number('headroom', values.headroom),
    availabilityZones: number('azs', values.azs),
  };
  const plan = withFlagNames(() => planStream(declared));
  // The same readers, every one but Firehose moved to enhanced fan-out (a replay then needs no shared room either).
  const lambdaReaders = Math.max(0, plan.input.consumers - 2);
  const allFanOut = planStream({
    ...declared,
    consumers: 1,
    enhancedFanOutConsumers: plan.input.enhancedFanOutConsumers + lambdaReaders,
  });
  const currentShards = number('current-shards', values['current-shards']);
  const reshard = currentShards === undefined ? undefined : reshardAdvice(plan, currentShards);
  if (values.json) {
    console.log(JSON.stringify({ ...plan, withEnhancedFanOut: allFanOut, reshard, prices: PRICES }, null, 2));
    return;
  }
  const money = (value: number) => `$${value.toLocaleString('en-US', { maximumFractionDigits: 2 })}`;
  const rows: [string, string][] = [
    ['events/s, bytes/event', `${plan.input.eventsPerSecond.toLocaleString('en-US')}, ${plan.input.eventBytes}`],
    ['events per record', String(plan.eventsPerRecord)],
    ['write MiB/s, records/s', `${(plan.writeBytesPerSecond / 1024 / 1024).toFixed(2)}, ${plan.recordsPerSecond}`],
    [
      'shards: write bytes / records / reads',
      `${plan.shards.byWriteBytes} / ${plan.shards.byWriteRecords} / ${plan.shards.byReadBytes}`,
    ],
    [`shards provisioned (headroom ${plan.input.headroom})`, String(plan.shards.provisioned)],
    ['shards without batching', String(plan.shards.unbatched)],
    ['PUT payload units per million events', String(plan.putPayloadUnitsPerMillionEvents)],
    ['monthly: provisioned, batched', money(plan.monthlyCost.provisionedBatched)],
    ['monthly: provisioned, unbatched', money(plan.monthlyCost.provisionedUnbatched)],
    ['monthly: on-demand, batched', money(plan.monthlyCost.onDemandBatched)],
    ['monthly: on-demand, unbatched', money(plan.monthlyCost.onDemandUnbatched)],
    [`monthly network: NAT (${plan.input.availabilityZones} AZs)`, money(plan.monthlyCost.natGateway)],
    [`monthly network: PrivateLink (${plan.input.availabilityZones} AZs)`, money(plan.monthlyCost.privateLink)],
    [
      `shards, stream + fan-out monthly: as declared (${plan.input.consumers} polling, ${plan.input.enhancedFanOutConsumers} fan-out)`,
      `${plan.shards.provisioned}, ${money(plan.monthlyCost.provisionedBatched + plan.monthlyCost.enhancedFanOut)}`,
    ],
    [
      `shards, stream + fan-out monthly: Firehose polling, ${allFanOut.input.enhancedFanOutConsumers} fan-out`,
      `${allFanOut.shards.provisioned}, ${money(allFanOut.monthlyCost.provisionedBatched + allFanOut.monthlyCost.enhancedFanOut)}`,
    ],
  ];
  if (reshard) {
    rows.push([
      `events/s the current ${reshard.currentShards} shards carry`,
      reshard.capacityEventsPerSecond.toLocaleString('en-US'),
    ]);
    rows.push([
      'reshard',
      reshard.steps.length === 0
        ? 'no: the current shards are the plan'
        : `UpdateShardCount to ${reshard.steps.join(', then ')} (UNIFORM_SCALING; each call at most doubles or halves)`,
    ]);
  }
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);
  console.log(
    `\nprices: ${PRICES.region}, as of ${PRICES.asOf}; retention ${plan.input.retentionHours} h, ${plan.input.consumers} polling readers (Firehose, each consumer without fan-out, one replay)`,
  );
  for (const warning of plan.warnings) console.log(`warning: ${warning}`);
}

try {
  main();
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
