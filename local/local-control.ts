import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Asks the running local pipeline (`npm start`) for something: what the replay, redrive and query commands use
 * with `--env local`. GET without a body, POST with one.
 */
export async function localPipelineRequest<T>(url: string, path: string, body?: object): Promise<T> {
  const response = await fetch(`${url}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body && JSON.stringify(body),
  }).catch((error: Error) => {
    throw new Error(
      `no local pipeline answers at ${url} (${(error.cause as Error | undefined)?.message ?? error.message}): start it with npm start, or pass --url`,
    );
  });
  const answer = (await response.json()) as T & { error?: string };
  if (!response.ok) throw new Error(answer.error ?? `the local pipeline answered ${response.status}`);
  return answer;
}

/** Where `npm start` keeps everything, unless LOCAL_DATA_DIR says otherwise. */
export const localDataDirectory = () => process.env.LOCAL_DATA_DIR ?? '.local';

/** What `npm start` runs and where: written once it is ready, removed when it stops. */
export interface RunningPipeline {
  readonly url: string;
  readonly kinesisEndpoint: string;
  readonly streamName: string;
  readonly redisUrl: string;
  readonly openSearchUrl: string;
  readonly dataDirectory: string;
  readonly pid: number;
}

export const runningPipelineFile = (dataDirectory: string) => join(dataDirectory, 'running.json');

export function runningPipeline(dataDirectory = localDataDirectory()): RunningPipeline | undefined {
  try {
    return JSON.parse(readFileSync(runningPipelineFile(dataDirectory), 'utf8')) as RunningPipeline;
  } catch {
    return undefined;
  }
}

/** The running `npm start`'s URL, so the scripts find it on the port it picked; else where PORT says it would be. */
export const localPipelineUrl = () => runningPipeline()?.url ?? `http://127.0.0.1:${process.env.PORT ?? 8080}`;

export const LOCAL_URL_OPTION = {
  type: 'string',
  value: 'URL',
  description: 'the running npm start (default: the URL it wrote to .local/running.json, else PORT or 8080)',
} as const;
