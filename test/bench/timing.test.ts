import { interleavedRounds, median, roundRatios } from '../../bench/timing';

describe('benchmark rounds', () => {
  it('takes every workload in turn in each round, on the share the round names', () => {
    // given
    const calls: string[] = [];
    const workload = (name: string) => (round: number) => {
      calls.push(`${name}@${round}`);
      return 1_000;
    };

    // when
    const rates = interleavedRounds({ parse: workload('parse'), decode: workload('decode') }, 3);

    // then
    expect(calls).toEqual(['parse@0', 'decode@0', 'parse@1', 'decode@1', 'parse@2', 'decode@2']);
    expect(Object.keys(rates)).toEqual(['parse', 'decode']);
    expect(rates.parse).toHaveLength(3);
    expect(rates.decode.every((rate) => rate > 0 && Number.isFinite(rate))).toBe(true);
  });

  it('takes the ratio within each round and the median of odd and even counts', () => {
    expect(roundRatios([10, 40, 90], [5, 10, 30])).toEqual([2, 4, 3]);
    expect(median([2, 4, 3])).toBe(3);
    expect(median([9, 1, 4, 2])).toBe(3);
    expect(median([7])).toBe(7);
  });
});
