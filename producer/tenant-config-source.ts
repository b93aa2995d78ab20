import { readFile } from 'node:fs/promises';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { TenantDirectory, TenantFile } from './tenant-directory';

export interface TenantConfigSource {
  readonly description: string;
  load(): Promise<string>;
}

export function fileSource(path: string): TenantConfigSource {
  return { description: `file ${path}`, load: () => readFile(path, 'utf8') };
}

export function s3Source(client: S3Client, bucket: string, key: string): TenantConfigSource {
  return {
    description: `s3://${bucket}/${key}`,
    load: async () => {
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      if (!object.Body) throw new Error(`s3://${bucket}/${key} has no body`);
      return object.Body.transformToString('utf8');
    },
  };
}

export function parseTenantFile(text: string, description: string): TenantDirectory {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${description} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return new TenantDirectory(parsed as TenantFile);
}

/**
 * Keeps the tenant directory fresh in the background so no request waits on the network;
 * a failed refresh keeps the last good copy.
 */
export class RefreshingTenantConfig {
  private current: TenantDirectory | undefined;
  private timer: NodeJS.Timeout | undefined;
  lastError: Error | undefined;

  constructor(
    private readonly source: TenantConfigSource,
    private readonly refreshIntervalMs: number,
    private readonly onError: (error: Error) => void,
  ) {}

  /** Loads once; fails when there is no good copy to serve from. */
  async start(): Promise<void> {
    await this.refresh();
    if (!this.current) throw this.lastError ?? new Error(`no tenant config from ${this.source.description}`);
    this.timer = setInterval(() => void this.refresh(), this.refreshIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  get directory(): TenantDirectory {
    if (!this.current) throw new Error('tenant config has not been loaded');
    return this.current;
  }

  async refresh(): Promise<void> {
    try {
      this.current = parseTenantFile(await this.source.load(), this.source.description);
      this.lastError = undefined;
    } catch (error) {
      this.lastError = error as Error;
      this.onError(this.lastError);
    }
  }
}
