import type { Client } from '@opensearch-project/opensearch';
import type { Indices_PutIndexTemplate_RequestBody } from '@opensearch-project/opensearch/api/indices/putIndexTemplate';
import type { ContextDocument } from './context-updates';

export const CONTEXTS_TEMPLATE = 'contexts-v2';
export const FIRST_INDEX_SUFFIX = '000001';

/** Kept in the document as sent, never indexed: attributes with a value too long for an index term. */
const LONG_ATTRIBUTES_MAPPING = { type: 'object', enabled: false } as const;

/** Lucene refuses a term over 32,766 bytes of UTF-8 (IndexWriter.MAX_TERM_LENGTH), and so the whole document. */
const MAX_TERM_BYTES = 32_766;

/** A context as stored: top-level attributes holding a value too long to index are kept apart, unindexed. */
export type StoredContext = Omit<ContextDocument, 'attributes'> & {
  attributes?: Record<string, unknown>;
  longAttributes?: Record<string, unknown>;
};

/** flat_object indexes each leaf as a term of its own and again as `path=value`; the longer must fit. */
function holdsOverlongTerm(value: unknown, path: string): boolean {
  if (typeof value === 'string') return Buffer.byteLength(path) + 1 + Buffer.byteLength(value) > MAX_TERM_BYTES;
  if (typeof value !== 'object' || value === null) return Buffer.byteLength(path) > MAX_TERM_BYTES;
  return Object.entries(value).some(([name, child]) =>
    holdsOverlongTerm(child, Array.isArray(value) ? path : `${path}.${name}`),
  );
}

export function toStoredContext(document: ContextDocument): StoredContext {
  const { attributes, ...rest } = document;
  if (!attributes) return document;
  let indexed: Record<string, unknown> | undefined;
  let long: Record<string, unknown> | undefined;
  for (const [name, value] of Object.entries(attributes)) {
    if (holdsOverlongTerm(value, name)) (long ??= {})[name] = value;
    else (indexed ??= {})[name] = value;
  }
  return long ? { ...rest, attributes: indexed, longAttributes: long } : document;
}

export function fromStoredContext(stored: StoredContext): ContextDocument {
  const { longAttributes, ...rest } = stored;
  return longAttributes ? { ...rest, attributes: { ...stored.attributes, ...longAttributes } } : rest;
}

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
          longAttributes: LONG_ATTRIBUTES_MAPPING,
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
  if (exists.body) {
    // Indices made by an earlier template take the additive field too.
    await client.indices.putMapping({
      index: `${alias}-v2-*`,
      body: { properties: { longAttributes: LONG_ATTRIBUTES_MAPPING } },
    });
    return;
  }
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
