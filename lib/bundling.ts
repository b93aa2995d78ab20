import type { BuildOptions } from 'esbuild';

/** Every deployable entry point, each bundled alone. */
export const ENTRY_POINTS = {
  'contexts-indexer': 'lambdas/contexts-indexer/index.ts',
  'flag-status': 'lambdas/flag-status/index.ts',
  'archive-transform': 'lambdas/archive-transform/index.ts',
  exporter: 'lambdas/exporter/index.ts',
  'export-backlog': 'lambdas/export-backlog/index.ts',
  producer: 'producer/main.ts',
} as const;

export type EntryPointName = keyof typeof ENTRY_POINTS;

/** The esbuild settings the stacks deploy with, so tests and benchmarks measure the same artifact. */
export const BUNDLE_OPTIONS = {
  bundle: true,
  minify: true,
  sourcemap: true,
  platform: 'node',
  target: 'node24',
  format: 'cjs',
  logLevel: 'error',
} satisfies BuildOptions;
