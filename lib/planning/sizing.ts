import type { EnvironmentConfig } from '../config/environment-config';
import { environmentAnalyticsPlan, MEASURED_ANALYTICS, MEASURED_ANALYTICS_FILE } from './analytics-plan';
import { environmentStreamPlan } from './capacity';
import { MEASURED_EXPORT_SIZES, MEASURED_EXPORT_SIZES_FILE } from './export-plan';
import {
  instancesForPeak,
  MEASURED_PRODUCER,
  MEASURED_PRODUCER_FILE,
  MeasuredProducer,
  requestsPerInstanceAtTarget,
} from './fleet';
import {
  MEASURED_ARCHIVE,
  MEASURED_ARCHIVE_FILE,
  MEASURED_CONSUMERS,
  MEASURED_CONSUMERS_FILE,
} from './consumer-figures';
import { MEASURED_EVENT_BYTES, MEASURED_EVENT_BYTES_FILE } from './measured-event-bytes';

/** The measured figures the stacks are sized from, each kept in a tracked file of its own. */
export interface MeasuredFigures {
  readonly producer: MeasuredProducer;
  readonly eventBytes: typeof MEASURED_EVENT_BYTES;
  readonly exportSizes: typeof MEASURED_EXPORT_SIZES;
  readonly analytics: typeof MEASURED_ANALYTICS;
  readonly consumers: typeof MEASURED_CONSUMERS;
  readonly archive: typeof MEASURED_ARCHIVE;
}

export const ACCEPTED_FIGURES: MeasuredFigures = {
  producer: MEASURED_PRODUCER,
  eventBytes: MEASURED_EVENT_BYTES,
  exportSizes: MEASURED_EXPORT_SIZES,
  analytics: MEASURED_ANALYTICS,
  consumers: MEASURED_CONSUMERS,
  archive: MEASURED_ARCHIVE,
};

/** Each figure's tracked file, and the bench that measures it. */
export const FIGURE_FILES: Record<keyof MeasuredFigures, { readonly file: string; readonly bench: string }> = {
  producer: { file: MEASURED_PRODUCER_FILE, bench: 'producer' },
  eventBytes: { file: MEASURED_EVENT_BYTES_FILE, bench: 'compression' },
  exportSizes: { file: MEASURED_EXPORT_SIZES_FILE, bench: 'export' },
  analytics: { file: MEASURED_ANALYTICS_FILE, bench: 'analytics' },
  consumers: { file: MEASURED_CONSUMERS_FILE, bench: 'consumers' },
  archive: { file: MEASURED_ARCHIVE_FILE, bench: 'archive' },
};

/** What one environment's stacks come to under a set of figures, beside the settings the config declares. */
export interface EnvironmentSizing {
  readonly environment: string;
  readonly instanceType: string;
  /** The ALB target the config declares, and the most an instance serves at the CPU target (synth's limit). */
  readonly requestsPerTarget: number;
  readonly requestsPerInstanceLimit: number;
  /** The largest fleet the config declares, and the fewest instances that carry its peak with headroom. */
  readonly maxCapacity: number;
  readonly instancesForPeak: number;
  readonly shards: number;
  /** The experiment application's parallelism (one KPU each). */
  readonly analyticsKpus: number;
  /** What synth would refuse under these figures. */
  readonly refusals: string[];
}

export function environmentSizing(config: EnvironmentConfig, figures: MeasuredFigures): EnvironmentSizing {
  const { instanceType, requestsPerTarget, maxCapacity } = config.fleet;
  const requestsPerInstanceLimit = requestsPerInstanceAtTarget(instanceType, figures.producer);
  const peak = config.load.peakEventsPerSecond * config.load.headroom;
  const instances = instancesForPeak(instanceType, peak, figures.producer);
  const refusals = [
    ...(requestsPerTarget > requestsPerInstanceLimit
      ? [`fleet.requestsPerTarget ${requestsPerTarget} is over ${requestsPerInstanceLimit}`]
      : []),
    ...(maxCapacity < instances ? [`fleet.maxCapacity ${maxCapacity} is under the ${instances} the peak needs`] : []),
  ];
  const stream = environmentStreamPlan({
    ...config,
    load: { ...config.load, eventBytes: figures.eventBytes.eventBytes },
  });
  return {
    environment: config.name,
    instanceType,
    requestsPerTarget,
    requestsPerInstanceLimit,
    maxCapacity,
    instancesForPeak: instances,
    shards: stream.shards.provisioned,
    analyticsKpus: environmentAnalyticsPlan(config, figures.analytics).parallelism,
    refusals,
  };
}
