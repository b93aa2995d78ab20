import { startLocalOpenSearch } from '../scripts/local-opensearch';

/** One OpenSearch for the whole run (it takes seconds to start); OPENSEARCH_URL points tests at another. */
export default async function globalSetup(): Promise<void> {
  if (process.env.OPENSEARCH_URL) return;
  const openSearch = await startLocalOpenSearch({ log: (line) => process.stderr.write(`${line}\n`) });
  process.env.OPENSEARCH_URL = openSearch.url;
  (globalThis as { localOpenSearch?: typeof openSearch }).localOpenSearch = openSearch;
}
