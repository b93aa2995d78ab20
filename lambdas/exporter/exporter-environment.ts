import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import destinationsFile from '../../config/export-destinations.json';
import { destinationsOf, DestinationsFile } from './destinations';
import { poisonSinkFromEnv } from '../shared/consumer-environment';
import { requiredEnv } from '../shared/environment';
import { assumedRoleCredentials, DestinationWriters, STAND_IN_CREDENTIALS } from './destination-writer';
import { ExportBacklog } from './export-backlog';
import { DestinationCounters, Exporter } from './exporter';

/**
 * The exporter a function runs: its environment's destinations, bundled with the code (a destination is added by a
 * reviewed deploy, which also grants the role it assumes), and the backlog bucket the stack names.
 * DESTINATION_ENDPOINT, set only by `npm start`, sends every destination to one local stand-in with static
 * credentials instead of assuming its role.
 */
export function exporterFromEnv(env: Record<string, string | undefined> = process.env): Exporter {
  const destinations = destinationsOf(destinationsFile as DestinationsFile, requiredEnv('PIPELINE_ENVIRONMENT', env));
  const endpoint = env.DESTINATION_ENDPOINT;
  const credentials = endpoint ? STAND_IN_CREDENTIALS : assumedRoleCredentials(new STSClient({}));
  const writers = new DestinationWriters(() => ({ credentials, endpoint }));
  return new Exporter({
    destinations,
    backlog: new ExportBacklog(new S3Client({}), requiredEnv('BACKLOG_BUCKET', env)),
    writer: writers.get,
    poison: poisonSinkFromEnv(env),
  });
}

const COUNTER_NAMES: (keyof DestinationCounters)[] = [
  'delivered',
  'keptInBacklog',
  'deliveredFromBacklog',
  'droppedTooLarge',
  'droppedExpired',
  'throttledEntries',
];

/**
 * Each destination's state and what its counters gained since the last report, as one metric document per destination
 * with the destination as dimension: the alarms watch `exportPaused` and `backlogAgeSeconds`. `metrics` must be an
 * instance of its own: each destination's document is published at once, with only that destination's dimension.
 */
export function destinationReporter(
  metrics: Metrics,
  logger: Logger,
  exporter: Exporter,
  now: () => number = Date.now,
) {
  const reported = new Map<string, DestinationCounters>();
  return () => {
    for (const state of exporter.destinationStates()) {
      metrics.addDimension('destination', state.id);
      metrics.addMetric('exportPaused', MetricUnit.Count, state.state === 'paused' ? 1 : 0);
      metrics.addMetric(
        'backlogAgeSeconds',
        MetricUnit.Seconds,
        state.oldestBacklogMs === undefined ? 0 : Math.max(0, (now() - state.oldestBacklogMs) / 1000),
      );
      const before = reported.get(state.id);
      for (const name of COUNTER_NAMES)
        metrics.addMetric(name, MetricUnit.Count, state.counters[name] - (before?.[name] ?? 0));
      // Beside the metrics, where Logs Insights and the local status page find why a destination is not flowing.
      metrics.addMetadata('state', state.state);
      if (state.reason) metrics.addMetadata('reason', state.reason);
      metrics.publishStoredMetrics();
      reported.set(state.id, { ...state.counters });
      if (state.state !== 'flowing') logger.warn('destination not flowing', { ...state });
    }
  };
}
