import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';

/** Where benchmarks write, and the only place they write: bench/results, or BENCH_RESULTS_DIR. */
export const resultsDirectory = (): string => resolve(process.env.BENCH_RESULTS_DIR ?? join('bench', 'results'));

/** Writes one result file as formatted JSON; returns its path. */
export async function writeResult(fileName: string, value: unknown): Promise<string> {
  await mkdir(resultsDirectory(), { recursive: true });
  const path = join(resultsDirectory(), fileName);
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`);
  return path;
}

/**
 * A measured figure the stacks are sized from is written beside the results under the tracked file's own name; only
 * `npm run sizing -- --accept` copies it over the tracked file, after showing what it changes.
 */
export const writeMeasuredFigure = (trackedFile: string, value: unknown): Promise<string> =>
  writeResult(basename(trackedFile), value);
