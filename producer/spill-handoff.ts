import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { SpillStore } from './spill-store';

/** Where spill files wait between an instance that terminates and the instance that sends them: s3://bucket/prefix. */
export interface SpillHandoffLocation {
  readonly bucket: string;
  readonly prefix: string;
}

export function parseHandoffUri(uri: string): SpillHandoffLocation {
  const match = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri);
  if (!match) throw new Error(`SPILL_HANDOFF_S3_URI must look like s3://bucket/prefix/, got ${JSON.stringify(uri)}`);
  const prefix = match[2]!;
  return { bucket: match[1]!, prefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/` };
}

/**
 * Spill files outlive their instance: at termination, after the drain, what is left goes to S3 (each file removed
 * locally once S3 holds it); any running instance adopts them into its own spill folder, and deletes each object
 * only once the copy is durable on its disk. Two instances adopting the same object send its records twice, which
 * the consumers apply once (records keep their producer-given identity).
 */
export class SpillHandoff {
  constructor(
    private readonly s3: S3Client,
    private readonly location: SpillHandoffLocation,
  ) {}

  /** Uploads every spill file under `<prefix><origin>/`; returns how many. */
  async upload(store: SpillStore, origin: string): Promise<number> {
    const names = [...(await store.temporaryFiles()), ...(await store.list())];
    for (const name of names) {
      await this.s3.send(
        new PutObjectCommand({
          Bucket: this.location.bucket,
          Key: `${this.location.prefix}${origin}/${name.replace(/^\.|\.tmp$/g, '')}`,
          Body: await store.bytes(name),
        }),
      );
      await store.remove(name);
    }
    return names.length;
  }

  /** Copies waiting spill files into the store, each deleted from S3 once durable here; returns how many. */
  async adopt(store: SpillStore): Promise<number> {
    let adopted = 0;
    let continuationToken: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({
          Bucket: this.location.bucket,
          Prefix: this.location.prefix,
          ContinuationToken: continuationToken,
        }),
      );
      for (const { Key: key } of page.Contents ?? []) {
        const object = await this.s3.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: key }));
        await store.adopt(Buffer.from(await object.Body!.transformToByteArray()));
        await this.s3.send(new DeleteObjectCommand({ Bucket: this.location.bucket, Key: key }));
        adopted++;
      }
      continuationToken = page.NextContinuationToken;
    } while (continuationToken);
    return adopted;
  }
}
