import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { FirehoseTransformationEvent, FirehoseTransformationResult, KinesisStreamEvent } from 'aws-lambda';
import { archiveDataPrefix, archiveErrorPrefix, resolveArchivePrefix } from '../lib/archive-layout';

const gzipAsync = promisify(gzip);

export interface LocalArchiveOptions {
  readonly directory: string;
  readonly environment: string;
  readonly bufferBytes: number;
  readonly bufferSeconds: number;
  readonly transform: (event: FirehoseTransformationEvent) => FirehoseTransformationResult;
}

export interface ArchiveStats {
  files: number;
  bytes: number;
  lines: number;
  failedRecords: number;
}

/**
 * Reproduces the Firehose delivery stream: records through the real transform, buffered by size and interval,
 * written as GZIP newline-delimited JSON under the prefixes the S3 destination uses; failed records go under the
 * error prefix as they came. Unlike Firehose it buffers in memory: stop() flushes.
 */
export class LocalArchive {
  readonly stats: ArchiveStats = { files: 0, bytes: 0, lines: 0, failedRecords: 0 };
  private buffer: Buffer[] = [];
  private bufferedBytes = 0;
  private sequence = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly options: LocalArchiveOptions) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.options.bufferSeconds * 1000);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  /** The batch handler the event-source runner calls with what Firehose would read from the stream. */
  readonly deliver = async (event: KinesisStreamEvent): Promise<void> => {
    const result = this.options.transform({
      invocationId: `local-${this.sequence}`,
      deliveryStreamArn: `arn:aws:firehose:local:000000000000:deliverystream/archive`,
      region: 'local',
      records: event.Records.map((record) => ({
        recordId: record.kinesis.sequenceNumber,
        approximateArrivalTimestamp: record.kinesis.approximateArrivalTimestamp * 1000,
        data: record.kinesis.data,
      })),
    });
    const failed: Buffer[] = [];
    for (const record of result.records) {
      const data = Buffer.from(record.data ?? '', 'base64');
      if (record.result === 'Ok') {
        this.buffer.push(data);
        this.bufferedBytes += data.length;
        this.stats.lines += data.toString('utf8').split('\n').length - 1;
      } else {
        failed.push(Buffer.from(`${JSON.stringify({ rawData: record.data, errorCode: record.result })}\n`));
        this.stats.failedRecords++;
      }
    }
    if (failed.length > 0)
      await this.write(resolveArchivePrefix(archiveErrorPrefix(this.options.environment), new Date()), failed);
    if (this.bufferedBytes >= this.options.bufferBytes) await this.flush();
  };

  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.buffer.length === 0) return;
      const parts = this.buffer;
      this.buffer = [];
      this.bufferedBytes = 0;
      await this.write(resolveArchivePrefix(archiveDataPrefix(this.options.environment), new Date()), parts);
    });
    return this.flushing;
  }

  private async write(prefix: string, parts: Buffer[]): Promise<void> {
    const file = join(this.options.directory, prefix, `archive-${Date.now()}-${this.sequence++}.ndjson.gz`);
    const compressed = await gzipAsync(Buffer.concat(parts));
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, compressed);
    this.stats.files++;
    this.stats.bytes += compressed.length;
  }
}
