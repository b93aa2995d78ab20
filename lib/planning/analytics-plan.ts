import { join } from 'node:path';
import type { EnvironmentConfig } from '../config/environment-config';
import measured from './measured-analytics.json';
import { HOURS_PER_MONTH, PRICES } from './prices';

/**
 * The experiment job's measured cost: events one task CPU-second carries through the whole job, and the state it
 * keeps per exposed unit. `npm run bench -- analytics` measures both; `npm run sizing -- --accept` takes them here.
 */
export const MEASURED_ANALYTICS: typeof measured = measured;
export const MEASURED_ANALYTICS_FILE = join(__dirname, 'measured-analytics.json');

/** One KPU: 1 vCPU, 4 GB of memory and 50 GB of running application storage, where RocksDB keeps the job's state. */
export const KPU = { vcpus: 1, memoryGb: 4, runningStorageGb: 50 } as const;
/** Managed Service for Apache Flink bills one KPU more per application, for orchestration. */
const ORCHESTRATION_KPUS = 1;
/** Cores for twice the peak: after a restart or a replay the job catches up at least as fast as events arrive. */
export const CATCH_UP_FACTOR = 2;
/** State fills at most half of its storage, so a snapshot and RocksDB's compactions have room beside it. */
const STATE_STORAGE_FILL = 0.5;
/** An application's parallelism is capped at 64 KPUs by default (a service quota that can be raised). */
export const MAX_PARALLELISM = 64;

export interface AnalyticsLoad {
  readonly eventsPerSecond: number;
  readonly headroom: number;
  /** Units exposed to running experiments at once, over all experiments. */
  readonly exposedUnits: number;
}

export interface AnalyticsPlan {
  /** Parallel tasks, one KPU each. */
  readonly parallelism: number;
  readonly byCpu: number;
  readonly byState: number;
  /** What is billed: the tasks' KPUs and the orchestration KPU. */
  readonly billedKpus: number;
  readonly stateGb: number;
  readonly monthlyCost: { readonly kpus: number; readonly runningStorage: number; readonly backups: number };
  readonly monthlyTotal: number;
  readonly costPerBillionEvents: number;
  readonly warnings: string[];
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

/** The plan an environment's declared load and exposed units give: what its stack deploys and the doctor expects. */
export function environmentAnalyticsPlan(config: EnvironmentConfig, figures = MEASURED_ANALYTICS): AnalyticsPlan {
  return planAnalytics(
    {
      eventsPerSecond: config.load.peakEventsPerSecond,
      headroom: config.load.headroom,
      exposedUnits: config.analytics.exposedUnits,
    },
    figures,
  );
}

/** The experiment application's KPUs and monthly cost, from declared load and the job's measured figures. */
export function planAnalytics(load: AnalyticsLoad, figures = MEASURED_ANALYTICS): AnalyticsPlan {
  const peak = load.eventsPerSecond * load.headroom;
  const byCpu = Math.ceil((peak * CATCH_UP_FACTOR) / (figures.jobEventsPerCpuSecond * KPU.vcpus));
  const stateGb = (load.exposedUnits * figures.stateBytesPerExposedUnit) / 1e9;
  const byState = Math.ceil(stateGb / (KPU.runningStorageGb * STATE_STORAGE_FILL));
  const parallelism = Math.max(1, byCpu, byState);
  const billedKpus = parallelism + ORCHESTRATION_KPUS;
  const prices = PRICES.managedFlink;
  const monthlyCost = {
    kpus: round(billedKpus * prices.kpuHour * HOURS_PER_MONTH),
    runningStorage: round(parallelism * KPU.runningStorageGb * prices.runningStorageGbMonth),
    // One snapshot kept at a time, about the size of the state.
    backups: round(stateGb * prices.durableBackupGbMonth),
  };
  const monthlyTotal = round(monthlyCost.kpus + monthlyCost.runningStorage + monthlyCost.backups);
  const eventsPerMonth = load.eventsPerSecond * HOURS_PER_MONTH * 3600;
  const warnings =
    parallelism > MAX_PARALLELISM
      ? [`${parallelism} KPUs exceed the default quota of ${MAX_PARALLELISM} per application: ask AWS to raise it`]
      : [];
  return {
    parallelism,
    byCpu,
    byState,
    billedKpus,
    stateGb: round(stateGb, 3),
    monthlyCost,
    monthlyTotal,
    costPerBillionEvents: round((monthlyTotal / eventsPerMonth) * 1e9, 3),
    warnings,
  };
}
