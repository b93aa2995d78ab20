import cluster, { Worker } from 'node:cluster';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

type Log = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

/** A worker that dies this soon after it started is restarted only after a pause, so a crash loop cannot spin. */
const RESTART_PAUSE_MS = 1_000;

/** Each worker spills to a folder of its own under the configured one, which a restarted worker takes over. */
export const workerSpillDirectory = (root: string, index: number): string => join(root, `worker-${index}`);

/** The spill folder and every worker's folder in it: what a termination hands off, whatever the worker count was. */
export async function spillDirectories(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const workers = entries.filter((entry) => entry.isDirectory() && /^worker-\d+$/.test(entry.name));
  return [root, ...workers.map((entry) => join(root, entry.name))];
}

/**
 * Runs `count` copies of this program sharing its port through Node's cluster module, one per vCPU: each has its
 * own spill folder, one that dies is started again on the same folder (so it sends what it spilled), the first alone
 * adopts spill other instances handed off, and SIGTERM or SIGINT drains every one; the pool exits once they all
 * have, with the first non-zero exit code if any.
 */
export function runWorkerPool(count: number, spillRoot: string, log: Log): Promise<number> {
  let stopping = false;
  let exitCode = 0;
  const running = new Set<Worker>();
  return new Promise((resolve) => {
    const start = (index: number) => {
      const startedAt = Date.now();
      const worker = cluster.fork({
        SPILL_DIR: workerSpillDirectory(spillRoot, index),
        WORKERS: '1',
        // One adopter per instance: every worker polling S3 for handed-off spill would only send it more often.
        ...(index > 0 && { SPILL_HANDOFF_S3_URI: '' }),
      });
      running.add(worker);
      worker.once('exit', (code, signal) => {
        running.delete(worker);
        if (stopping) {
          if (code !== 0 && exitCode === 0) exitCode = code ?? 1;
          if (running.size === 0) resolve(exitCode);
          return;
        }
        log('error', 'worker exited; starting it again on its spill folder', { index, code, signal });
        const pause = Date.now() - startedAt < RESTART_PAUSE_MS ? RESTART_PAUSE_MS : 0;
        setTimeout(() => (stopping ? undefined : start(index)), pause);
      });
    };
    for (let index = 0; index < count; index++) start(index);
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      log('info', 'draining every worker', { signal, workers: running.size });
      // Under systemd the whole control group gets the signal too; a worker drains once however often it hears it.
      for (const worker of running) worker.process.kill(signal);
      if (running.size === 0) resolve(exitCode);
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });
}
