import betaCdf from '@stdlib/stats-base-dists-beta-cdf';
import betaPdf from '@stdlib/stats-base-dists-beta-pdf';
import chiSquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalPdf from '@stdlib/stats-base-dists-normal-pdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';

/**
 * The statistics of an experiment's figures (units, converted units, sum and sum of squares of the per-unit
 * values), per metric and treatment against control. Distributions come from stdlib (@stdlib/stats-base-dists-*);
 * the formulas below are the product's own, each explained where it is written.
 */

/** One variation's figures for one metric, as the experiment job writes them. */
export interface ArmFigures {
  readonly units: number;
  readonly converted: number;
  readonly sum: number;
  readonly sumOfSquares: number;
}

/** A conversion (or click, or page view) counts units; a numeric metric averages the per-unit values. */
export type MetricKind = 'conversion' | 'numeric';

export interface ArmEstimate {
  readonly units: number;
  /** The conversion rate or the mean per unit. */
  readonly value: number;
  /** 95 % interval: Wilson's score interval for a rate, the normal interval for a mean. */
  readonly interval: readonly [number, number];
}

export interface Comparison {
  /** Treatment over control, less one; null when the control's value is 0. */
  readonly lift: number | null;
  readonly liftInterval: readonly [number, number] | null;
  /** Fixed-horizon two-sided p-value of the difference (Welch's z-test), valid only at a planned sample size. */
  readonly pValue: number;
  /** Posterior probability that the treatment's value is higher (flat priors, stated in the docs). */
  readonly probabilityToBeatControl: number;
  /** Posterior expected shortfall of shipping the treatment, in the metric's units. */
  readonly expectedLoss: number;
  /** Always-valid p-value of the mixture SPRT at this look; see {@link alwaysValidPValue}. */
  readonly sequentialPValue: number;
}

export const CONFIDENCE = 0.95;
const z = normalQuantile(1 - (1 - CONFIDENCE) / 2, 0, 1);

const meanOf = (arm: ArmFigures) => (arm.units > 0 ? arm.sum / arm.units : 0);

/** The per-unit sample variance, from the sums: (Σx² − (Σx)²/n) / (n − 1). */
export function unitVariance(arm: ArmFigures): number {
  if (arm.units < 2) return 0;
  return Math.max(0, (arm.sumOfSquares - (arm.sum * arm.sum) / arm.units) / (arm.units - 1));
}

export function estimate(arm: ArmFigures, kind: MetricKind): ArmEstimate {
  if (arm.units === 0) return { units: 0, value: 0, interval: [0, 0] };
  if (kind === 'conversion') {
    // Wilson score interval: (p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n); sound at 0 and at small n.
    const n = arm.units;
    const p = arm.converted / n;
    const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
    const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
    return { units: n, value: p, interval: [Math.max(0, centre - half), Math.min(1, centre + half)] };
  }
  const mean = meanOf(arm);
  const half = z * Math.sqrt(unitVariance(arm) / arm.units);
  return { units: arm.units, value: mean, interval: [mean - half, mean + half] };
}

/** The value per unit: the rate of a conversion is the mean of 0/1 values, so one formula serves both kinds. */
const valueOf = (arm: ArmFigures, kind: MetricKind) =>
  kind === 'conversion' ? arm.converted / arm.units : meanOf(arm);
const varianceOf = (arm: ArmFigures, kind: MetricKind) => {
  if (kind === 'numeric') return unitVariance(arm);
  // A 0/1 value's sample variance: p(1 − p)·n/(n − 1).
  const p = valueOf(arm, kind);
  return arm.units > 1 ? (p * (1 - p) * arm.units) / (arm.units - 1) : 0;
};

/** The smallest relative effect the sequential test is tuned to find: the mixture's spread is this share of control. */
export const SEQUENTIAL_EFFECT_OF_INTEREST = 0.1;

/**
 * Always-valid p-value of the mixture sequential probability ratio test (Johari, Pekelis and Walsh, "Always Valid
 * Inference", 2017) for the difference of means θ, with a normal mixture N(0, τ²) over θ: with V the variance of the
 * observed difference Δ, the likelihood ratio is √(V/(V+τ²))·exp(τ²Δ²/(2V(V+τ²))) and p = min(1, 1/ratio). Taken
 * as the running minimum over looks, it may be read at every look without inflating false positives.
 * τ is {@link SEQUENTIAL_EFFECT_OF_INTEREST} of the control's value (of the per-unit standard deviation when that is 0).
 */
export function alwaysValidPValue(control: ArmFigures, treatment: ArmFigures, kind: MetricKind): number {
  if (control.units < 2 || treatment.units < 2) return 1;
  const variance = varianceOf(treatment, kind) / treatment.units + varianceOf(control, kind) / control.units;
  if (variance === 0) return 1;
  const difference = valueOf(treatment, kind) - valueOf(control, kind);
  const scale = Math.abs(valueOf(control, kind)) || Math.sqrt(varianceOf(control, kind));
  const tau2 = (SEQUENTIAL_EFFECT_OF_INTEREST * scale) ** 2;
  if (tau2 === 0) return 1;
  const logRatio =
    0.5 * Math.log(variance / (variance + tau2)) +
    (tau2 * difference * difference) / (2 * variance * (variance + tau2));
  return Math.min(1, Math.exp(-logRatio));
}

/** Simpson's rule over [a, b] with an even number of intervals. */
function simpson(f: (x: number) => number, a: number, b: number, intervals = 10_000): number {
  const h = (b - a) / intervals;
  let total = f(a) + f(b);
  for (let i = 1; i < intervals; i++) total += (i % 2 === 0 ? 2 : 4) * f(a + i * h);
  return (total * h) / 3;
}

/**
 * Beta-Binomial with uniform Beta(1, 1) priors: each rate's posterior is Beta(1 + converted, 1 + units − converted).
 * P(T > C) = ∫ f_T(t)·F_C(t) dt, and the expected loss of shipping T is E[max(C − T, 0)] = ∫ f_T(t)·g(t) dt with
 * g(t) = E[C; C > t] − t·P(C > t) = a/(a+b)·(1 − I_t(a+1, b)) − t·(1 − I_t(a, b)) for C ~ Beta(a, b).
 */
function betaBinomial(control: ArmFigures, treatment: ArmFigures): { probability: number; loss: number } {
  const [ac, bc] = [1 + control.converted, 1 + control.units - control.converted];
  const [at, bt] = [1 + treatment.converted, 1 + treatment.units - treatment.converted];
  const mean = at / (at + bt);
  const sd = Math.sqrt((at * bt) / ((at + bt) ** 2 * (at + bt + 1)));
  // Beyond 40 standard deviations even a posterior squeezed against 0 or 1 holds less than e^-40 of its mass.
  const [low, high] = [Math.max(0, mean - 40 * sd), Math.min(1, mean + 40 * sd)];
  const fT = (t: number) => betaPdf(t, at, bt);
  const probability = simpson((t) => fT(t) * betaCdf(t, ac, bc), low, high);
  const g = (t: number) => (ac / (ac + bc)) * (1 - betaCdf(t, ac + 1, bc)) - t * (1 - betaCdf(t, ac, bc));
  const loss = simpson((t) => fT(t) * g(t), low, high);
  return { probability: Math.min(1, Math.max(0, probability)), loss: Math.max(0, loss) };
}

/**
 * Normal posteriors with flat priors for numeric metrics: each mean ~ N(x̄, s²/n), so D = T − C ~ N(μ, σ²) with
 * μ the observed difference; P(T > C) = Φ(μ/σ), and the expected loss of shipping T is E[max(−D, 0)] =
 * σ·φ(μ/σ) − μ·Φ(−μ/σ).
 */
function normalPosterior(difference: number, sd: number): { probability: number; loss: number } {
  if (sd === 0) return { probability: difference > 0 ? 1 : difference < 0 ? 0 : 0.5, loss: Math.max(0, -difference) };
  const standard = difference / sd;
  return {
    probability: normalCdf(standard, 0, 1),
    loss: sd * normalPdf(standard, 0, 1) - difference * normalCdf(-standard, 0, 1),
  };
}

/** Welch's z: (x̄_T − x̄_C)/√(s²_T/n_T + s²_C/n_C), two-sided; valid once, at a sample size fixed in advance. */
export function fixedHorizonPValue(control: ArmFigures, treatment: ArmFigures, kind: MetricKind): number {
  if (control.units === 0 || treatment.units === 0) return 1;
  const sd = Math.sqrt(varianceOf(treatment, kind) / treatment.units + varianceOf(control, kind) / control.units);
  const difference = valueOf(treatment, kind) - valueOf(control, kind);
  return sd > 0 ? Math.min(1, 2 * (1 - normalCdf(Math.abs(difference) / sd, 0, 1))) : 1;
}

export function compare(control: ArmFigures, treatment: ArmFigures, kind: MetricKind): Comparison {
  const [mc, mt] = [valueOf(control, kind), valueOf(treatment, kind)];
  const [vc, vt] = [varianceOf(control, kind), varianceOf(treatment, kind)];
  const [nc, nt] = [control.units, treatment.units];
  const differenceSd = Math.sqrt(vt / nt + vc / nc);
  let lift: number | null = null;
  let liftInterval: readonly [number, number] | null = null;
  if (mc !== 0) {
    lift = mt / mc - 1;
    // Delta method for a ratio of independent means: Var(x̄_T/x̄_C) ≈ s²_T/(n_T·x̄_C²) + x̄_T²·s²_C/(n_C·x̄_C⁴).
    const liftSd = Math.sqrt(vt / (nt * mc * mc) + (mt * mt * vc) / (nc * mc ** 4));
    liftInterval = [lift - z * liftSd, lift + z * liftSd];
  }
  const posterior = kind === 'conversion' ? betaBinomial(control, treatment) : normalPosterior(mt - mc, differenceSd);
  return {
    lift,
    liftInterval,
    pValue: fixedHorizonPValue(control, treatment, kind),
    probabilityToBeatControl: posterior.probability,
    expectedLoss: posterior.loss,
    sequentialPValue: alwaysValidPValue(control, treatment, kind),
  };
}

export interface SampleRatioCheck {
  readonly chiSquare: number;
  readonly pValue: number;
  /** Flagged at p < 0.001, as Eppo and most experiment products flag it: units did not arrive as allocated. */
  readonly mismatch: boolean;
}

export const SAMPLE_RATIO_ALPHA = 0.001;

/** Pearson's chi-square goodness of fit of the exposed units to the allocation, k − 1 degrees of freedom. */
export function sampleRatioCheck(units: Record<number, number>, allocation: Record<number, number>): SampleRatioCheck {
  const variations = Object.keys(allocation).map(Number);
  const total = variations.reduce((sum, variation) => sum + (units[variation] ?? 0), 0);
  if (total === 0 || variations.length < 2) return { chiSquare: 0, pValue: 1, mismatch: false };
  const shares = variations.reduce((sum, variation) => sum + allocation[variation]!, 0);
  const chiSquare = variations.reduce((sum, variation) => {
    const expected = (total * allocation[variation]!) / shares;
    return sum + ((units[variation] ?? 0) - expected) ** 2 / expected;
  }, 0);
  const pValue = 1 - chiSquareCdf(chiSquare, variations.length - 1);
  return { chiSquare, pValue, mismatch: pValue < SAMPLE_RATIO_ALPHA };
}
