import type { RedisClient } from '../../lambdas/shared/redis-client';

/**
 * Where a generation of the experiment job writes its figures, under flag-status's Redis prefix: a replay's
 * generation builds under keys of its own while the figures of the one before stay readable.
 */
export const experimentKeyPrefix = (flagStatusPrefix: string, generation = 0): string =>
  generation === 0 ? `${flagStatusPrefix}:exp` : `${flagStatusPrefix}:exp:g${generation}`;

/** One variation's figures for one metric, as the experiment job wrote them, with the per-unit rate and mean. */
export interface MetricFigures {
  readonly converted: number;
  readonly sum: number;
  readonly sumOfSquares: number;
  /** Converted units over exposed units. */
  readonly conversionRate: number;
  /** The metric's value per exposed unit (0 for a unit that sent none). */
  readonly meanPerUnit: number;
}

export interface VariationFigures {
  readonly variation: number;
  readonly units: number;
  readonly metrics: Record<string, MetricFigures>;
}

export interface ExperimentReport {
  readonly experimentId: string;
  /** When the job last wrote these figures; null when it never did. */
  readonly emittedAt: string | null;
  readonly variations: VariationFigures[];
  readonly crossoverUnits: number;
  /** Events left out of the figures, by reason (the job's own, such as corrupt records, under `job`). */
  readonly leftOut: Record<string, number>;
}

interface Totals {
  units: number;
  converted: number;
  sum: number;
  sumOfSquares: number;
}

/** The key of one of an experiment's hashes, as the job's Redis sink names it (hash-tagged by experiment). */
export const figuresKey = (prefix: string, experimentId: string, part: string) => `${prefix}:{${experimentId}}:${part}`;

/** The iterations the job has written figures for, of one experiment of one environment, newest last. */
export async function experimentIterations(
  redis: RedisClient,
  prefix: string,
  environmentId: string,
  key: string,
): Promise<string[]> {
  const all = await redis.smembers(`${prefix}:experiments`);
  return all
    .filter((id) => id.startsWith(`${environmentId}/${key}/`))
    .sort((a, b) => Number(a.split('/').at(-1)) - Number(b.split('/').at(-1)));
}

export async function readExperimentFigures(
  redis: RedisClient,
  prefix: string,
  experimentId: string,
): Promise<ExperimentReport> {
  const [totals, leftOut, jobLeftOut, state] = await Promise.all([
    redis.hgetall(figuresKey(prefix, experimentId, 'totals')),
    redis.hgetall(figuresKey(prefix, experimentId, 'left-out')),
    redis.hgetall(figuresKey(prefix, 'job', 'left-out')),
    redis.hgetall(figuresKey(prefix, experimentId, 'state')),
  ]);
  const byVariation = new Map<number, { units: number; metrics: Record<string, Totals> }>();
  for (const [cell, json] of Object.entries(totals)) {
    const separator = cell.indexOf(':');
    const variation = Number(cell.slice(0, separator));
    const metric = cell.slice(separator + 1);
    const figures = JSON.parse(json) as Totals;
    const entry = byVariation.get(variation) ?? { units: 0, metrics: {} };
    if (metric === '') entry.units = figures.units;
    else entry.metrics[metric] = figures;
    byVariation.set(variation, entry);
  }
  const variations = [...byVariation.entries()]
    .sort(([a], [b]) => a - b)
    .map(([variation, { units, metrics }]) => ({
      variation,
      units,
      metrics: Object.fromEntries(
        Object.entries(metrics).map(([metric, figures]) => [
          metric,
          {
            converted: figures.converted,
            sum: figures.sum,
            sumOfSquares: figures.sumOfSquares,
            conversionRate: units > 0 ? figures.converted / units : 0,
            meanPerUnit: units > 0 ? figures.sum / units : 0,
          },
        ]),
      ),
    }));
  const counts = (hash: Record<string, string>) =>
    Object.fromEntries(Object.entries(hash).map(([reason, count]) => [reason, Number(count)]));
  return {
    experimentId,
    emittedAt: state.emittedAtMs ? new Date(Number(state.emittedAtMs)).toISOString() : null,
    variations,
    crossoverUnits: Number(state.crossoverUnits ?? 0),
    leftOut: {
      ...counts(leftOut),
      ...Object.fromEntries(Object.entries(counts(jobLeftOut)).map(([r, n]) => [`job.${r}`, n])),
    },
  };
}

/** One minute's figures, cumulative from the start: each variation's units and each metric's totals by then. */
export interface SeriesPoint {
  readonly minuteMs: number;
  readonly variations: Record<number, { units: number; metrics: Record<string, Totals> }>;
}

/**
 * The figures minute by minute, cumulative, from the job's per-minute cells (`<minute>:<variation>:<metric>`, each
 * holding that minute's own changes): what the results page charts.
 */
export async function readExperimentSeries(
  redis: RedisClient,
  prefix: string,
  experimentId: string,
): Promise<SeriesPoint[]> {
  const cells = await redis.hgetall(figuresKey(prefix, experimentId, 'minutes'));
  const byMinute = new Map<number, [number, string, Totals][]>();
  for (const [cell, json] of Object.entries(cells)) {
    const [minute, variation, ...metric] = cell.split(':');
    const list = byMinute.get(Number(minute)) ?? [];
    list.push([Number(variation), metric.join(':'), JSON.parse(json) as Totals]);
    byMinute.set(Number(minute), list);
  }
  const running: SeriesPoint['variations'] = {};
  return [...byMinute.keys()]
    .sort((a, b) => a - b)
    .map((minuteMs) => {
      for (const [variation, metric, change] of byMinute.get(minuteMs)!) {
        const arm = (running[variation] ??= { units: 0, metrics: {} });
        if (metric === '') arm.units += change.units;
        else {
          const total = (arm.metrics[metric] ??= { units: 0, converted: 0, sum: 0, sumOfSquares: 0 });
          total.converted += change.converted;
          total.sum += change.sum;
          total.sumOfSquares += change.sumOfSquares;
        }
      }
      return { minuteMs, variations: structuredClone(running) };
    });
}
