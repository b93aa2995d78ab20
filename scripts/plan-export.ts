import { CommandOption, CommandSpec, numberOption, runCommand, UsageError } from './command';
import { EVENTS_PER_MONTH_PER_RECOMMENDED_SHARD, MEASURED_EXPORT_SIZES, planExport } from '../lib/planning/export-plan';

const spec = {
  name: 'npm run plan -- export',
  summary:
    'Sizes a Data Export customer’s Kinesis stream: the shards the documentation’s rule of thumb recommends (one per ' +
    `${EVENTS_PER_MONTH_PER_RECOMMENDED_SHARD / 1e6} million events a month) and the shards the measured size of an ` +
    'exported event needs at the peak (one record per event: 1,000 records and 1 MiB a shard-second).',
  options: {
    'events-per-month': { type: 'string', value: 'N', required: true, description: 'events the environment exports' },
    'event-bytes': {
      type: 'string',
      value: 'B',
      description: `mean bytes of an exported event with its partition key (default ${MEASURED_EXPORT_SIZES.exportedEventBytes}: the realistic corpus, as npm run bench -- export measured it)`,
    },
    'peak-to-mean': { type: 'string', value: 'X', description: 'the busiest second over the mean second (default 3)' },
    json: { type: 'boolean', default: false, description: 'the plan as JSON' },
  },
  examples: ['npm run plan -- export --events-per-month 200000000'],
} as const satisfies CommandSpec<Record<string, CommandOption>>;

export function runExportPlan(argv: readonly string[]): void {
  runCommand(
    spec,
    ({ values }) => {
      let plan;
      try {
        plan = planExport({
          eventsPerMonth: numberOption(values['events-per-month'], 'events-per-month')!,
          exportedEventBytes:
            numberOption(values['event-bytes'], 'event-bytes') ?? MEASURED_EXPORT_SIZES.exportedEventBytes,
          peakToMean: numberOption(values['peak-to-mean'], 'peak-to-mean') ?? 3,
        });
      } catch (error) {
        throw new UsageError(`--${(error as Error).message.replace(/([A-Z])/g, '-$1').toLowerCase()}`, {
          cause: error,
        });
      }
      if (values.json) {
        console.log(JSON.stringify(plan, null, 2));
        return;
      }
      const rows: [string, string][] = [
        [
          'events a month, bytes an event',
          `${plan.input.eventsPerMonth.toLocaleString('en-US')}, ${plan.input.exportedEventBytes}`,
        ],
        [
          `peak events/s (${plan.input.peakToMean}× the mean)`,
          Math.ceil(plan.peakEventsPerSecond).toLocaleString('en-US'),
        ],
        ['shards recommended (rule of thumb)', String(plan.recommendedShards)],
        ['shards the measured size needs at the peak', String(plan.measuredShards)],
        [
          `events a shard carries a second (${plan.limitedBy} bind)`,
          Math.floor(plan.eventsPerShardSecond).toLocaleString('en-US'),
        ],
      ];
      const width = Math.max(...rows.map(([label]) => label.length));
      for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);
      console.log(
        '\nA stream smaller than the peak needs is throttled; the exporter keeps what it refuses in the destination’s backlog and sends it later, so nothing is lost, but events arrive late.',
      );
    },
    argv,
  );
}
