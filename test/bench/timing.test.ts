import { interleavedRounds, median, roundRatios } from '../../bench/timing';

describe('benchmark rounds', () => {
  it('takes every workload in turn in each round, so a slow spell falls on all of them alike', () => {
    // given
    const calls: string[] = [];
    const workload = (name: string) => ({ events: 1, work: () => calls.push(name) });

    // when: rounds so short that each holds one call of each workload
    const rates = interleavedRounds({ parse: workload('parse'), decode: workload('decode') }, 3, 0);

    // then
    expect(calls).toEqual(['parse', 'decode', 'parse', 'decode', 'parse', 'decode']);
    expect(Object.keys(rates)).toEqual(['parse', 'decode']);
    expect(rates.parse).toHaveLength(3);
    expect(rates.decode.every((rate) => rate > 0)).toBe(true);
  });

  it('takes the ratio within each round and the median of odd and even counts', () => {
    expect(roundRatios([10, 40, 90], [5, 10, 30])).toEqual([2, 4, 3]);
    expect(median([2, 4, 3])).toBe(3);
    expect(median([9, 1, 4, 2])).toBe(3);
    expect(median([7])).toBe(7);
  });
});
