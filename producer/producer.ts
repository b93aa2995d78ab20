import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { FastifyInstance } from 'fastify';
import { EventsApi } from './events-api';
import { KinesisWriter } from './kinesis-writer';
import { ProducerConfig } from './producer-config';
import { ProducerMetrics } from './producer-metrics';
import { SpillHandoff } from './spill-handoff';
import { SpillStore } from './spill-store';
import { fileSource, RefreshingTenantConfig, s3Source } from './tenant-config-source';

export interface RunningProducer {
  readonly url: string;
  readonly api: EventsApi;
  readonly writer: KinesisWriter;
  readonly metrics: ProducerMetrics;
  readonly spill: SpillStore;
  /** Fails /health, refuses new payloads, flushes or spills what is held, then closes the server. */
  drainAndStop(): Promise<{ spilledRecords: number }>;
}

export type Log = (level: 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>) => void;

export const jsonLog: Log = (level, message, details) => {
  const line = JSON.stringify({ level, message, time: new Date().toISOString(), ...details });
  (level === 'info' ? process.stdout : process.stderr).write(`${line}\n`);
};

/** An HTTP/1.1 handler with explicit timeouts: the SDK's default HTTP/2 handler is not what Kinesis endpoints need. */
export function kinesisClient(options: { maxSockets: number; endpoint?: string; local?: boolean }): KinesisClient {
  const { maxSockets, endpoint } = options;
  return new KinesisClient({
    endpoint,
    // A local Kinesis takes any credentials; the SDK still needs some, and a region.
    ...(options.local && { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
    maxAttempts: 1, // the writer retries, so every attempt is counted and only failed entries are resent
    requestHandler: new NodeHttpHandler({
      connectionTimeout: 2_000,
      requestTimeout: 10_000,
      // Without it a timed-out request only logs a warning and its call never settles, holding an in-flight slot.
      throwOnRequestTimeout: true,
      httpAgent: new Agent({ keepAlive: true, maxSockets }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets }),
    }),
  });
}

export interface ProducerDependencies {
  readonly log?: Log;
  /** @default a client configured by the AWS SDK's standard variables (AWS_REGION, AWS_ENDPOINT_URL_KINESIS) */
  readonly kinesis?: KinesisClient;
  /** More routes on the same server, registered before it listens (the local status page). */
  readonly routes?: (app: FastifyInstance) => void;
  /** @default a client configured by the AWS SDK's standard variables, for the tenant file and spill hand-off */
  readonly s3?: S3Client;
  /** Metrics as one line for a person per interval, through `log`, instead of CloudWatch embedded-metric JSON. */
  readonly metricsAsLines?: boolean;
}

function s3Client(): S3Client {
  return new S3Client({ requestHandler: new NodeHttpHandler({ connectionTimeout: 2_000, requestTimeout: 5_000 }) });
}

/**
 * The last step of an instance's termination, after the service drained: its spill files go to S3 for a running
 * instance to send. Returns how many files left.
 */
export async function handOffSpill(config: ProducerConfig, origin: string, s3: S3Client = s3Client()): Promise<number> {
  if (!config.spillHandoff) throw new Error('SPILL_HANDOFF_S3_URI is not set: there is nowhere to hand spill off to');
  return new SpillHandoff(s3, config.spillHandoff).upload(new SpillStore(config.spillDirectory), origin);
}

export async function startProducer(
  config: ProducerConfig,
  dependencies: ProducerDependencies = {},
): Promise<RunningProducer> {
  const log = dependencies.log ?? jsonLog;
  const s3 = dependencies.s3 ?? s3Client();
  const tenantSource =
    'file' in config.tenantConfig
      ? fileSource(config.tenantConfig.file)
      : s3Source(s3, config.tenantConfig.s3Bucket, config.tenantConfig.s3Key);
  const tenants = new RefreshingTenantConfig(tenantSource, config.tenantRefreshMs, (error) =>
    log('warn', 'tenant config refresh failed; keeping the last good copy', { error: error.message }),
  );
  await tenants.start();

  const metrics = new ProducerMetrics(config.recordByteCap);
  const spill = new SpillStore(config.spillDirectory);
  const writer = new KinesisWriter({
    client: dependencies.kinesis ?? kinesisClient({ maxSockets: config.maxPutsInFlight * 2 }),
    streamName: config.streamName,
    spill,
    metrics,
    recordByteCap: config.recordByteCap,
    recordCompression: config.recordCompression,
    lingerMs: config.lingerMs,
    maxBufferBytes: config.maxBufferBytes,
    maxPutsInFlight: config.maxPutsInFlight,
    maxAttempts: config.maxAttempts,
    baseBackoffMs: config.retryBaseBackoffMs,
    maxBackoffMs: config.retryMaxBackoffMs,
    spillRetryIntervalMs: config.spillRetryIntervalMs,
    onError: (message, error) => log('warn', message, error instanceof Error ? { error: String(error) } : {}),
  });
  const leftBehind = await spill.list();
  if (leftBehind.length > 0) {
    log('info', 'sending what an earlier run spilled first', {
      files: leftBehind.length,
      folder: config.spillDirectory,
    });
  }
  await writer.start();
  const handoff = config.spillHandoff && new SpillHandoff(s3, config.spillHandoff);
  let adopting: Promise<unknown> = Promise.resolve();
  // Spill that terminated instances left in S3 comes here, and from the spill folder to the stream.
  const adoptTimer =
    handoff &&
    setInterval(() => {
      adopting = adopting.then(() =>
        handoff
          .adopt(spill)
          .catch((error: unknown) => log('warn', 'adopting handed-off spill failed', { error: String(error) })),
      );
    }, config.spillRetryIntervalMs);
  adoptTimer?.unref();

  const api = new EventsApi({
    tenants: () => tenants.directory,
    writer,
    metrics,
    limits: { maxInFlightBytes: config.maxInFlightBytes },
  });
  dependencies.routes?.(api.app);
  const url = await api.app.listen({ host: config.host, port: config.port });

  const emf = new Metrics({ namespace: config.metricsNamespace, serviceName: 'events-api' });
  const publish = dependencies.metricsAsLines
    ? () => metrics.publishLine((line) => log('info', `last ${config.metricsIntervalMs / 1000} s: ${line}`))
    : () => metrics.publish(emf, writer.bufferedBytes, writer.maxBufferBytes);
  const metricsTimer = setInterval(publish, config.metricsIntervalMs);
  metricsTimer.unref();

  return {
    url,
    api,
    writer,
    metrics,
    spill,
    async drainAndStop() {
      clearInterval(adoptTimer);
      await adopting;
      api.beginDrain();
      try {
        return await writer.drain(config.drainDeadlineMs);
      } finally {
        // Closed even when the drain could not spill what it held: the server must not outlive its writer.
        await api.app.close();
        tenants.stop();
        clearInterval(metricsTimer);
        publish();
      }
    },
  };
}
