import { redisBinaries } from '../local/local-redis';
import { ensureOpenSearchDistribution } from '../local/local-opensearch';
import { runCommand } from './command';
import { ensurePythonTools, ensureSystemPackages } from '../test/support/test-prerequisites';

const spec = {
  name: 'npm run prepare-tests',
  summary:
    'Provides what the tests need and a fresh machine lacks, before they start (npm test runs it first): Chromium, ' +
    'unzip, Java and Maven with apt when root (else the command to run); cfn-lint and moto in .venv; redis-server ' +
    'and OpenSearch in the local cache. Each is done once; a later run only checks.',
  options: {},
  examples: ['npm run prepare-tests'],
} as const;

runCommand(spec, async () => {
  const log = (line: string) => console.log(`prepare-tests: ${line}`);
  await ensureSystemPackages(log);
  await ensurePythonTools(log);
  await redisBinaries({ log });
  ensureOpenSearchDistribution(log);
});
