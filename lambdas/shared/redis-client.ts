import { Cluster, Redis } from 'ioredis';

/** One primary (with replicas), or a cluster of shards (ElastiCache cluster mode, Valkey or Redis cluster). */
export type RedisClient = Redis | Cluster;

export interface RedisSettings {
  readonly url: string;
  /** AUTH token (ElastiCache with in-transit encryption); a password in the URL works too. */
  readonly password?: string;
  /** TLS on; a rediss:// URL turns it on as well. */
  readonly tls?: boolean;
  /** Cluster mode: the URL names the configuration endpoint (or any node), and commands go to each key's shard. */
  readonly cluster?: boolean;
  readonly connectTimeoutMs?: number;
  readonly commandTimeoutMs?: number;
}

/** One connection per container, with explicit timeouts so an unreachable Redis fails the batch instead of hanging. */
export function redisClient(settings: RedisSettings & { readonly cluster: true }): Cluster;
export function redisClient(settings: RedisSettings & { readonly cluster?: false }): Redis;
export function redisClient(settings: RedisSettings): RedisClient;
export function redisClient(settings: RedisSettings): RedisClient {
  const options = {
    password: settings.password,
    tls: settings.tls ? {} : undefined,
    connectTimeout: settings.connectTimeoutMs ?? 2_000,
    commandTimeout: settings.commandTimeoutMs ?? 2_000,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt: number) => Math.min(attempt * 100, 1_000),
    // ioredis waits this long for a closing socket, even one that never connected, holding the process open meanwhile.
    disconnectTimeout: 500,
  };
  if (!settings.cluster) return new Redis(settings.url, options);
  const url = new URL(settings.url);
  return new Cluster([{ host: url.hostname, port: Number(url.port || 6379) }], {
    redisOptions: { ...options, password: settings.password ?? (decodeURIComponent(url.password) || undefined) },
    clusterRetryStrategy: options.retryStrategy,
    // ElastiCache with TLS: connect to the nodes by the name their certificates carry.
    dnsLookup: (address, callback) => callback(null, address),
  });
}
