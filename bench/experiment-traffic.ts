import { generator } from './corpus';

/**
 * The traffic of the local experiment (config/local-experiments.json), with a known true effect, so a load run
 * shows whether the measured lift recovers it. Units are exposed by a server-side SDK's evaluation (a full feature
 * event whose reason is in the experiment) and convert, or not, in a browser a moment later: their goals come in
 * client-side payloads posted after the exposure, as they would from another channel.
 * - Each new unit is assigned variation 0 or 1 at random, half each (the experiment's allocation).
 * - Conversion (a `purchase`): 20% of control units, 22% of treatment units, a true lift of +10%.
 * - Revenue per purchase: uniform between 10 and 90 in both, so revenue per unit has the same +10% lift.
 * - Clicks on `buy-button`: 40% in both (no effect), a metric an experiment should find flat.
 */
export const LOCAL_EXPERIMENT = {
  environmentId: 'local-development',
  clientSideId: 'local-development-client-side-id',
  sdkKey: 'sdk-local-development-key',
  flag: 'new-checkout',
  conversionRate: [0.2, 0.22],
  clickRate: [0.4, 0.4],
} as const;

/** What was generated, per variation: the truth the measured figures are compared with. */
export interface ExperimentTruth {
  readonly units: [number, number];
  readonly purchases: [number, number];
  readonly revenue: [number, number];
  readonly clicks: [number, number];
}

interface DueGoals {
  readonly dueMs: number;
  readonly events: Record<string, unknown>[];
  readonly variation: 0 | 1;
  readonly revenue: number;
}

export class ExperimentTraffic {
  private readonly random: () => number;
  private readonly waiting: DueGoals[] = [];
  private unitCount = 0;
  readonly truth: ExperimentTruth = { units: [0, 0], purchases: [0, 0], revenue: [0, 0], clicks: [0, 0] };

  constructor(
    seed = 2,
    private readonly now: () => number = Date.now,
  ) {
    this.random = generator(seed);
  }

  /** The next payload: a browser's goals once due, else a server SDK's evaluations of a few new units. */
  next(): { side: 'server' | 'client'; events: Record<string, unknown>[] } {
    const at = this.now();
    const due = this.waiting.findIndex((each) => each.dueMs <= at);
    if (due >= 0) {
      const goals = this.waiting.splice(due, 1)[0]!;
      // Counted once handed out: goals still due when a load ends were never sent.
      for (const event of goals.events) {
        if (event.kind === 'click') this.truth.clicks[goals.variation]++;
        else this.truth.purchases[goals.variation]++;
      }
      this.truth.revenue[goals.variation] += goals.revenue;
      return { side: 'client', events: goals.events };
    }
    const events = Array.from({ length: 1 + Math.floor(this.random() * 4) }, () => this.expose(at));
    return { side: 'server', events };
  }

  private expose(at: number): Record<string, unknown> {
    const unit = `exp-user-${this.unitCount++}`;
    const variation: 0 | 1 = this.random() < 0.5 ? 0 : 1;
    this.truth.units[variation]++;
    const context = { kind: 'user', key: unit };
    const goals: Record<string, unknown>[] = [];
    let revenue = 0;
    // The browser's events come 0.2 to 3 s after the evaluation, dated when they happened.
    const goalAt = at + 200 + Math.floor(this.random() * 2_800);
    if (this.random() < LOCAL_EXPERIMENT.clickRate[variation]) {
      goals.push({
        kind: 'click',
        key: 'buy-button',
        url: 'https://shop.example/cart',
        selector: '#buy',
        creationDate: goalAt,
        contextKeys: { user: unit },
      });
    }
    if (this.random() < LOCAL_EXPERIMENT.conversionRate[variation]) {
      revenue = Math.round((10 + this.random() * 80) * 100) / 100;
      goals.push({ kind: 'custom', key: 'purchase', creationDate: goalAt + 100, context, metricValue: revenue });
    }
    if (goals.length > 0) this.waiting.push({ dueMs: goalAt + 200, events: goals, variation, revenue });
    return {
      kind: 'feature',
      key: LOCAL_EXPERIMENT.flag,
      version: 3,
      variation,
      value: variation === 1,
      default: false,
      reason: { kind: 'FALLTHROUGH', inExperiment: true },
      trackEvents: true,
      creationDate: at,
      context,
    };
  }
}
