import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** One pass of a workload over the share of the data a round names; it returns the events it handled. */
export type RoundWork = (round: number) => number;

/**
 * Events a second of each workload, in short rounds that take every workload in turn over the same share of the data:
 * a slow spell of a shared machine then falls on all of them alike, and a ratio is taken within each round.
 */
export function interleavedRounds<Name extends string>(
  workloads: Record<Name, RoundWork>,
  rounds: number,
): Record<Name, number[]> {
  const names = Object.keys(workloads) as Name[];
  const rates = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<Name, number[]>;
  for (let round = 0; round < rounds; round++) {
    for (const name of names) {
      const started = process.hrtime.bigint();
      const events = workloads[name](round);
      rates[name].push(events / (Number(process.hrtime.bigint() - started) / 1e9));
    }
  }
  return rates;
}

/** One workload's rate against another's in the same round, for each round. */
export function roundRatios(rates: readonly number[], baseline: readonly number[]): number[] {
  return rates.map((rate, round) => rate / baseline[round]!);
}

/** The p-th percentile of some values (nearest rank); null for none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** CPU seconds a process has used so far, from the kernel's account of it (Linux). */
export function processCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const clockTicksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString());
  // utime and stime, fields 14 and 15 of proc(5), counted from the state (field 3)
  return (Number(fields[11]) + Number(fields[12])) / clockTicksPerSecond;
}
