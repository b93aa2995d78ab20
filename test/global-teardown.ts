import type { LocalOpenSearch } from '../scripts/local-opensearch';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { localOpenSearch?: LocalOpenSearch }).localOpenSearch?.stop();
}
