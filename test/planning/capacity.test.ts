import { planStream, reshardAdvice } from '../../lib/planning/capacity';

describe('capacity planner', () => {
  it('sizes the reference load: 40 billion 100-byte events a day', () => {
    // given: 462,963 events/s of 100 bytes, two polling consumers
    const plan = planStream({ eventsPerSecond: 462_963, eventBytes: 100, consumers: 2 });

    // then: (100 + 4 framing) × 462,963 = 48.1 MB/s = 45.9 MiB/s, so 46 shards by bytes; 463 unbatched by records
    expect(plan.shards.byWriteBytes).toBe(46);
    expect(plan.shards.byWriteRecords).toBe(2);
    expect(plan.shards.provisioned).toBeGreaterThanOrEqual(45);
    expect(plan.shards.provisioned).toBeLessThanOrEqual(47);
    expect(plan.shards.unbatched).toBe(463);
    expect(plan.eventsPerRecord).toBe(237); // (25,000 − 300) / 104
    expect(plan.putPayloadUnitsPerMillionEvents).toBe(4219);
  });

  it('lets reads bind when three consumers share each shard’s 2 MiB/s', () => {
    const plan = planStream({ eventsPerSecond: 462_963, eventBytes: 100, consumers: 3 });
    // 48.1 MB/s × 3 readers / 2 MiB/s = 68.9
    expect(plan.shards.byReadBytes).toBe(69);
    expect(plan.shards.provisioned).toBe(69);
  });

  it('applies headroom after the largest need', () => {
    expect(
      planStream({ eventsPerSecond: 10_000, eventBytes: 100, consumers: 2, headroom: 1.5 }).shards.provisioned,
    ).toBe(2);
    // 10,000 × 104 B = 0.99 MiB/s → 1 shard; × 1.5 → 2
  });

  it('prices a billion events the way the brief works them out', () => {
    // given: a month of a steady load, priced per billion events
    const plan = planStream({ eventsPerSecond: 462_963, eventBytes: 100, consumers: 2 });
    const billions = (462_963 * 730 * 3600) / 1e9;

    // then: ≈ $0.5 provisioned and batched, ≈ $18 unbatched, ≈ $16 on demand batched
    expect(plan.monthlyCost.provisionedBatched / billions).toBeCloseTo(0.47, 1);
    expect(plan.monthlyCost.provisionedUnbatched / billions).toBeCloseTo(18.2, 0);
    expect(plan.monthlyCost.onDemandBatched / billions).toBeCloseTo(16.7, 0);
    expect(plan.monthlyCost.onDemandUnbatched).toBeGreaterThan(4 * plan.monthlyCost.onDemandBatched);
    expect(plan.monthlyCost.natGateway).toBeGreaterThan(4 * plan.monthlyCost.privateLink);
  });

  it('charges extended retention past 24 hours', () => {
    const day = planStream({ eventsPerSecond: 1_000, eventBytes: 100 });
    const week = planStream({ eventsPerSecond: 1_000, eventBytes: 100, retentionHours: 168 });
    expect(week.monthlyCost.provisionedBatched - day.monthlyCost.provisionedBatched).toBeCloseTo(
      0.02 * 730 * day.shards.provisioned,
      1,
    );
  });

  it('refuses impossible declarations with a message naming the field', () => {
    expect(() => planStream({ eventsPerSecond: 0, eventBytes: 100 })).toThrow(/eventsPerSecond must be from 1/);
    expect(() => planStream({ eventsPerSecond: 10, eventBytes: 100, retentionHours: 12 })).toThrow(
      /retentionHours must be from 24/,
    );
    expect(planStream({ eventsPerSecond: 10, eventBytes: 100, consumers: 6 }).warnings[0]).toMatch(/enhanced fan-out/);
  });
});

describe('enhanced fan-out and resharding', () => {
  it('prices each fan-out consumer per shard hour and GB retrieved', () => {
    const polling = planStream({ eventsPerSecond: 100_000, eventBytes: 100, consumers: 4 });
    const fanOut = planStream({ eventsPerSecond: 100_000, eventBytes: 100, consumers: 1, enhancedFanOutConsumers: 2 });

    // Independent arithmetic: 104 bytes per event on the wire, 730 hours a month, us-east-1 prices.
    const gbPerMonth = (100_000 * 104 * 730 * 3600) / 1e9;
    const expected = 2 * (fanOut.shards.provisioned * 0.015 * 730 + gbPerMonth * 0.013);
    expect(fanOut.monthlyCost.enhancedFanOut).toBeCloseTo(expected, 1);
    expect(polling.monthlyCost.enhancedFanOut).toBe(0);
    expect(fanOut.shards.provisioned).toBeLessThan(polling.shards.provisioned);
  });

  it('says how many events the current shards carry and the UpdateShardCount calls to the plan', () => {
    const plan = planStream({ eventsPerSecond: 462_963, eventBytes: 100, consumers: 4, headroom: 1.3 });

    const advice = reshardAdvice(plan, 25);

    // Reads bind: 2 MiB/s a shard shared by 4 readers of 104-byte events.
    expect(advice.capacityEventsPerSecond).toBe(Math.floor(((2 * 1024 * 1024) / (104 * 4)) * 25));
    expect(advice.steps).toEqual([50, 100, 120]);
    expect(reshardAdvice(plan, 300).steps).toEqual([150, 120]);
    expect(reshardAdvice(plan, 120).steps).toEqual([]);
  });
});
