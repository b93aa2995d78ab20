import { delimiter, dirname } from 'node:path';
import { freePort } from '../local/free-port';
import { LocalOpenSearch, startLocalOpenSearch } from '../local/local-opensearch';
import { LocalRedis, redisBinaries, startLocalRedis } from '../local/local-redis';
import { ensurePythonTools } from './support/test-prerequisites';

export interface TestServers {
  redis?: LocalRedis;
  openSearch?: LocalOpenSearch;
}

/**
 * The servers every suite shares, each started once on a free port unless the environment names one (REDIS_URL,
 * OPENSEARCH_URL), and the project's tools put first on PATH: redis-server and redis-cli (installed or fetched once),
 * cfn-lint and moto_server (.venv). A server that cannot start ends the run here, naming the fix.
 */
export default async function globalSetup(): Promise<void> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const servers: TestServers = {};
  (globalThis as { testServers?: TestServers }).testServers = servers;
  const redis = await redisBinaries({ log });
  const pythonTools = await ensurePythonTools(log);
  process.env.PATH = [pythonTools, dirname(redis.server), process.env.PATH].join(delimiter);
  try {
    if (!process.env.REDIS_URL) {
      servers.redis = await startLocalRedis(`redis://127.0.0.1:${await freePort()}`, { command: redis.server });
      process.env.REDIS_URL = servers.redis.url;
    }
    if (!process.env.OPENSEARCH_URL) {
      servers.openSearch = await startLocalOpenSearch({ log });
      process.env.OPENSEARCH_URL = servers.openSearch.url;
    }
  } catch (error) {
    // jest runs no teardown after a failed set-up: what started must stop here.
    await servers.redis?.stop();
    throw error;
  }
}
