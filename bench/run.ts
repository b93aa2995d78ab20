import { benchConsumers } from './consumers';
import { benchEndToEnd } from './e2e';
import { benchProducer } from './producer';

const BENCHES: Record<string, () => Promise<Record<string, unknown>>> = {
  producer: benchProducer,
  consumers: benchConsumers,
  e2e: benchEndToEnd,
};

function table(result: Record<string, unknown>): string {
  return Object.entries(result)
    .map(([name, value]) => `${name.padEnd(28)} ${JSON.stringify(value)}`)
    .join('\n');
}

async function main(): Promise<void> {
  const requested = process.argv.slice(2);
  const unknown = requested.filter((name) => !(name in BENCHES));
  if (unknown.length > 0)
    throw new Error(`unknown bench ${unknown.join(', ')}; choose from ${Object.keys(BENCHES).join(', ')}`);
  for (const name of requested.length > 0 ? requested : Object.keys(BENCHES)) {
    console.log(`\n== ${name}`);
    console.log(table(await BENCHES[name]!()));
    console.log(`(written to bench/results/${name}.json)`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
