import { randomUUID } from 'node:crypto';
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { ExportDestination, streamNameOf } from './destinations';

/** The seam where the exporter becomes the customer: an assumed role in AWS, static credentials locally. */
export type CredentialSource = (destination: ExportDestination) => Promise<AwsCredentialIdentity>;

/** What a local stand-in for the customers' streams takes: it checks no credentials, and there is no STS to ask. */
export const STAND_IN_CREDENTIALS: CredentialSource = () =>
  Promise.resolve({ accessKeyId: 'local', secretAccessKey: 'local' });

// Per call: PutRecords takes 500 entries and 5 MiB, PutRecordBatch 500 and 4 MiB; a record at most 1 MiB (Kinesis,
// data and partition key) or 1,000 KiB (Firehose). Source: the two APIs' references.
const LIMITS = {
  kinesis: { entries: 500, callBytes: 5 * 1024 * 1024, recordBytes: 1024 * 1024 },
  firehose: { entries: 500, callBytes: 4 * 1024 * 1024, recordBytes: 1000 * 1024 },
} as const;
const PARTITION_KEY_BYTES = 36;
/** Assumed credentials are renewed this long before they expire, so no call starts with credentials about to end. */
const CREDENTIALS_RENEWAL_MS = 5 * 60_000;

/** Errors a wait cures: the destination is busy or briefly away. Anything else needs its owner to act. */
const PASSING = new Set([
  'ProvisionedThroughputExceededException',
  'ServiceUnavailableException',
  'ServiceUnavailable',
  'InternalFailure',
  'InternalFailureException',
  'ThrottlingException',
  'LimitExceededException',
  'KMSThrottlingException',
  'RequestTimeout',
  'TimeoutError',
]);

/** Why a destination took nothing for now, and whether time alone may cure it. */
export interface DeliveryFailure {
  readonly reason: string;
  readonly passing: boolean;
}

export interface DeliveryResult {
  /** Records the destination acknowledged. */
  readonly delivered: number;
  /** Exported events it did not take in time, in their order: they go to its backlog. */
  readonly undelivered: string[];
  /** Larger than one record of the destination may be: counted, never sent. */
  readonly tooLarge: number;
  readonly throttledEntries: number;
  readonly failure?: DeliveryFailure;
}

export function failureOf(error: unknown): DeliveryFailure {
  const name = (error as { name?: string }).name ?? 'Error';
  const message = (error as Error).message ?? String(error);
  const code = (error as NodeJS.ErrnoException).code;
  const network = code !== undefined && /^(ECONN|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|ECONNRESET)/.test(code);
  return { reason: `${name}: ${message}`, passing: PASSING.has(name) || network };
}

/** AssumeRole with the destination's external id, each destination's credentials kept until shortly before expiry. */
export function assumedRoleCredentials(sts: STSClient, now: () => number = Date.now): CredentialSource {
  const cache = new Map<string, AwsCredentialIdentity>();
  return async (destination) => {
    const cached = cache.get(destination.id);
    if (cached?.expiration && cached.expiration.getTime() - CREDENTIALS_RENEWAL_MS > now()) return cached;
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({
        RoleArn: destination.roleArn,
        RoleSessionName: `data-export-${destination.id}`.slice(0, 64),
        ExternalId: destination.externalId,
        DurationSeconds: 3600,
      }),
    );
    if (!Credentials?.AccessKeyId || !Credentials.SecretAccessKey)
      throw new Error(`AssumeRole of ${destination.roleArn} returned no credentials`);
    const credentials = {
      accessKeyId: Credentials.AccessKeyId,
      secretAccessKey: Credentials.SecretAccessKey,
      sessionToken: Credentials.SessionToken,
      expiration: Credentials.Expiration,
    };
    cache.set(destination.id, credentials);
    return credentials;
  };
}

export interface DestinationWriterOptions {
  readonly credentials: CredentialSource;
  /** A local stand-in's address for the destination; the region's endpoint when absent. */
  readonly endpoint?: string;
  /** Attempts of the entries a call did not take, within one delivery. @default 3 */
  readonly attempts?: number;
  /** @default 50 ms, doubled each attempt, with full jitter */
  readonly baseBackoffMs?: number;
  /** A call answered later than this is a failure: one slow destination must not hold the batch. @default 5,000 ms */
  readonly callTimeoutMs?: number;
}

/** Writes exported events to one destination, resending only the entries a call did not take. */
export class DestinationWriter {
  private client:
    { credentials: AwsCredentialIdentity; kinesis?: KinesisClient; firehose?: FirehoseClient } | undefined;

  constructor(
    readonly destination: ExportDestination,
    private readonly options: DestinationWriterOptions,
  ) {}

  /** Sends the events in calls as large as the API takes; stops at the first failure time will not cure soon. */
  async send(events: readonly string[]): Promise<DeliveryResult> {
    const limits = LIMITS[this.destination.kind];
    const records: Buffer[] = [];
    let tooLarge = 0;
    for (const event of events) {
      const data = Buffer.from(this.destination.kind === 'firehose' ? `${event}\n` : event);
      if (data.length + (this.destination.kind === 'kinesis' ? PARTITION_KEY_BYTES : 0) > limits.recordBytes)
        tooLarge++;
      else records.push(data);
    }
    let delivered = 0;
    let throttledEntries = 0;
    for (let start = 0; start < records.length;) {
      let end = start;
      let bytes = 0;
      while (
        end < records.length &&
        end - start < limits.entries &&
        bytes + records[end]!.length + PARTITION_KEY_BYTES <= limits.callBytes
      )
        bytes += records[end++]!.length + PARTITION_KEY_BYTES;
      const call = await this.sendWithRetries(records.slice(start, end));
      delivered += call.delivered;
      throttledEntries += call.throttled;
      if (call.left.length > 0) {
        const undelivered = [...call.left, ...records.slice(end)].map((data) => this.eventOf(data));
        return { delivered, undelivered, tooLarge, throttledEntries, failure: call.failure };
      }
      start = end;
    }
    return { delivered, undelivered: [], tooLarge, throttledEntries };
  }

  private eventOf(data: Buffer): string {
    const text = data.toString();
    return this.destination.kind === 'firehose' ? text.slice(0, -1) : text;
  }

  private async sendWithRetries(
    records: Buffer[],
  ): Promise<{ delivered: number; throttled: number; left: Buffer[]; failure?: DeliveryFailure }> {
    const attempts = this.options.attempts ?? 3;
    let left = records;
    let delivered = 0;
    let throttled = 0;
    let failure: DeliveryFailure | undefined;
    for (let attempt = 1; attempt <= attempts && left.length > 0; attempt++) {
      if (attempt > 1) {
        const ceiling = (this.options.baseBackoffMs ?? 50) * 2 ** (attempt - 2);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
      }
      try {
        const errorCodes = await this.put(left);
        const failed = left.filter((_, i) => errorCodes[i] !== undefined);
        throttled += errorCodes.filter(
          (code) => code === 'ProvisionedThroughputExceededException' || code === 'ServiceUnavailableException',
        ).length;
        delivered += left.length - failed.length;
        const firstCode = errorCodes.find((code) => code !== undefined);
        failure = firstCode
          ? { reason: `${firstCode} on ${failed.length} entries`, passing: PASSING.has(firstCode) }
          : undefined;
        left = failed;
      } catch (error) {
        failure = failureOf(error);
        if (!failure.passing) {
          this.client = undefined;
          break;
        }
      }
    }
    return { delivered, throttled, left, failure: left.length > 0 ? failure : undefined };
  }

  /** One call; the error code of each entry, undefined where it was taken. */
  private async put(records: Buffer[]): Promise<(string | undefined)[]> {
    const client = await this.connect();
    if (client.kinesis) {
      const answer = await client.kinesis.send(
        new PutRecordsCommand({
          StreamARN: this.options.endpoint ? undefined : this.destination.streamArn,
          StreamName: this.options.endpoint ? streamNameOf(this.destination) : undefined,
          // One record per event with a random key spreads the customer's records over all their shards.
          Records: records.map((data) => ({ Data: data, PartitionKey: randomUUID() })),
        }),
      );
      return records.map(
        (_, i) => answer.Records?.[i]?.ErrorCode ?? (answer.Records?.[i]?.SequenceNumber ? undefined : 'NoAnswer'),
      );
    }
    const answer = await client.firehose!.send(
      new PutRecordBatchCommand({
        DeliveryStreamName: streamNameOf(this.destination),
        Records: records.map((data) => ({ Data: data })),
      }),
    );
    return records.map(
      (_, i) =>
        answer.RequestResponses?.[i]?.ErrorCode ?? (answer.RequestResponses?.[i]?.RecordId ? undefined : 'NoAnswer'),
    );
  }

  private async connect() {
    const credentials = await this.options.credentials(this.destination);
    if (this.client?.credentials === credentials) return this.client;
    const config = {
      region: this.destination.region,
      endpoint: this.options.endpoint,
      credentials,
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler({
        requestTimeout: this.options.callTimeoutMs ?? 5_000,
        connectionTimeout: 2_000,
      }),
    };
    this.client =
      this.destination.kind === 'kinesis'
        ? { credentials, kinesis: new KinesisClient(config) }
        : { credentials, firehose: new FirehoseClient(config) };
    return this.client;
  }

  /** Ends the destination's connections. */
  close(): void {
    this.client?.kinesis?.destroy();
    this.client?.firehose?.destroy();
    this.client = undefined;
  }
}

/** One writer per destination, made on first use, so its credentials and connections are kept across batches. */
export class DestinationWriters {
  private readonly writers = new Map<string, DestinationWriter>();

  constructor(private readonly optionsFor: (destination: ExportDestination) => DestinationWriterOptions) {}

  readonly get = (destination: ExportDestination): DestinationWriter => {
    let writer = this.writers.get(destination.id);
    if (!writer)
      this.writers.set(destination.id, (writer = new DestinationWriter(destination, this.optionsFor(destination))));
    return writer;
  };

  close(): void {
    for (const writer of this.writers.values()) writer.close();
  }
}
