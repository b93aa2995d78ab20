import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { EnvironmentConfig } from '../lib/config/environment-config';
import { ExportDestination, streamNameOf } from '../lambdas/exporter/destinations';
import { exporterSettings } from '../lib/stacks/export-stack';
import type { DestinationStateName } from '../lambdas/exporter/exporter';
import type { EmbeddedMetrics } from './embedded-metrics';
import type { BatchHandler, EventSourceRunner, MappingSettings } from './event-source-runner';
import type { LocalFunction } from './lambda-function';
import { ensureStream, startLocalKinesis } from './local-kinesis';

// s3rver ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver') as new (options: object) => { run(): Promise<AddressInfo>; close(): Promise<void> };

export const BACKLOG_BUCKET = 'export-backlog';
/** s3rver knows one account; the exporter's backlog calls sign with it. */
const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** One destination on the status page: what its newest metrics say, as its alarms would read them. */
export interface DestinationStatus {
  readonly id: string;
  readonly environment: string;
  readonly kind: string;
  readonly stream: string;
  /** Unknown until a function has reported it. */
  readonly state: DestinationStateName | 'not reported yet';
  readonly reason: string | null;
  readonly backlogAgeSeconds: number;
  readonly reportedAt: string | null;
  readonly delivered: number;
  readonly keptInBacklog: number;
  readonly deliveredFromBacklog: number;
  readonly droppedTooLarge: number;
  readonly droppedExpired: number;
  readonly throttledEntries: number;
}

export interface LocalExportOptions {
  readonly dataDirectory: string;
  readonly persist: boolean;
  readonly config: EnvironmentConfig;
  /** The destinations the exporter's bundle carries for the local environment. */
  readonly destinations: readonly ExportDestination[];
  readonly exporter: LocalFunction;
  readonly drain: LocalFunction;
  /** Environment variables every function has locally (the metrics namespace, the poison file). */
  readonly functionEnvironment: Record<string, string>;
  readonly runner: (settings: MappingSettings, handler: BatchHandler) => EventSourceRunner;
  /** How often the backlog drain runs; every minute, as the deployed schedule. */
  readonly drainIntervalMs: number;
  readonly mappingSettings: (settings: ReturnType<typeof exporterSettings>) => MappingSettings;
  readonly log: (line: string) => void;
}

/**
 * Data Export on one machine: a second kinesalite stands for the customers' accounts (one stream per Kinesis
 * destination), s3rver holds the backlogs, and the exporter and backlog drain run their deployable bundles. Role
 * assumption is replaced by static credentials, as the stand-in checks none.
 */
export class LocalExport {
  private drainTimer?: NodeJS.Timeout;
  private draining?: Promise<unknown>;

  private constructor(
    readonly endpoint: string,
    readonly runner: EventSourceRunner,
    private readonly options: LocalExportOptions,
    private readonly stopServers: () => Promise<void>,
  ) {}

  static async start(options: LocalExportOptions): Promise<LocalExport> {
    const customer = await startLocalKinesis({
      maxSockets: 4,
      ...(options.persist && { path: join(options.dataDirectory, 'customer-kinesis') }),
    });
    const backlogServer = new S3rver({
      address: '127.0.0.1',
      port: 0,
      directory: join(options.dataDirectory, 'export-backlog'),
      silent: true,
    });
    const backlogEndpoint = `http://127.0.0.1:${(await backlogServer.run()).port}`;
    const stopServers = async () => {
      await backlogServer.close();
      await customer.stop();
    };
    try {
      for (const destination of options.destinations.filter((each) => each.kind === 'kinesis'))
        await ensureStream(customer.client, streamNameOf(destination), 1);
      const s3 = new S3Client({ endpoint: backlogEndpoint, region: 'us-east-1', credentials: S3RVER_CREDENTIALS });
      await s3.send(new CreateBucketCommand({ Bucket: BACKLOG_BUCKET })).catch((error: Error) => {
        if (error.name !== 'BucketAlreadyOwnedByYou' && error.name !== 'BucketAlreadyExists') throw error;
      });
      s3.destroy();
      const environment = {
        ...options.functionEnvironment,
        PIPELINE_ENVIRONMENT: 'local',
        BACKLOG_BUCKET,
        AWS_ENDPOINT_URL_S3: backlogEndpoint,
        AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
        DESTINATION_ENDPOINT: customer.endpoint,
      };
      const exporter = options.exporter.version('live', environment);
      const runner = options.runner(
        options.mappingSettings(exporterSettings(options.config)),
        async (event) => (await exporter(event)) as Awaited<ReturnType<BatchHandler>>,
      );
      const local = new LocalExport(customer.endpoint, runner, options, stopServers);
      await runner.start();
      const drain = options.drain.version('live', environment);
      // One run at a time, as the deployed drain's reserved concurrency of one allows.
      local.drainTimer = setInterval(() => {
        local.draining ??= drain({}).finally(() => (local.draining = undefined));
        local.draining.catch(() => undefined);
      }, options.drainIntervalMs);
      options.log(
        `export     ${options.destinations.map((each) => `${each.id} → ${streamNameOf(each)}`).join(', ')} ` +
          `(a kinesalite at ${customer.endpoint} stands for the customers' streams; static credentials instead of their roles)`,
      );
      return local;
    } catch (error) {
      await stopServers();
      throw error;
    }
  }

  /** Each destination as its newest metrics, from either function, describe it. */
  statuses(): DestinationStatus[] {
    const sources: EmbeddedMetrics[] = [this.options.exporter.metrics, this.options.drain.metrics];
    return this.options.destinations.map((destination) => {
      const dimensions = { destination: destination.id };
      const newest = (name: string) =>
        sources
          .flatMap((metrics) => metrics.query(name, dimensions))
          .reduce<ReturnType<EmbeddedMetrics['query']>[number] | undefined>(
            (latest, point) => (!latest || point.timestampMs >= latest.timestampMs ? point : latest),
            undefined,
          );
      const sum = (name: string) => sources.reduce((total, metrics) => total + metrics.sum(name, dimensions), 0);
      const paused = newest('exportPaused');
      return {
        id: destination.id,
        environment: destination.environment,
        kind: destination.kind,
        stream: streamNameOf(destination),
        state: (paused?.properties.state as DestinationStateName | undefined) ?? 'not reported yet',
        reason: (paused?.properties.reason as string | undefined) ?? null,
        backlogAgeSeconds: newest('backlogAgeSeconds')?.value ?? 0,
        reportedAt: paused ? new Date(paused.timestampMs).toISOString() : null,
        delivered: sum('delivered'),
        keptInBacklog: sum('keptInBacklog'),
        deliveredFromBacklog: sum('deliveredFromBacklog'),
        droppedTooLarge: sum('droppedTooLarge'),
        droppedExpired: sum('droppedExpired'),
        throttledEntries: sum('throttledEntries'),
      };
    });
  }

  async stop(): Promise<void> {
    clearInterval(this.drainTimer);
    await this.draining?.catch(() => undefined);
    await this.runner.stop();
    await this.stopServers();
  }
}
