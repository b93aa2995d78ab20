import { planStream, reshardAdvice, streamReaders } from '../../lib/planning/capacity';
import { PRICES } from '../../lib/planning/prices';

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

describe('the planner at its edges', () => {
  const base = { eventsPerSecond: 1_000, eventBytes: 100 };

  it('takes every input up to its bound and refuses one past it, naming the field and the bounds', () => {
    // Bounds: Kinesis's (25,000-byte PUT unit less 300 bytes of record overhead and 4 of framing; 20 registered
    // fan-out consumers, one kept free for a replay) and sanity (headroom, AZs, a billion events a second).
    const cases: [string, number, number, RegExp][] = [
      ['eventsPerSecond', 1e9, 1e9 + 1, /eventsPerSecond must be from 1 to 1000000000, got 1000000001/],
      ['eventBytes', 24_696, 24_697, /eventBytes must be from 1 to 24696, got 24697/],
      ['retentionHours', 8_760, 8_761, /retentionHours must be from 24 to 8760/],
      ['consumers', 20, 21, /consumers must be from 1 to 20, got 21/],
      ['enhancedFanOutConsumers', 10, 11, /enhancedFanOutConsumers must be from 0 to 10, got 11/],
      ['headroom', 10, 10.5, /headroom must be from 1 to 10, got 10.5/],
      ['availabilityZones', 6, 7, /availabilityZones must be from 1 to 6, got 7/],
    ];
    for (const [field, largest, tooLarge, message] of cases) {
      expect(planStream({ ...base, [field]: largest }).input).toMatchObject({ [field]: largest });
      expect(() => planStream({ ...base, [field]: tooLarge })).toThrow(message);
    }
    expect(() => planStream({ ...base, eventBytes: Number.NaN })).toThrow(/eventBytes must be from 1/);
    const plan = planStream(base);
    expect(reshardAdvice(plan, 10_000).currentShards).toBe(10_000);
    expect(() => reshardAdvice(plan, 10_001)).toThrow(/currentShards must be from 1 to 10000, got 10001/);
  });

  it('counts as readers Firehose, each polling consumer and one replay, and the fan-out consumers apart', () => {
    expect(streamReaders([])).toEqual({ consumers: 1, enhancedFanOutConsumers: 0 });
    expect(streamReaders([{}, {}])).toEqual({ consumers: 4, enhancedFanOutConsumers: 0 });
    expect(streamReaders([{ enhancedFanOut: true }, {}])).toEqual({ consumers: 3, enhancedFanOutConsumers: 1 });
    expect(streamReaders([{ enhancedFanOut: true }, { enhancedFanOut: false }, { enhancedFanOut: true }])).toEqual({
      consumers: 3,
      enhancedFanOutConsumers: 2,
    });
    expect(streamReaders([{ enhancedFanOut: true }])).toEqual({ consumers: 1, enhancedFanOutConsumers: 1 });
  });

  it('sizes unbatched shards by whichever limit binds: records, or reads shared by the consumers', () => {
    // 5,000 tiny events a second: 5 shards of 1,000 records each, bytes negligible.
    expect(planStream({ eventsPerSecond: 5_000, eventBytes: 10, consumers: 1 }).shards.unbatched).toBe(5);
    // 1,000 events of 1,000 bytes read by 10 consumers: 10 MB/s of reads over 2 MiB/s per shard is 5 shards.
    expect(planStream({ eventsPerSecond: 1_000, eventBytes: 1_000, consumers: 10 }).shards.unbatched).toBe(5);
  });

  it('warns past five polling consumers a shard, not at five', () => {
    expect(planStream({ ...base, consumers: 5 }).warnings).toEqual([]);
    expect(planStream({ ...base, consumers: 6 }).warnings).toHaveLength(1);
  });

  it('prices every way to run it from the price list, worked out by hand', () => {
    // 20,000 events of 96 bytes (100 framed): 247 events a record, 80.97 records/s, 2 MB/s, (read bound,
    // 3 shards: 3 readers take 6 MB/s, over 2 MiB/s each), a month of 730 hours.
    const plan = planStream({ eventsPerSecond: 20_000, eventBytes: 96, availabilityZones: 2 });
    const { kinesis, network } = PRICES;
    const hours = 730;
    const seconds = hours * 3_600;
    const records = 20_000 / 247;
    const gb = (2_000_000 * seconds) / 1e9;
    expect(plan.shards.provisioned).toBe(3);
    const money = (value: number) => Number(value.toFixed(2));
    expect(plan.monthlyCost.provisionedBatched).toBe(
      money(3 * kinesis.shardHour * hours + (records * seconds * kinesis.putPayloadUnitsPerMillion) / 1e6),
    );
    expect(plan.monthlyCost.onDemandBatched).toBe(
      money(
        kinesis.onDemandStreamHour * hours + gb * kinesis.onDemandIngestPerGb + gb * 3 * kinesis.onDemandEgressPerGb,
      ),
    );
    expect(plan.monthlyCost.onDemandUnbatched).toBe(
      money(
        kinesis.onDemandStreamHour * hours +
          ((20_000 * 1_024 * seconds) / 1e9) * kinesis.onDemandIngestPerGb +
          gb * 3 * kinesis.onDemandEgressPerGb,
      ),
    );
    expect(plan.monthlyCost.natGateway).toBe(money(2 * network.natGatewayHour * hours + gb * network.natGatewayPerGb));
    expect(plan.monthlyCost.privateLink).toBe(
      money(2 * network.interfaceEndpointAzHour * hours + gb * network.interfaceEndpointPerGb),
    );
  });

  it('says how many events the current shards carry when record bytes bind', () => {
    // 1,000-byte events (1,004 framed): a shard takes 1 MiB/s, 1,044.4 events; 3 shards 3,133.
    const plan = planStream({ eventsPerSecond: 10_000, eventBytes: 1_000, consumers: 1 });
    expect(reshardAdvice(plan, 3).capacityEventsPerSecond).toBe(Math.floor((3 * 1_048_576) / 1_004));
  });
});
