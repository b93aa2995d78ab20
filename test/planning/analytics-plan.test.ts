import { planAnalytics } from '../../lib/planning/analytics-plan';

// The figures as measured, fixed here so the expectations below are worked out by hand from them.
const FIGURES = {
  measuredWith: 'npm run bench -- analytics',
  corpus: 'fixed for this test',
  jobEventsPerCpuSecond: 200_000,
  stateBytesPerExposedUnit: 400,
};

describe('the experiment job’s plan', () => {
  it('gives the job cores for twice the peak, and bills one KPU more for orchestration', () => {
    // given 300,000 events/s at headroom 1.5: 900,000 events/s to catch up at twice the peak, 4.5 cores
    const plan = planAnalytics({ eventsPerSecond: 300_000, headroom: 1.5, exposedUnits: 1_000_000 }, FIGURES);

    // then
    expect(plan).toMatchObject({ byCpu: 5, byState: 1, parallelism: 5, billedKpus: 6, stateGb: 0.4 });
    // 6 KPUs × $0.11 × 730 h; 5 × 50 GB of running storage at $0.10; a 0.4 GB snapshot at $0.023
    expect(plan.monthlyCost).toEqual({ kpus: 481.8, runningStorage: 25, backups: 0.01 });
    expect(plan.monthlyTotal).toBe(506.81);
    // $506.81 over 300,000 events/s for 730 hours: 788.4 billion events
    expect(plan.costPerBillionEvents).toBe(0.643);
    expect(plan.warnings).toEqual([]);
  });

  it('adds KPUs for state when the exposed units outgrow half of their running storage', () => {
    // given 500 million units × 400 B: 200 GB, 25 GB a KPU at half of its 50 GB
    const plan = planAnalytics({ eventsPerSecond: 1_000, headroom: 1, exposedUnits: 500_000_000 }, FIGURES);

    // then
    expect(plan).toMatchObject({ byCpu: 1, byState: 8, parallelism: 8, stateGb: 200 });
  });

  it('keeps one KPU for an idle environment and warns past the per-application quota', () => {
    expect(planAnalytics({ eventsPerSecond: 1, headroom: 1, exposedUnits: 0 }, FIGURES).parallelism).toBe(1);
    const huge = planAnalytics({ eventsPerSecond: 10_000_000, headroom: 1, exposedUnits: 0 }, FIGURES);
    expect(huge.parallelism).toBe(100);
    expect(huge.warnings).toEqual(['100 KPUs exceed the default quota of 64 per application: ask AWS to raise it']);
  });
});
