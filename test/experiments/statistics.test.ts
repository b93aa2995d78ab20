import { execFileSync } from 'node:child_process';
import { generator } from '../../bench/corpus';
import { experimentResults } from '../../lib/experiments/experiment-results';
import type { ExperimentReport } from '../../lib/experiments/figures-reader';
import { join } from 'node:path';
import {
  alwaysValidPValue,
  ArmFigures,
  compare,
  estimate,
  fixedHorizonPValue,
  MetricKind,
  sampleRatioCheck,
} from '../../lib/experiments/statistics';

const ROOT = join(__dirname, '..', '..');
const conversions = (units: number, converted: number): ArmFigures => ({
  units,
  converted,
  sum: converted,
  sumOfSquares: converted,
});

interface Case {
  readonly name: string;
  readonly kind: MetricKind;
  readonly control: ArmFigures;
  readonly treatment: ArmFigures;
  readonly allocation: Record<string, number>;
}

const CASES: Case[] = [
  {
    name: 'a typical conversion lift',
    kind: 'conversion',
    control: conversions(5_000, 1_000),
    treatment: conversions(5_000, 1_100),
    allocation: { 0: 0.5, 1: 0.5 },
  },
  {
    name: 'no conversions at all',
    kind: 'conversion',
    control: conversions(1_000, 0),
    treatment: conversions(1_000, 0),
    allocation: { 0: 0.5, 1: 0.5 },
  },
  {
    name: 'one unit each',
    kind: 'conversion',
    control: conversions(1, 1),
    treatment: conversions(1, 0),
    allocation: { 0: 0.5, 1: 0.5 },
  },
  {
    name: 'a worse treatment, unequal allocation',
    kind: 'conversion',
    control: conversions(8_000, 2_400),
    treatment: conversions(2_000, 520),
    allocation: { 0: 0.8, 1: 0.2 },
  },
  {
    name: 'identical numeric arms',
    kind: 'numeric',
    control: { units: 2_000, converted: 600, sum: 30_000, sumOfSquares: 1_800_000 },
    treatment: { units: 2_000, converted: 600, sum: 30_000, sumOfSquares: 1_800_000 },
    allocation: { 0: 0.5, 1: 0.5 },
  },
  {
    name: 'a numeric metric with a huge outlier',
    kind: 'numeric',
    control: { units: 3_000, converted: 900, sum: 45_000, sumOfSquares: 2_700_000 },
    treatment: { units: 3_000, converted: 950, sum: 1_045_000, sumOfSquares: 1_000_002_850_000 },
    allocation: { 0: 0.5, 1: 0.5 },
  },
  {
    name: 'a sample-ratio mismatch',
    kind: 'conversion',
    control: conversions(5_000, 1_000),
    treatment: conversions(5_400, 1_080),
    allocation: { 0: 0.5, 1: 0.5 },
  },
];

interface Reference {
  control: { value: number; interval: [number, number] };
  treatment: { value: number; interval: [number, number] };
  comparison: Record<string, number | number[] | null>;
  sampleRatio: { chiSquare: number; pValue: number };
}

/** SciPy's figures for the cases, from the project's Python environment (.venv, from requirements.txt). */
function reference(cases: readonly Case[]): Reference[] {
  const output = execFileSync(join(ROOT, '.venv', 'bin', 'python'), [join(__dirname, 'statistics_reference.py')], {
    input: JSON.stringify(cases),
    encoding: 'utf8',
  });
  return JSON.parse(output) as Reference[];
}

/** Equal to within `tolerance`, absolute or relative to the larger, whichever is looser. */
function near(actual: number | null, expected: number | null, tolerance: number, what: string): void {
  if (expected === null || actual === null) {
    expect({ what, actual }).toEqual({ what, actual: expected });
    return;
  }
  const allowed = Math.max(tolerance, tolerance * Math.max(Math.abs(actual), Math.abs(expected)));
  if (Math.abs(actual - expected) > allowed) {
    throw new Error(`${what}: ${actual} is not within ${allowed} of SciPy's ${expected}`);
  }
}

describe('experiment statistics', () => {
  const expected = reference(CASES);

  it.each(CASES.map((each, i) => [each.name, i] as const))('match SciPy on %s', (_name, i) => {
    const { kind, control, treatment, allocation } = CASES[i]!;
    const reference = expected[i]!;
    const [c, t] = [estimate(control, kind), estimate(treatment, kind)];
    const comparison = compare(control, treatment, kind);
    // closed forms to 1e-9; the Bayesian integrals, SciPy's adaptive quadrature against a fixed grid, to 1e-6
    near(c.value, reference.control.value, 1e-9, 'control value');
    near(t.value, reference.treatment.value, 1e-9, 'treatment value');
    c.interval.forEach((bound, b) => near(bound, reference.control.interval[b]!, 1e-9, 'control interval'));
    t.interval.forEach((bound, b) => near(bound, reference.treatment.interval[b]!, 1e-9, 'treatment interval'));
    near(comparison.lift, reference.comparison.lift as number | null, 1e-9, 'lift');
    const liftInterval = reference.comparison.liftInterval as number[] | null;
    if (liftInterval === null) expect(comparison.liftInterval).toBeNull();
    else comparison.liftInterval!.forEach((bound, b) => near(bound, liftInterval[b]!, 1e-9, 'lift interval'));
    near(comparison.pValue, reference.comparison.pValue as number, 1e-9, 'p-value');
    near(comparison.sequentialPValue, reference.comparison.sequentialPValue as number, 1e-9, 'sequential p-value');
    near(
      comparison.probabilityToBeatControl,
      reference.comparison.probabilityToBeatControl as number,
      1e-6,
      'probability to beat control',
    );
    near(comparison.expectedLoss, reference.comparison.expectedLoss as number, 1e-6, 'expected loss');
    const ratio = sampleRatioCheck({ 0: control.units, 1: treatment.units }, allocation);
    near(ratio.chiSquare, reference.sampleRatio.chiSquare, 1e-9, 'chi-square');
    near(ratio.pValue, reference.sampleRatio.pValue, 1e-9, 'sample-ratio p-value');
  });

  it('compares nothing, and shows no NaN, while an arm has no units yet', () => {
    const report: ExperimentReport = {
      experimentId: 'env/k/1',
      emittedAt: '2026-12-04T20:00:00.000Z',
      crossoverUnits: 0,
      leftOut: {},
      variations: [
        {
          variation: 1,
          units: 1,
          metrics: { purchase: { converted: 1, sum: 1, sumOfSquares: 1, conversionRate: 1, meanPerUnit: 1 } },
        },
      ],
    };
    const definition = {
      environmentId: 'env',
      key: 'k',
      iteration: 1,
      controlVariation: 0,
      allocation: { 0: 0.5, 1: 0.5 },
      metrics: [{ key: 'purchase', kind: 'conversion' as const }],
    };

    const results = experimentResults(report, definition);

    expect(results.metrics[0]!.variations).toEqual([
      { variation: 0, estimate: { units: 0, value: 0, interval: [0, 0] } },
      { variation: 1, estimate: estimate(conversions(1, 1), 'conversion'), verdict: 'inconclusive' },
    ]);
    // JSON writes a NaN as null: neither may appear
    expect(JSON.stringify(results)).not.toMatch(/NaN|null/);
  });

  it('flags a sample-ratio mismatch at p < 0.001 only', () => {
    expect(sampleRatioCheck({ 0: 5_000, 1: 5_400 }, { 0: 0.5, 1: 0.5 }).mismatch).toBe(true);
    expect(sampleRatioCheck({ 0: 5_000, 1: 5_100 }, { 0: 0.5, 1: 0.5 }).mismatch).toBe(false);
    expect(sampleRatioCheck({ 0: 8_000, 1: 2_000 }, { 0: 0.8, 1: 0.2 }).mismatch).toBe(false);
  });
});

/**
 * Simulated experiments, looked at ten times as units arrive: how often each test declares a difference at 5 %, the
 * fixed-horizon test at its planned end only, at any look (peeking), and the sequential test at any look.
 */
function simulate(experiments: number, unitsPerArm: number, rates: [number, number], seed: number) {
  const random = generator(seed);
  const looks = 10;
  let fixedAtEnd = 0;
  let fixedAnyLook = 0;
  let sequentialAnyLook = 0;
  for (let e = 0; e < experiments; e++) {
    const converted = [0, 0];
    let peeked = false;
    let sequential = false;
    for (let look = 1; look <= looks; look++) {
      for (let u = 0; u < unitsPerArm / looks; u++)
        for (const arm of [0, 1]) if (random() < rates[arm]!) converted[arm]!++;
      const units = (unitsPerArm / looks) * look;
      const [control, treatment] = [conversions(units, converted[0]!), conversions(units, converted[1]!)];
      const p = fixedHorizonPValue(control, treatment, 'conversion');
      if (p < 0.05) peeked = true;
      if (alwaysValidPValue(control, treatment, 'conversion') <= 0.05) sequential = true;
      if (look === looks && p < 0.05) fixedAtEnd++;
    }
    if (peeked) fixedAnyLook++;
    if (sequential) sequentialAnyLook++;
  }
  return {
    fixedAtEnd: fixedAtEnd / experiments,
    fixedAnyLook: fixedAnyLook / experiments,
    sequentialAnyLook: sequentialAnyLook / experiments,
  };
}

describe('false positives, in 2,000 simulated A/A experiments of 4,000 units a look at a time', () => {
  const rates = simulate(2_000, 4_000, [0.2, 0.2], 11);

  it('are near 5 % for the fixed-horizon test read once, at its end', () => {
    // 2,000 experiments: a standard error of 0.49 points around 5 %
    expect(rates.fixedAtEnd).toBeGreaterThan(0.035);
    expect(rates.fixedAtEnd).toBeLessThan(0.065);
  });

  it('stay at or under 5 % for the sequential test read at every look, where peeking at the fixed test inflates them', () => {
    expect(rates.sequentialAnyLook).toBeLessThanOrEqual(0.06);
    expect(rates.fixedAnyLook).toBeGreaterThan(0.1);
  });
});
