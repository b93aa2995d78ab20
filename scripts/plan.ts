import { CommandOption, CommandSpec, numberOption, runCommand, UsageError } from './command';
import { planStream, reshardAdvice } from '../lib/planning/capacity';
import { MEASURED_EVENT_BYTES } from '../lib/planning/measured-event-bytes';
import { PRICES } from '../lib/planning/prices';
import { CATCH_UP_FACTOR, MEASURED_ANALYTICS, planAnalytics } from '../lib/planning/analytics-plan';
import { runBillPlan } from './plan-bill';
import { runExportPlan } from './plan-export';

const spec = {
  name: 'npm run plan',
  summary:
    'Sizes the Kinesis stream from declared load: shards for writes (bytes and records) and reads, the monthly cost ' +
    'of each way to run it, and the resharding steps from the shards there are now; and the experiment job: its ' +
    'KPUs on Managed Service for Apache Flink and their monthly cost.',
  options: {
    'events-per-second': { type: 'string', value: 'N', required: true, description: 'events per second at peak' },
    'event-bytes': {
      type: 'string',
      value: 'B',
      description: `mean bytes per event in a record (default ${MEASURED_EVENT_BYTES.eventBytes}: realistic events in compressed records, as npm run bench -- compression measured them)`,
    },
    'retention-hours': { type: 'string', value: 'H', description: 'stream retention, 24 to 8760 (default 24)' },
    consumers: {
      type: 'string',
      value: 'C',
      description:
        'readers polling shared read throughput: Firehose, each Lambda consumer, the experiment job and one replay (default 5)',
    },
    'exposed-units': {
      type: 'string',
      value: 'U',
      description: 'units exposed to running experiments at once, which the job keeps state for (default 0)',
    },
    'enhanced-fan-out': { type: 'string', value: 'E', description: 'consumers with a dedicated pipe (default 0)' },
    headroom: { type: 'string', value: 'X', description: 'multiplier over the peak (default 1)' },
    azs: { type: 'string', value: 'N', description: 'availability zones, for the network cost (default 3)' },
    'current-shards': { type: 'string', value: 'S', description: 'shards the stream has now: adds the resharding' },
    json: { type: 'boolean', default: false, description: 'the whole plan as JSON' },
  },
  examples: [
    'npm run plan -- --events-per-second 50000',
    'npm run plan -- --events-per-second 50000 --event-bytes 475 --current-shards 4 --headroom 1.5',
    'npm run plan -- bill --env prod   (each environment priced by component: npm run plan -- bill --help)',
    'npm run plan -- export --help     (a Data Export customer stream)',
  ],
} as const satisfies CommandSpec<Record<string, CommandOption>>;

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
    throw new UsageError(message, { cause: error });
  }
}

if (process.argv[2] === 'export') runExportPlan(process.argv.slice(3));
else if (process.argv[2] === 'bill') runBillPlan(process.argv.slice(3));
else
  runCommand(spec, ({ values }) => {
    const declared = {
      eventsPerSecond: numberOption(values['events-per-second'], 'events-per-second')!,
      eventBytes: numberOption(values['event-bytes'], 'event-bytes') ?? MEASURED_EVENT_BYTES.eventBytes,
      retentionHours: numberOption(values['retention-hours'], 'retention-hours'),
      consumers: numberOption(values.consumers, 'consumers') ?? 5,
      enhancedFanOutConsumers: numberOption(values['enhanced-fan-out'], 'enhanced-fan-out'),
      headroom: numberOption(values.headroom, 'headroom'),
      availabilityZones: numberOption(values.azs, 'azs'),
    };
    const plan = withFlagNames(() => planStream(declared));
    // The same readers, every one but Firehose moved to enhanced fan-out (a replay then needs no shared room either).
    const fanOutReaders = Math.max(0, plan.input.consumers - 2);
    const allFanOut = planStream({
      ...declared,
      consumers: 1,
      enhancedFanOutConsumers: plan.input.enhancedFanOutConsumers + fanOutReaders,
    });
    const analytics = planAnalytics({
      eventsPerSecond: plan.input.eventsPerSecond,
      headroom: plan.input.headroom,
      exposedUnits: numberOption(values['exposed-units'], 'exposed-units') ?? 0,
    });
    const currentShards = numberOption(values['current-shards'], 'current-shards');
    const reshard = currentShards === undefined ? undefined : reshardAdvice(plan, currentShards);
    if (values.json) {
      console.log(
        JSON.stringify({ ...plan, withEnhancedFanOut: allFanOut, reshard, analytics, prices: PRICES }, null, 2),
      );
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
      ['events a fully used shard carries per second', Math.floor(plan.eventsPerShardSecond).toLocaleString('en-US')],
      ['stream cost per billion events (shards fully used)', money(plan.costPerBillionEvents)],
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
    const cheaper =
      allFanOut.monthlyCost.provisionedBatched + allFanOut.monthlyCost.enhancedFanOut <
      plan.monthlyCost.provisionedBatched + plan.monthlyCost.enhancedFanOut
        ? 'enhanced fan-out (fewer shards outweigh the consumer-shard hours)'
        : 'polling (more shards cost less than a fan-out consumer on every shard)';
    rows.push(['cheaper way to add readers', cheaper]);
    rows.push([
      'experiment job: KPUs by CPU / by state',
      `${analytics.byCpu} / ${analytics.byState} (${analytics.stateGb} GB of state)`,
    ]);
    rows.push([
      'experiment job: parallelism, KPUs billed',
      `${analytics.parallelism}, ${analytics.billedKpus} (one more for orchestration)`,
    ]);
    rows.push([
      'experiment job monthly: KPUs + running storage + backups',
      `${money(analytics.monthlyTotal)} (${money(analytics.monthlyCost.kpus)} + ${money(analytics.monthlyCost.runningStorage)} + ${money(analytics.monthlyCost.backups)})`,
    ]);
    rows.push([
      'experiment job cost per billion events (at the peak all month)',
      money(analytics.costPerBillionEvents),
    ]);
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
      `\nprices: ${PRICES.region}, as of ${PRICES.asOf}; retention ${plan.input.retentionHours} h, ${plan.input.consumers} polling readers (Firehose, each consumer without fan-out, one replay); the job: ${MEASURED_ANALYTICS.jobEventsPerCpuSecond.toLocaleString('en-US')} events a KPU-second, ${MEASURED_ANALYTICS.stateBytesPerExposedUnit} B of state an exposed unit (${MEASURED_ANALYTICS.measuredWith}), cores for ${CATCH_UP_FACTOR}× the peak so it catches up after a restart`,
    );
    for (const warning of [...plan.warnings, ...analytics.warnings]) console.log(`warning: ${warning}`);
  });
