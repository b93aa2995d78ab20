import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalOpenSearch } from '../local/local-opensearch';
import { startLocalRedis } from '../local/local-redis';
import { freePort } from '../local/free-port';

const usage = `usage: npm run mutation [-- STRYKER-OPTIONS]
Mutation testing with Stryker (stryker.config.json) over the modules that decide correctness: each mutant is a
small change to the code, and a test must fail for it. Starts one Redis and one OpenSearch for the run, as npm test
does (REDIS_URL and OPENSEARCH_URL name servers of your own instead).
Writes reports/mutation/index.html and mutation.json. The whole set is about 1,800 mutants, many hours on two
cores (the producer's tests run the API over HTTP); narrow it with
  npm run mutation -- --mutate codec/event-codec.ts`;

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help')) {
    console.log(usage);
    return 0;
  }
  const log = (line: string) => console.error(line);
  const redis = await startLocalRedis(process.env.REDIS_URL || `redis://127.0.0.1:${await freePort()}`, { log });
  const openSearch = process.env.OPENSEARCH_URL ? undefined : await startLocalOpenSearch({ log });
  try {
    const stryker = spawn(join(__dirname, '..', 'node_modules', '.bin', 'stryker'), ['run', ...args], {
      stdio: 'inherit',
      env: { ...process.env, REDIS_URL: redis.url, OPENSEARCH_URL: process.env.OPENSEARCH_URL ?? openSearch!.url },
    });
    // Ctrl-C reaches Stryker too; OpenSearch is stopped once it has exited.
    const forward = (signal: NodeJS.Signals) => stryker.kill(signal);
    process.on('SIGINT', forward).on('SIGTERM', forward);
    return await new Promise<number>((resolve) => stryker.on('exit', (code) => resolve(code ?? 1)));
  } finally {
    await openSearch?.stop();
    await redis.stop();
    unmountFullDiskLeftovers();
  }
}

/**
 * Stryker kills a worker whose mutant timed out, so a full-disk test it was in never unmounts its small filesystem;
 * the run does it at its end.
 */
function unmountFullDiskLeftovers(): void {
  if (!existsSync('/proc/mounts')) return;
  const leftovers = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((mountPoint) => mountPoint.startsWith(join(tmpdir(), 'spill-full-')));
  for (const mountPoint of leftovers) {
    execFileSync('umount', [mountPoint]);
    rmdirSync(mountPoint);
  }
  if (leftovers.length > 0) console.error(`unmounted ${leftovers.length} full-disk test filesystems Stryker left`);
}

main().then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    console.error(error.message);
    process.exitCode = 1;
  },
);
