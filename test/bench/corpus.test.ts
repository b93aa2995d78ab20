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

describe('the corpus with contexts in sessions', () => {
  const keyOf = (context: Record<string, unknown>) =>
    ((context.kind === 'multi' ? context.user : context) as { key: string }).key;

  it('runs its clock at the declared rate and brings each live context back every half minute or so', () => {
    // given: 20 minutes at 10 payloads a second, so 90 sessions are live at once
    const corpus = new EventCorpus(5, undefined, { payloadsPerSecond: 10 });
    const startMs = corpus.clockMs;
    const clientSightings = new Map<string, number[]>();
    const contexts = new Set<string>();

    // when
    for (let i = 0; i < 12_000; i++) {
      const payload = corpus.payload();
      for (const event of payload.events) {
        if (event.context) contexts.add(keyOf(event.context as Record<string, unknown>));
      }
      if (payload.side !== 'client') continue;
      const key = keyOf(payload.events.at(-1)!.context as Record<string, unknown>);
      const times = clientSightings.get(key) ?? [];
      times.push(corpus.clockMs);
      clientSightings.set(key, times);
    }

    // then: 20 minutes passed; a session's client payloads come about 30 s apart; few contexts, each seen often
    expect((corpus.clockMs - startMs) / 1_200_000).toBeCloseTo(1, 1);
    const gaps = [...clientSightings.values()]
      .flatMap((times) => times.slice(1).map((time, i) => time - times[i]!))
      .filter((gap) => gap < 10 * 60_000)
      .sort((a, b) => a - b);
    const medianGapSeconds = gaps[Math.floor(gaps.length / 2)]! / 1000;
    expect(medianGapSeconds).toBeGreaterThan(15);
    expect(medianGapSeconds).toBeLessThan(30);
    // 90 live sessions of 5 to 45 minutes: at most 90 × (1 + 20 / 5) contexts in 20 minutes
    expect(contexts.size).toBeLessThan(90 * 5);
    expect(contexts.size).toBeGreaterThan(90);
  });
});
