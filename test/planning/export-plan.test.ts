import { planExport } from '../../lib/planning/export-plan';

describe('the Data Export planner', () => {
  it('recommends one shard per 50 million events a month, and sizes the peak by records or bytes', () => {
    // 2.592 million seconds a month: 1.296 billion events at 3× is 1,500 events/s at the peak
    const small = planExport({ eventsPerMonth: 1_296_000_000, exportedEventBytes: 500, peakToMean: 3 });
    expect(small.recommendedShards).toBe(26);
    expect(small.peakEventsPerSecond).toBeCloseTo(1_500, 6);
    expect(small.limitedBy).toBe('records');
    expect(small.measuredShards).toBe(2);

    // 2,048-byte events: 512 a shard-second by bytes, so 1,500 a second need 3 shards
    const large = planExport({ eventsPerMonth: 1_296_000_000, exportedEventBytes: 2_048, peakToMean: 3 });
    expect(large.limitedBy).toBe('bytes');
    expect(large.eventsPerShardSecond).toBe(512);
    expect(large.measuredShards).toBe(3);
    expect(planExport({ eventsPerMonth: 1, exportedEventBytes: 100, peakToMean: 1 }).recommendedShards).toBe(1);
  });

  it('names the input that is not a positive number', () => {
    expect(() => planExport({ eventsPerMonth: 0, exportedEventBytes: 100, peakToMean: 2 })).toThrow(
      /eventsPerMonth must be a positive number, got 0/,
    );
  });
});
