/** Seconds one call of `work` takes, from whole calls repeated until at least `minimumSeconds` have gone by. */
export function secondsPerPass(work: () => unknown, minimumSeconds = 1): number {
  let passes = 0;
  const started = process.hrtime.bigint();
  do {
    work();
    passes++;
  } while (Number(process.hrtime.bigint() - started) < minimumSeconds * 1e9);
  return Number(process.hrtime.bigint() - started) / 1e9 / passes;
}

/** Events a second through `work`, which handles `events` events a call. */
export function eventsPerSecond(events: number, work: () => unknown, minimumSeconds = 1): number {
  return Math.round(events / secondsPerPass(work, minimumSeconds));
}
