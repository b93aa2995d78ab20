import { connect } from 'node:net';
import { Redis } from 'ioredis';
import { startLocalRedis } from '../../scripts/local-redis';
import { freePort } from '../support/free-port';

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
    const redis = await startLocalRedis('redis://127.0.0.1:6379');
    await redis.stop();
    expect(redis.started).toBe(false);
    const client = new Redis('redis://127.0.0.1:6379');
    expect(await client.ping()).toBe('PONG');
    client.disconnect();
  });

  it('says how to get Redis when none answers and redis-server is not installed', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    await expect(startLocalRedis(url, { command: 'redis-server-not-installed' })).rejects.toThrow(
      /Redis does not answer at redis:\/\/127\.0\.0\.1:\d+ and redis-server-not-installed is not installed: install it .*or set REDIS_URL/,
    );
  });

  it('names REDIS_URL when a remote Redis does not answer', async () => {
    await expect(startLocalRedis('redis://192.0.2.1:6379')).rejects.toThrow(/192\.0\.2\.1.*\(REDIS_URL\)/);
  });
});
