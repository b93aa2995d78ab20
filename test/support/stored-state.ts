import { CONTEXTS_TEMPLATE } from '../../lambdas/contexts-indexer/context-index';
import { openSearchClient } from '../../lambdas/shared/opensearch-client';
import { redisClient } from '../../lambdas/shared/redis-client';
import { testRedisUrl } from './test-servers';

const redisUrl = testRedisUrl;

/** Deletes every Redis key under the prefix, as a Redis restarted without persistence would lose them. */
export async function deleteRedisKeys(keyPrefix: string): Promise<void> {
  const redis = redisClient({ url: redisUrl() });
  try {
    for await (const keys of redis.scanStream({ match: `${keyPrefix}:*`, count: 1_000 }) as AsyncIterable<string[]>)
      if (keys.length > 0) await redis.del(...keys);
  } finally {
    await redis.quit();
  }
}

/** Deletes a test's Redis keys, indices and template: nothing it wrote outlives it. */
export async function removeStoredState(keyPrefix: string, alias: string): Promise<void> {
  await deleteRedisKeys(keyPrefix);
  const openSearch = openSearchClient({ url: process.env.OPENSEARCH_URL! });
  try {
    await openSearch.indices.delete({ index: `${alias}-*` });
    await openSearch.indices.deleteIndexTemplate({ name: `${CONTEXTS_TEMPLATE}-${alias}` });
  } finally {
    await openSearch.close();
  }
}
