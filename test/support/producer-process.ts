import { ChildProcess, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { BUNDLE_OPTIONS, ENTRY_POINTS } from '../../lib/bundling';
import { writeTenantFile } from './producer-harness';

export interface ProducerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly exited: Promise<number | null>;
  /** Everything the process wrote so far: its JSON log lines. */
  output(): string;
}

/**
 * The producer's real entry point, bundled as it is deployed and run in its own process on an ephemeral port,
 * with the test tenants and a private spill folder; `env` adds or overrides variables.
 */
export async function startProducerProcess(
  env: Record<string, string>,
  options: { nodeArgs?: string[]; minify?: boolean } = {},
): Promise<ProducerProcess> {
  const work = await mkdtemp(join(tmpdir(), 'producer-process-'));
  const bundle = join(work, 'producer.js');
  buildSync({
    ...BUNDLE_OPTIONS,
    minify: options.minify ?? true,
    entryPoints: [ENTRY_POINTS.producer],
    outfile: bundle,
  });
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), bundle], {
    env: {
      ...process.env,
      PORT: '0',
      TENANT_CONFIG_FILE: await writeTenantFile(),
      SPILL_DIR: join(work, 'spill'),
      ...env,
    },
    // Warnings (a Kinesis outage is many) are kept with the output rather than printed among the test results.
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"message":"events API listening".*?"url":"([^"]+)"/.exec(output);
      if (match) resolve(match[1]!);
    });
    void exited.then((code) => reject(new Error(`producer exited with ${code} before listening: ${output}`)));
  });
  return { child, url, exited, output: () => output };
}
