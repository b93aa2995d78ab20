import { copyFile, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { resultsDirectory } from '../bench/results-file';
import { ENVIRONMENTS } from '../lib/config/environments';
import {
  ACCEPTED_FIGURES,
  environmentSizing,
  EnvironmentSizing,
  FIGURE_FILES,
  MeasuredFigures,
} from '../lib/planning/sizing';
import { runCommand } from './command';

const spec = {
  name: 'npm run sizing',
  summary:
    'Shows what the newest benchmark figures (bench/results) would change in each environment, against the figures ' +
    'the stacks are sized from now (lib/planning): per environment the request target an instance can serve, the ' +
    'instances the peak needs, and the shards. With --accept, copies them over the tracked files, to be committed ' +
    'on their own; it refuses while synth would refuse a configuration under them.',
  options: {
    accept: { type: 'boolean', default: false, description: 'take the measured figures into lib/planning' },
    from: { type: 'string', value: 'DIR', description: 'where the benchmarks wrote (default bench/results)' },
  },
  examples: ['npm run bench -- producer && npm run sizing', 'npm run sizing -- --accept'],
} as const;

type Figure = keyof MeasuredFigures;

async function measuredFigures(directory: string): Promise<{ figures: MeasuredFigures; found: Figure[] }> {
  const figures = { ...ACCEPTED_FIGURES } as Record<Figure, unknown>;
  const found: Figure[] = [];
  for (const [figure, { file }] of Object.entries(FIGURE_FILES) as [Figure, { file: string }][]) {
    const text = await readFile(join(directory, basename(file)), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    figures[figure] = JSON.parse(text);
    found.push(figure);
  }
  return { figures: figures as unknown as MeasuredFigures, found };
}

const change = (before: number, after: number) => (before === after ? `${after}` : `${before} → ${after}`);

function figureRows(figures: MeasuredFigures): string[] {
  return (Object.keys(FIGURE_FILES) as Figure[]).flatMap((figure) =>
    Object.entries(figures[figure])
      .filter(([, value]) => typeof value === 'number')
      .map(([field, value]) => {
        const accepted = (ACCEPTED_FIGURES[figure] as Record<string, unknown>)[field] as number;
        return `  ${`${figure}.${field}`.padEnd(34)} ${change(accepted, value as number)}`;
      }),
  );
}

function environmentRow(before: EnvironmentSizing, after: EnvironmentSizing): string {
  return [
    before.environment.padEnd(8),
    before.instanceType.padEnd(11),
    `${after.requestsPerTarget} (limit ${change(before.requestsPerInstanceLimit, after.requestsPerInstanceLimit)})`.padEnd(
      30,
    ),
    `${after.maxCapacity} (peak needs ${change(before.instancesForPeak, after.instancesForPeak)})`.padEnd(28),
    change(before.shards, after.shards).padEnd(10),
    change(before.analyticsKpus, after.analyticsKpus),
  ].join('  ');
}

runCommand(spec, async ({ values }) => {
  const directory = values.from ?? resultsDirectory();
  const { figures, found } = await measuredFigures(directory);
  if (found.length === 0) {
    throw new Error(
      `no measured figures in ${directory}: run npm run bench -- producer (or compression, export, analytics) first`,
    );
  }
  console.log(`figures, accepted → measured (${directory}):`);
  for (const row of figureRows(figures)) console.log(row);
  console.log('\nper environment:');
  console.log(
    `  ${'env'.padEnd(8)}  ${'instance'.padEnd(11)}  ${'requests per target'.padEnd(30)}  ${'max capacity'.padEnd(28)}  ${'shards'.padEnd(10)}  job KPUs`,
  );
  const sizings = ENVIRONMENTS.map((config) => ({
    before: environmentSizing(config, ACCEPTED_FIGURES),
    after: environmentSizing(config, figures),
  }));
  for (const { before, after } of sizings) console.log(`  ${environmentRow(before, after)}`);
  const refusals = sizings.flatMap(({ after }) => after.refusals.map((each) => `${after.environment}: ${each}`));
  if (refusals.length > 0) console.log(`\nsynth would refuse under the measured figures:\n- ${refusals.join('\n- ')}`);
  if (!values.accept) {
    console.log('\nnothing written; npm run sizing -- --accept takes them, to be committed on their own');
    return;
  }
  if (refusals.length > 0) {
    throw new Error('not accepted: change those settings in lib/config/environments.ts first, then accept again');
  }
  for (const figure of found) {
    await copyFile(join(directory, basename(FIGURE_FILES[figure].file)), FIGURE_FILES[figure].file);
    console.log(`wrote ${FIGURE_FILES[figure].file}`);
  }
  console.log('commit them on their own, with the output above: the next deploy is sized from them');
});
