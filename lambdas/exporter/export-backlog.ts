import { randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';

/** One object of a destination's backlog: the exported events a delivery did not place, and when it kept them. */
export interface BacklogObject {
  readonly key: string;
  readonly keptAtMs: number;
}

/**
 * What each destination could not take yet, kept durably per destination (S3 objects of GZIP newline-delimited
 * exported events under `<prefix><destination>/`), so a stalled destination holds back only itself.
 */
export class ExportBacklog {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly prefix = 'export-backlog/',
  ) {}

  /** Resolves once the events are durable; a failure here fails the batch, so the stream hands it over again. */
  async keep(destinationId: string, events: readonly string[], nowMs: number): Promise<void> {
    if (events.length === 0) return;
    // Keys sort by time: the zero-padded milliseconds first, a random tail so two writers never collide.
    const key = `${this.prefix}${destinationId}/${String(nowMs).padStart(15, '0')}-${randomBytes(6).toString('hex')}.ndjson.gz`;
    await this.s3.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: gzipSync(`${events.join('\n')}\n`) }),
    );
  }

  /** The destination's backlog, oldest first. */
  async objects(destinationId: string): Promise<BacklogObject[]> {
    const objects: BacklogObject[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: `${this.prefix}${destinationId}/`,
          ContinuationToken: token,
        }),
      );
      for (const { Key } of page.Contents ?? []) {
        if (Key) objects.push({ key: Key, keptAtMs: Number(Key.slice(Key.lastIndexOf('/') + 1).split('-')[0]) });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return objects.sort((a, b) => a.key.localeCompare(b.key));
  }

  async read(object: BacklogObject): Promise<string[]> {
    const answer = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: object.key }));
    const text = gunzipSync(await answer.Body!.transformToByteArray()).toString();
    return text.split('\n').filter((line) => line !== '');
  }

  async remove(object: BacklogObject): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: object.key }));
  }
}
