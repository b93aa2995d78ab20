import { spawn } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { freePort } from '../local/free-port';
import { redisBinaries, startLocalRedis } from '../local/local-redis';
import { startMotoServer } from '../test/support/moto-server';
import { PYTHON_TOOLS } from '../test/support/test-prerequisites';
import { runCommand } from './command';

const spec = {
  name: 'npm run test:analytics',
  summary:
    "The experiment job's tests (Maven, JUnit 5), against a Redis started for them as npm start starts one " +
    '(REDIS_URL names one of your own instead), kinesalite from node_modules, and moto (from .venv, which npm run ' +
    'prepare-tests makes) for Secrets Manager. npm test runs it after jest.',
  options: {},
  examples: ['npm run test:analytics', 'npm run test:analytics -- -Dtest=UnitAttributionTest'],
} as const;

runCommand(
  spec,
  async () => {
    const log = (line: string) => console.log(line);
    const redis = await startLocalRedis(process.env.REDIS_URL || `redis://127.0.0.1:${await freePort()}`, { log });
    process.env.PATH = [join(PYTHON_TOOLS, 'bin'), process.env.PATH].join(delimiter);
    const moto = await startMotoServer().catch(async (error: Error) => {
      await redis.stop();
      throw error;
    });
    try {
      const maven = spawn('mvn', ['-B', '-ntp', '-f', 'analytics/pom.xml', 'test', ...process.argv.slice(2)], {
        stdio: 'inherit',
        env: {
          ...process.env,
          REDIS_URL: redis.url,
          // A Redis of its own with an AUTH token, for the test of the deployed sink's connection.
          REDIS_SERVER: (await redisBinaries({ log })).server,
          MOTO_URL: moto.endpoint,
        },
      });
      const code = await new Promise<number>((resolve, reject) => {
        maven.once('error', reject);
        maven.once('exit', (exitCode) => resolve(exitCode ?? 1));
      });
      if (code !== 0) throw new Error(`the experiment job's tests failed (Maven exited with ${code})`);
    } finally {
      await moto.close();
      await redis.stop();
    }
  },
  // Maven's own options pass through; only --help is this script's.
  process.argv.slice(2).filter((arg) => arg === '--help' || arg === '-h'),
);
