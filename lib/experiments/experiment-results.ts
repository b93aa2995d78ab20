import { readFile } from 'node:fs/promises';
import type { ExperimentReport, SeriesPoint } from './figures-reader';
import {
  ArmEstimate,
  ArmFigures,
  compare,
  Comparison,
  estimate,
  MetricKind,
  sampleRatioCheck,
  SampleRatioCheck,
} from './statistics';

/** An experiment as its definitions file declares it (the job checks the file; this reads what the results need). */
export interface ExperimentDefinition {
  readonly environmentId: string;
  readonly key: string;
  readonly iteration: number;
  readonly controlVariation: number;
  readonly allocation: Record<string, number>;
  readonly metrics: readonly { key: string; kind: 'conversion' | 'numeric' | 'click' | 'pageview' }[];
}

export async function readDefinitions(path: string): Promise<ExperimentDefinition[]> {
  const text = await readFile(path, 'utf8').catch((error: Error) => {
    throw new Error(`the experiment definitions could not be read from ${path}: ${error.message}`);
  });
  try {
    return (JSON.parse(text) as { experiments: ExperimentDefinition[] }).experiments;
  } catch (error) {
    throw new Error(`${path} is not JSON: ${(error as Error).message}`, { cause: error });
  }
}

export interface VariationResult {
  readonly variation: number;
  readonly estimate: ArmEstimate;
  /** Against the control; absent for the control itself. */
  readonly comparison?: Comparison;
  /** The sequential verdict at this look, at 5 %: the always-valid p-value may be read at every look. */
  readonly verdict?: 'better' | 'worse' | 'inconclusive';
}

export interface ExperimentResults {
  readonly experimentId: string;
  readonly emittedAt: string | null;
  readonly controlVariation: number;
  readonly metrics: { readonly key: string; readonly kind: MetricKind; readonly variations: VariationResult[] }[];
  readonly health: {
    readonly sampleRatio: SampleRatioCheck;
    readonly units: Record<number, number>;
    readonly crossoverUnits: number;
    readonly lateEvents: number;
    readonly leftOut: Record<string, number>;
  };
}

/** Each metric's estimate per variation and each treatment against the control, with the health checks. */
export function experimentResults(report: ExperimentReport, definition: ExperimentDefinition): ExperimentResults {
  const units = Object.fromEntries(report.variations.map((each) => [each.variation, each.units]));
  const allocated = Object.keys(definition.allocation).map(Number);
  const arm = (variation: number, metric: string): ArmFigures => {
    const figures = report.variations.find((each) => each.variation === variation);
    const values = figures?.metrics[metric];
    return {
      units: figures?.units ?? 0,
      converted: values?.converted ?? 0,
      sum: values?.sum ?? 0,
      sumOfSquares: values?.sumOfSquares ?? 0,
    };
  };
  const metrics = definition.metrics.map((metric) => {
    const kind: MetricKind = metric.kind === 'numeric' ? 'numeric' : 'conversion';
    const control = arm(definition.controlVariation, metric.key);
    const variations = allocated
      .sort((a, b) => a - b)
      .map((variation): VariationResult => {
        const figures = arm(variation, metric.key);
        if (variation === definition.controlVariation) return { variation, estimate: estimate(figures, kind) };
        const estimated = estimate(figures, kind);
        // Nothing to compare until both arms have units.
        if (control.units === 0 || figures.units === 0)
          return { variation, estimate: estimated, verdict: 'inconclusive' };
        const comparison = compare(control, figures, kind);
        const verdict =
          comparison.sequentialPValue > 0.05
            ? 'inconclusive'
            : estimated.value > estimate(control, kind).value
              ? 'better'
              : 'worse';
        return { variation, estimate: estimated, comparison, verdict };
      });
    return { key: metric.key, kind, variations };
  });
  return {
    experimentId: report.experimentId,
    emittedAt: report.emittedAt,
    controlVariation: definition.controlVariation,
    metrics,
    health: {
      sampleRatio: sampleRatioCheck(units, definition.allocation),
      units,
      crossoverUnits: report.crossoverUnits,
      lateEvents: report.leftOut.late ?? 0,
      leftOut: report.leftOut,
    },
  };
}

/** One metric's estimate per variation, minute by minute: what the results page draws, with its intervals. */
export interface MetricOverTime {
  readonly key: string;
  readonly kind: MetricKind;
  readonly points: {
    minuteMs: number;
    variations: { variation: number; value: number; interval: readonly [number, number] }[];
  }[];
}

export function resultsOverTime(series: readonly SeriesPoint[], definition: ExperimentDefinition): MetricOverTime[] {
  const variations = Object.keys(definition.allocation)
    .map(Number)
    .sort((a, b) => a - b);
  return definition.metrics.map((metric) => {
    const kind: MetricKind = metric.kind === 'numeric' ? 'numeric' : 'conversion';
    return {
      key: metric.key,
      kind,
      points: series.map((point) => ({
        minuteMs: point.minuteMs,
        variations: variations.map((variation) => {
          const arm = point.variations[variation];
          const totals = arm?.metrics[metric.key];
          const estimated = estimate(
            {
              units: arm?.units ?? 0,
              converted: totals?.converted ?? 0,
              sum: totals?.sum ?? 0,
              sumOfSquares: totals?.sumOfSquares ?? 0,
            },
            kind,
          );
          return { variation, value: estimated.value, interval: estimated.interval };
        }),
      })),
    };
  });
}
