import type { Client } from '@opensearch-project/opensearch';
import type { Indices_PutIndexTemplate_RequestBody } from '@opensearch-project/opensearch/api/indices/putIndexTemplate';

export const CONTEXTS_TEMPLATE = 'contexts-v2';
export const FIRST_INDEX_SUFFIX = '000001';

/**
 * One index for every environment (an environment field, not an index each, so thousands of small environments
 * do not become thousands of shards), written and read through an alias so it can be rolled over or reindexed.
 */
export function contextsTemplate(indexPrefix: string, shards: number): Indices_PutIndexTemplate_RequestBody {
  return {
    index_patterns: [`${indexPrefix}-*`],
    template: {
      settings: { number_of_shards: shards, refresh_interval: '1s' },
      mappings: {
        dynamic: 'strict',
        properties: {
          environmentId: { type: 'keyword' },
          kind: { type: 'keyword' },
          key: { type: 'keyword' },
          name: { type: 'text', fields: { raw: { type: 'keyword', ignore_above: 256 } } },
          anonymous: { type: 'boolean' },
          // Arbitrary customer attributes: one field for all of them, so they cannot explode the mapping.
          attributes: { type: 'flat_object' },
          redactedAttributes: { type: 'keyword' },
          firstSeen: { type: 'date', format: 'epoch_millis' },
          lastSeen: { type: 'date', format: 'epoch_millis' },
          detailsSeen: { type: 'date', format: 'epoch_millis' },
          detailsOrder: { type: 'keyword', index: false },
          lastSeenOrder: { type: 'keyword', index: false },
          lastSdk: { type: 'keyword' },
        },
      },
    },
  };
}

/** Applies the template and creates the first index behind the alias; safe to run any number of times. */
export async function ensureContextsIndex(client: Client, alias: string, shards = 1): Promise<void> {
  await client.indices.putIndexTemplate({
    name: `${CONTEXTS_TEMPLATE}-${alias}`,
    body: contextsTemplate(`${alias}-v2`, shards),
  });
  const exists = await client.indices.existsAlias({ name: alias });
  if (exists.body) return;
  try {
    await client.indices.create({
      index: `${alias}-v2-${FIRST_INDEX_SUFFIX}`,
      body: { aliases: { [alias]: { is_write_index: true } } },
    });
  } catch (error) {
    const type = (error as { body?: { error?: { type?: string } } }).body?.error?.type;
    if (type !== 'resource_already_exists_exception') throw error;
  }
}
