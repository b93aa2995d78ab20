import type { TestServers } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const servers = (globalThis as { testServers?: TestServers }).testServers;
  await Promise.all([servers?.redis?.stop(), servers?.openSearch?.stop()]);
}
