import { spawn } from 'node:child_process';
import { freePort } from '../local/free-port';
import { startLocalRedis } from '../local/local-redis';
import { runCommand } from './command';

const spec = {
  name: 'npm run test:analytics',
  summary:
    "The experiment job's tests (Maven, JUnit 5), against a Redis started for them as npm start starts one " +
    '(REDIS_URL names one of your own instead) and kinesalite from node_modules. npm test runs it after jest.',
  options: {},
  examples: ['npm run test:analytics', 'npm run test:analytics -- -Dtest=UnitAttributionTest'],
} as const;

runCommand(
  spec,
  async () => {
    const redis = await startLocalRedis(process.env.REDIS_URL || `redis://127.0.0.1:${await freePort()}`, {
      log: (line) => console.log(line),
    });
    try {
      const maven = spawn('mvn', ['-B', '-ntp', '-f', 'analytics/pom.xml', 'test', ...process.argv.slice(2)], {
        stdio: 'inherit',
        env: { ...process.env, REDIS_URL: redis.url },
      });
      const code = await new Promise<number>((resolve, reject) => {
        maven.once('error', reject);
        maven.once('exit', (exitCode) => resolve(exitCode ?? 1));
      });
      if (code !== 0) throw new Error(`the experiment job's tests failed (Maven exited with ${code})`);
    } finally {
      await redis.stop();
    }
  },
  // Maven's own options pass through; only --help is this script's.
  process.argv.slice(2).filter((arg) => arg === '--help' || arg === '-h'),
);
