import { execFileSync } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const runningAsRoot = () => process.getuid?.() === 0;

/**
 * Where servers fetched for local runs are kept, outside the repository and shared by every clone (LOCAL_CACHE_DIR
 * to choose another). As root it is under /var/tmp: OpenSearch then runs as nobody, who cannot read root's home.
 */
export function localCacheDirectory(): string {
  if (process.env.LOCAL_CACHE_DIR) return process.env.LOCAL_CACHE_DIR;
  return runningAsRoot() ? '/var/tmp/events-pipeline' : join(homedir(), '.cache', 'events-pipeline');
}

/** The first executable called `command` on `path` (PATH by default), if any. */
export function onPath(command: string, path = process.env.PATH ?? ''): string | undefined {
  try {
    const env = { ...process.env, PATH: path };
    return execFileSync('/bin/sh', ['-c', 'command -v "$0"', command], { encoding: 'utf8', env }).trim() || undefined;
  } catch {
    return undefined;
  }
}
