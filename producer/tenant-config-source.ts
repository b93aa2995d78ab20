import { readFile, stat } from 'node:fs/promises';
import { GetObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { TenantDirectory, TenantFile } from './tenant-directory';

export interface TenantSnapshot {
  readonly text: string;
  /** Changes whenever the content may have: an S3 ETag, or a file's inode, size and modification time. */
  readonly version: string;
}

export interface TenantConfigSource {
  readonly description: string;
  /** What to set when the source cannot be read at start. */
  readonly setting: string;
  /** The content, or undefined when it is still the version given: a large file is then neither fetched nor parsed. */
  load(unlessVersion?: string): Promise<TenantSnapshot | undefined>;
}

export function fileSource(path: string): TenantConfigSource {
  return {
    description: `file ${path}`,
    setting: 'TENANT_CONFIG_FILE (config/local-tenants.json locally)',
    load: async (unlessVersion) => {
      const { ino, size, mtimeMs } = await stat(path);
      const version = `${ino}:${size}:${mtimeMs}`;
      if (version === unlessVersion) return undefined;
      // Read after the stat, so the text is never older than the version it is stored under.
      return { text: await readFile(path, 'utf8'), version };
    },
  };
}

export function s3Source(client: S3Client, bucket: string, key: string): TenantConfigSource {
  return {
    description: `s3://${bucket}/${key}`,
    setting: 'TENANT_CONFIG_S3_URI (and the instance role may need s3:GetObject on it)',
    load: async (unlessVersion) => {
      try {
        const object = await client.send(
          new GetObjectCommand({ Bucket: bucket, Key: key, IfNoneMatch: unlessVersion }),
        );
        if (!object.Body || !object.ETag) throw new Error(`s3://${bucket}/${key} has no body or no ETag`);
        return { text: await object.Body.transformToString('utf8'), version: object.ETag };
      } catch (error) {
        if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 304) return undefined;
        throw error;
      }
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
 * a failed refresh keeps the last good copy, and an unchanged source is not fetched again.
 */
export class RefreshingTenantConfig {
  private current: { directory: TenantDirectory; version: string } | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly source: TenantConfigSource,
    private readonly refreshIntervalMs: number,
    private readonly onError: (error: Error) => void,
  ) {}

  /** Loads once; fails when there is no good copy to serve from, saying which setting to check. */
  async start(): Promise<void> {
    try {
      await this.load();
    } catch (error) {
      throw new Error(
        `the tenant config could not be loaded from ${this.source.description}: ${(error as Error).message}. ` +
          `Check ${this.source.setting}.`,
        { cause: error },
      );
    }
    this.timer = setInterval(() => void this.refresh(), this.refreshIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  get directory(): TenantDirectory {
    if (!this.current) throw new Error('tenant config has not been loaded');
    return this.current.directory;
  }

  /** Called by the timer after start: a failure is reported and the last good copy kept. */
  async refresh(): Promise<void> {
    await this.load().catch((error: Error) => this.onError(error));
  }

  private async load(): Promise<void> {
    const snapshot = await this.source.load(this.current?.version);
    if (!snapshot) return;
    this.current = { directory: parseTenantFile(snapshot.text, this.source.description), version: snapshot.version };
  }
}
