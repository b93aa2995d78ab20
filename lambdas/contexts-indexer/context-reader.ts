import type { Client } from '@opensearch-project/opensearch';
import type { ContextDocument } from './context-updates';
import { fromStoredContext, StoredContext } from './context-index';

export interface ContextsQuery {
  readonly environmentId: string;
  readonly kind?: string;
  /** Part of a key (any case) or words of a name. */
  readonly search?: string;
  /** @default 20 */
  readonly limit?: number;
}

export interface ContextsReport {
  /** How many contexts match, of which `contexts` holds the most recently seen. */
  readonly total: number;
  readonly contexts: (ContextDocument & { readonly id: string })[];
}

/** The contexts an environment's SDKs reported, newest first, as on-call and the status page read them. */
export async function readContexts(client: Client, alias: string, query: ContextsQuery): Promise<ContextsReport> {
  const filter: object[] = [{ term: { environmentId: query.environmentId } }];
  if (query.kind) filter.push({ term: { kind: query.kind } });
  const search = query.search?.trim();
  const must = search
    ? [
        {
          bool: {
            should: [
              { wildcard: { key: { value: `*${search.replace(/[*?\\]/g, '\\$&')}*`, case_insensitive: true } } },
              { match: { name: search } },
            ],
            minimum_should_match: 1,
          },
        },
      ]
    : [];
  const response = await client.search({
    index: alias,
    body: {
      query: { bool: { filter, must } },
      sort: [{ lastSeen: 'desc' }],
      size: query.limit ?? 20,
      track_total_hits: true,
    },
  });
  const hits = response.body.hits;
  const total = typeof hits.total === 'number' ? hits.total : (hits.total?.value ?? 0);
  return {
    total,
    contexts: hits.hits.map((hit) => ({ id: hit._id ?? '', ...fromStoredContext(hit._source as StoredContext) })),
  };
}
