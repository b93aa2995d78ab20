import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { benchAnalytics } from './analytics';
import { benchArchive } from './archive';
import { benchCompression } from './compression';
import { benchConsumers } from './consumers';
import { benchEndToEnd } from './e2e';
import { benchExport } from './export';
import { benchProducer } from './producer';
import { resultsDirectory } from './results-file';

const BENCHES: Record<string, () => Promise<Record<string, unknown>>> = {
  producer: benchProducer,
  consumers: benchConsumers,
  e2e: benchEndToEnd,
  compression: benchCompression,
  export: benchExport,
  analytics: benchAnalytics,
  archive: benchArchive,
};

const usage = `usage: npm run bench -- [producer|consumers|e2e|compression|export|analytics|archive ...] [--baseline GIT-REF]
--baseline runs the same benches on GIT-REF first (a temporary worktree sharing node_modules), then on this tree,
and prints this tree's throughput as a ratio of the baseline's: on a shared, noisy machine only ratios from one
run compare.`;

function table(result: Record<string, unknown>): string {
  return Object.entries(result)
    .map(([name, value]) => `${name.padEnd(28)} ${JSON.stringify(value)}`)
    .join('\n');
}

/** Every throughput figure (a name ending in PerSecond or PerSecondPerCore), by its path in the result. */
function throughputs(result: unknown, path = ''): Map<string, number> {
  const found = new Map<string, number>();
  if (typeof result !== 'object' || result === null) return found;
  for (const [name, value] of Object.entries(result)) {
    const at = path ? `${path}.${name}` : name;
    if (typeof value === 'number' && /PerSecond(PerCore)?$/.test(name)) found.set(at, value);
    else for (const [deeper, figure] of throughputs(value, at)) found.set(deeper, figure);
  }
  return found;
}

/** Runs a bench as a given commit has it, in a worktree of its own, and reads the results it wrote. */
function benchAt(ref: string, name: string): Record<string, unknown> {
  const worktree = mkdtempSync(join(tmpdir(), 'bench-baseline-'));
  execFileSync('git', ['worktree', 'add', '--detach', worktree, ref], { stdio: 'ignore' });
  try {
    symlinkSync(resolve('node_modules'), join(worktree, 'node_modules'));
    execFileSync(process.execPath, [resolve('node_modules/.bin/ts-node'), '--transpile-only', 'bench/run.ts', name], {
      cwd: worktree,
      env: { ...process.env, BENCH_RESULTS_DIR: join(worktree, 'bench', 'results') },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    return JSON.parse(readFileSync(join(worktree, 'bench', 'results', `${name}.json`), 'utf8')) as Record<
      string,
      unknown
    >;
  } finally {
    execFileSync('git', ['worktree', 'remove', '--force', worktree], { stdio: 'ignore' });
    rmSync(worktree, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { baseline: { type: 'string' }, help: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const unknown = positionals.filter((name) => !(name in BENCHES));
  if (unknown.length > 0) throw new Error(`unknown bench ${unknown.join(', ')}\n${usage}`);
  for (const name of positionals.length > 0 ? positionals : Object.keys(BENCHES)) {
    console.log(`\n== ${name}`);
    const baseline = values.baseline ? benchAt(values.baseline, name) : undefined;
    const result = await BENCHES[name]!();
    console.log(table(result));
    console.log(`(written to ${join(resultsDirectory(), `${name}.json`)})`);
    if (!baseline) continue;
    console.log(`\nthis tree against ${values.baseline}, run just before it on the same machine:`);
    const before = throughputs(baseline);
    for (const [figure, now] of throughputs(result)) {
      const then = before.get(figure);
      if (then)
        console.log(
          `  ${figure.padEnd(44)} ${String(then).padStart(9)} → ${String(now).padStart(9)}  ×${(now / then).toFixed(3)}`,
        );
    }
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
