import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';

export interface LocalRedis {
  readonly url: string;
  /** Whether this process started the server (and so stops it). */
  readonly started: boolean;
  stop(): Promise<void>;
}

const INSTALL_HINT =
  'install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis), or set REDIS_URL to a Redis that runs';

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
 * 127.0.0.1; with `dataDirectory`, its append-only file kept there, else nothing saved) and stopped by `stop()`.
 * Errors name what to do.
 */
export async function startLocalRedis(
  url: string,
  options: { dataDirectory?: string; command?: string } = {},
): Promise<LocalRedis> {
  const command = options.command ?? 'redis-server';
  if (await redisAnswers(url)) return { url, started: false, stop: () => Promise.resolve() };
  const { hostname, port } = new URL(url);
  if (hostname !== '127.0.0.1' && hostname !== 'localhost') {
    throw new Error(`Redis does not answer at ${url} (REDIS_URL): start it, or point REDIS_URL at one that runs`);
  }
  if (options.dataDirectory) await mkdir(options.dataDirectory, { recursive: true });
  const persistence = options.dataDirectory
    ? ['--dir', resolve(options.dataDirectory), '--appendonly', 'yes', '--appendfsync', 'everysec']
    : ['--appendonly', 'no'];
  const server = spawn(command, ['--bind', '127.0.0.1', '--port', port || '6379', '--save', '', ...persistence], {
    stdio: 'ignore',
  });
  const failed = new Promise<never>((_, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'ENOENT'
            ? `Redis does not answer at ${url} and ${command} is not installed: ${INSTALL_HINT}`
            : `${command} could not start: ${error.message}`,
        ),
      ),
    );
    server.once('exit', (code) => reject(new Error(`${command} exited with ${code} before answering at ${url}`)));
  });
  const stop = async () => {
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
