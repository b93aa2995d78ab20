import { Redis } from 'ioredis';

export interface RedisSettings {
  readonly url: string;
  /** AUTH token (ElastiCache with in-transit encryption); a password in the URL works too. */
  readonly password?: string;
  /** TLS on; a rediss:// URL turns it on as well. */
  readonly tls?: boolean;
  readonly connectTimeoutMs?: number;
  readonly commandTimeoutMs?: number;
}

/** One connection per container, with explicit timeouts so an unreachable Redis fails the batch instead of hanging. */
export function redisClient(settings: RedisSettings): Redis {
  return new Redis(settings.url, {
    password: settings.password,
    tls: settings.tls ? {} : undefined,
    connectTimeout: settings.connectTimeoutMs ?? 2_000,
    commandTimeout: settings.commandTimeoutMs ?? 2_000,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
  });
}
