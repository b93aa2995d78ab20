import { EventCorpus } from '../../bench/corpus';
import { readSdkPayload } from '../../producer/sdk-events';

describe('the realistic event corpus', () => {
  it('is the same for the same seed and different for another', () => {
    const first = new EventCorpus(7);
    const again = new EventCorpus(7);
    const other = new EventCorpus(8);

    const draw = (corpus: EventCorpus) => JSON.stringify(Array.from({ length: 20 }, () => corpus.payload()));

    expect(draw(again)).toBe(draw(first));
    expect(draw(other)).not.toBe(draw(new EventCorpus(7)));
  });

  it('holds only payloads the events API keeps whole, in the mix it documents', () => {
    // given
    const corpus = new EventCorpus(1);
    const payloads = Array.from({ length: 1_000 }, () => corpus.payload());

    // when
    const read = payloads.map((payload) => readSdkPayload(payload.events));

    // then: nothing dropped, a summary in every payload, and both sides of the SDK world
    expect(read.flatMap((each) => each.dropped)).toEqual([]);
    expect(read.every((each) => each.events.some((event) => event.summary !== undefined))).toBe(true);
    const serverShare = payloads.filter((payload) => payload.side === 'server').length / payloads.length;
    expect(serverShare).toBeGreaterThan(0.65);
    expect(serverShare).toBeLessThan(0.75);
    const kinds = new Set(payloads.flatMap((payload) => payload.events.map((event) => event.kind)));
    expect([...kinds].sort()).toEqual(['custom', 'feature', 'identify', 'index', 'summary']);
  });

  it('draws flags by popularity: the top 1% of flags take over a fifth of summary entries, and the long tail still shows', () => {
    // given
    const corpus = new EventCorpus(3);
    const counts = new Map<string, number>();

    // when
    for (let i = 0; i < 2_000; i++) {
      for (const event of corpus.payload().events) {
        if (event.kind !== 'summary') continue;
        for (const key of Object.keys(event.features as object)) counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }

    // then
    const sorted = [...counts.values()].sort((a, b) => b - a);
    const total = sorted.reduce((sum, count) => sum + count, 0);
    const top = sorted.slice(0, 50).reduce((sum, count) => sum + count, 0);
    expect(top / total).toBeGreaterThan(0.2);
    expect(counts.size).toBeGreaterThan(1_000);
  });
});
