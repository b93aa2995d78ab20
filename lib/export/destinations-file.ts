import { readFile, writeFile } from 'node:fs/promises';
import type { DestinationsFile } from '../../lambdas/exporter/destinations';

/** Where each environment's destinations are reviewed: the Export stack and `npm run export` read it. */
export const DESTINATIONS_FILE = 'config/export-destinations.json';

export async function readDestinationsFile(path = DESTINATIONS_FILE): Promise<DestinationsFile> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '{}';
    throw error;
  });
  try {
    return JSON.parse(text) as DestinationsFile;
  } catch (error) {
    throw new Error(`${path} is not JSON: ${(error as Error).message}`, { cause: error });
  }
}

export async function writeDestinationsFile(file: DestinationsFile, path = DESTINATIONS_FILE): Promise<void> {
  await writeFile(path, `${JSON.stringify(file, null, 2)}\n`);
}
