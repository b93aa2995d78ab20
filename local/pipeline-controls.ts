import type { Redis } from 'ioredis';
import type { RedriveReport } from '../lib/redrive/redrive';
import type { FunctionStats } from './lambda-function';
import type { AnalyticsStatus } from './analytics-status';
import type { ExperimentResults, MetricOverTime } from '../lib/experiments/experiment-results';

export type LocalConsumer = 'contexts-indexer' | 'flag-status';

/** A replay as the status page and `npm run replay -- --env local` show it. */
export interface ReplayStatus {
  readonly consumer: LocalConsumer | 'experiments';
  readonly generation: number;
  /** The hour-aligned start the generation owns values from. */
  readonly from: string;
  readonly startedAt: string;
  readonly recordsRead: number;
  /** The arrival time of the newest record read on the shard that is furthest behind. */
  readonly readUpTo: string | null;
  readonly state: 'building' | 'live';
  readonly switchedAt: string | null;
}

/** Where the local stores are, for `npm run query -- --env local`. */
export interface LocalStores {
  /** kinesalite, on a port of its own each start. */
  readonly kinesisEndpoint: string;
  readonly redisUrl: string;
  readonly keyPrefix: string;
  readonly openSearchUrl: string;
  readonly contextsAlias: string;
  /** The kinesalite that stands for the export destinations' streams; null without destinations. */
  readonly customerKinesisEndpoint: string | null;
  /** Where the experiment job writes its figures in Redis, and its Flink REST API; null when it does not run. */
  readonly experimentKeyPrefix: string | null;
  readonly analyticsUrl: string | null;
  /** The experiment definitions the job reads. */
  readonly experimentsFile: string | null;
  /** The local archive's root: `events/environment=…/dt=…/hour=…/` under it, as in the bucket. */
  readonly archiveDirectory: string;
}

/** What the status page and its control routes ask of the running pipeline, without knowing how it is built. */
export interface PipelineControls {
  readonly functions: Readonly<Record<string, { readonly stats: FunctionStats }>>;
  readonly stores: LocalStores;
  readonly redis: Redis;
  readonly keyPrefix: string;
  replayStatuses(): Promise<ReplayStatus[]>;
  /** The experiment job and its figures; null when it does not run. */
  analyticsStatus(): Promise<AnalyticsStatus | null>;
  /** Each experiment's results with their statistics and, per metric, its estimates minute by minute. */
  experimentResults(): Promise<{ results: ExperimentResults; overTime: MetricOverTime[] }[]>;
  replayFrom(consumer: string, from: Date): Promise<ReplayStatus>;
  redrive(consumer: string, dryRun: boolean): Promise<RedriveReport>;
}
