import type { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/** What every Kinesis consumer tells of a batch. */
export interface BatchFigures {
  readonly events: number;
  readonly corruptRecords: number;
  readonly unusableEvents: number;
  readonly clampedEvents: number;
  /** Set when this batch made the writer's generation the one reads use. */
  readonly switchedGeneration?: number;
}

/** The figures every consumer reports under the same names, and a replay's switch, counted and logged. */
export function reportBatchFigures(metrics: Metrics, logger: Logger, figures: BatchFigures): void {
  metrics.addMetric('eventsRead', MetricUnit.Count, figures.events);
  metrics.addMetric('corruptRecords', MetricUnit.Count, figures.corruptRecords);
  metrics.addMetric('unusableEvents', MetricUnit.Count, figures.unusableEvents);
  metrics.addMetric('clampedEventTimes', MetricUnit.Count, figures.clampedEvents);
  if (figures.switchedGeneration !== undefined) {
    metrics.addMetric('generationSwitched', MetricUnit.Count, 1);
    logger.info('replay caught up: reads now use this generation', { generation: figures.switchedGeneration });
  }
}
