import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CreateStreamCommand, DescribeStreamCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import type { Client } from '@opensearch-project/opensearch';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { DEFAULT_RECORD_BYTE_CAP } from '../codec/event-codec';
import { TRANSFORM_BUFFER_BYTES } from '../lib/archive-layout';
import { ConsumerSettings, EnvironmentConfig } from '../lib/config/environment-config';
import { Dev } from '../lib/config/environments';
import { CONTEXTS_ALIAS, FLAG_STATUS_KEY_PREFIX } from '../lib/pipeline-stacks';
import { transformArchiveRecords } from '../lambdas/archive-transform/handler';
import { ensureContextsIndex } from '../lambdas/contexts-indexer/context-index';
import { indexContextsBatch } from '../lambdas/contexts-indexer/handler';
import { DEFAULT_TTLS } from '../lambdas/flag-status/flag-status-updates';
import { updateFlagStatus } from '../lambdas/flag-status/handler';
import { openSearchClient } from '../lambdas/shared/opensearch-client';
import { redisClient } from '../lambdas/shared/redis-client';
import { kinesisClient, RunningProducer, startProducer } from '../producer/producer';
import { readProducerConfig } from '../producer/producer-config';
import { LocalOpenSearch, startLocalOpenSearch } from '../scripts/local-opensearch';
import { BatchHandler, EventSourceRunner, MappingSettings } from './event-source-runner';
import { LocalArchive } from './local-archive';
import { statusPage, StatusSources } from './status';

// kinesalite ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kinesalite = require('kinesalite') as (options: object) => Server;

export interface LocalPipelineOptions {
  /** @default 8080 */
  readonly port?: number;
  /** Keeps the stream's data under this folder so a restart resumes; in memory when absent. */
  readonly dataDirectory: string;
  readonly persistStream: boolean;
  readonly redisUrl: string;
  /** @default a local OpenSearch, started here */
  readonly openSearchUrl?: string;
  /** @default the dev environment's settings: what the stacks deploy */
  readonly config?: EnvironmentConfig;
  readonly streamShards?: number;
  readonly tenantFile?: string;
  readonly log?: (line: string) => void;
}

export const LOCAL_STREAM = 'events-local';

export type LocalConsumer = 'contexts-indexer' | 'flag-status';

/** Mapping settings from the environment config the stacks deploy, so local and deployed behaviour match. */
export function mappingSettings(settings: ConsumerSettings): MappingSettings {
  return {
    batchSize: settings.batchSize,
    batchingWindowSeconds: settings.batchingWindowSeconds,
    maxRetryAttempts: settings.maxRetryAttempts,
    maxRecordAgeSeconds: settings.maxRecordAgeSeconds,
    bisectBatchOnError: true,
    startingPosition: settings.replay
      ? { type: 'AT_TIMESTAMP', timestamp: new Date(settings.replay.from) }
      : { type: 'TRIM_HORIZON' },
  };
}

export class LocalPipeline {
  private constructor(
    readonly url: string,
    readonly kinesis: KinesisClient,
    readonly producer: RunningProducer,
    /** Runners by name: contexts-indexer, flag-status, archive. */
    readonly consumers: Record<string, EventSourceRunner>,
    private readonly consumerRunner: (name: LocalConsumer, settings: ConsumerSettings) => EventSourceRunner,
    readonly archive: LocalArchive,
    readonly redis: Redis,
    readonly openSearch: Client,
    private readonly stopParts: (() => Promise<void>)[],
  ) {}

  static async start(options: LocalPipelineOptions): Promise<LocalPipeline> {
    const log = options.log ?? (() => undefined);
    const config = options.config ?? Dev;
    const stopParts: (() => Promise<void>)[] = [];
    const stopAll = async () => {
      for (const stop of stopParts.splice(0).reverse()) await stop();
    };
    try {
      await mkdir(options.dataDirectory, { recursive: true });
      const stream = kinesalite({
        createStreamMs: 0,
        deleteStreamMs: 0,
        updateStreamMs: 0,
        ...(options.persistStream && { path: join(options.dataDirectory, 'kinesis') }),
      });
      await new Promise<void>((resolve) => stream.listen(0, '127.0.0.1', resolve));
      stopParts.push(() => new Promise<void>((resolve) => stream.close(() => resolve())));
      const kinesisEndpoint = `http://127.0.0.1:${(stream.address() as AddressInfo).port}`;
      const kinesis = kinesisClient({ maxSockets: 32, endpoint: kinesisEndpoint, local: true });
      await ensureStream(kinesis, options.streamShards ?? 2);
      log(
        `kinesis    kinesalite at ${kinesisEndpoint}, stream ${LOCAL_STREAM}${options.persistStream ? ` (data in ${options.dataDirectory}/kinesis)` : ' (in memory)'}`,
      );

      const redis = redisClient({ url: options.redisUrl });
      stopParts.push(async () => void (await redis.quit().catch(() => redis.disconnect())));
      await redis.ping();
      log(`redis      ${options.redisUrl}`);

      let localOpenSearch: LocalOpenSearch | undefined;
      if (!options.openSearchUrl) {
        log('opensearch starting the local distribution (fetched once with Maven)…');
        localOpenSearch = await startLocalOpenSearch({ log });
        stopParts.push(() => localOpenSearch!.stop());
      }
      const openSearchUrl = options.openSearchUrl ?? localOpenSearch!.url;
      const openSearch = openSearchClient({ url: openSearchUrl });
      stopParts.push(() => openSearch.close());
      await ensureContextsIndex(openSearch, CONTEXTS_ALIAS).catch((error: Error) =>
        log(`opensearch not ready yet: ${error.message}`),
      );
      log(`opensearch ${openSearchUrl}`);

      const runner = (name: string, checkpoint: string, settings: MappingSettings, handler: BatchHandler) =>
        new EventSourceRunner({
          name,
          client: kinesis,
          streamName: LOCAL_STREAM,
          settings,
          handler,
          checkpointFile: join(options.dataDirectory, 'checkpoints', `${checkpoint}.json`),
          failureDestinationFile: join(options.dataDirectory, 'failures', `${name}.jsonl`),
        });
      const handlers: Record<LocalConsumer, BatchHandler> = {
        'contexts-indexer': async (event) => {
          await ensureContextsIndex(openSearch, CONTEXTS_ALIAS);
          const remainingMs = () => config.consumers.contextsIndexer.timeoutSeconds * 1000;
          return (await indexContextsBatch(event, { client: openSearch, alias: CONTEXTS_ALIAS }, remainingMs)).response;
        },
        'flag-status': async (event) => {
          const result = await updateFlagStatus(event, {
            redis,
            keyPrefix: FLAG_STATUS_KEY_PREFIX,
            ttls: DEFAULT_TTLS,
          });
          if (result.storeErrors.length > 0) throw new Error(result.storeErrors[0]);
          return result.response;
        },
      };
      // Like a deployed mapping, each generation of a consumer has its own position: a replay starts a new one.
      const consumerRunner = (name: LocalConsumer, settings: ConsumerSettings) =>
        runner(
          name,
          `${name}.generation-${settings.replay?.generation ?? 0}`,
          mappingSettings(settings),
          handlers[name],
        );
      const archive = new LocalArchive({
        directory: join(options.dataDirectory, 'archive'),
        environment: 'local',
        bufferBytes: Math.min(config.archive.bufferMb, 8) * 1024 * 1024,
        bufferSeconds: Math.min(config.archive.bufferSeconds, 10),
        transform: (event) => transformArchiveRecords(event).response,
      });
      const consumers: Record<string, EventSourceRunner> = {
        'contexts-indexer': consumerRunner('contexts-indexer', config.consumers.contextsIndexer),
        'flag-status': consumerRunner('flag-status', config.consumers.flagStatus),
        archive: runner(
          'archive',
          'archive',
          {
            // As many full records as the transform's 1 MB buffer holds, as Firehose hands them over.
            batchSize: Math.floor(TRANSFORM_BUFFER_BYTES / DEFAULT_RECORD_BYTE_CAP),
            batchingWindowSeconds: 1,
            maxRetryAttempts: 3,
            maxRecordAgeSeconds: 86_400,
            bisectBatchOnError: false,
            startingPosition: { type: 'TRIM_HORIZON' },
          },
          archive.deliver,
        ),
      };
      for (const [name, each] of Object.entries(consumers)) {
        await each.start();
        log(`consumer   ${name} reading ${LOCAL_STREAM} with its own iterator`);
      }
      stopParts.push(async () => void (await Promise.all(Object.values(consumers).map((each) => each.stop()))));
      archive.start();
      stopParts.push(() => archive.stop());
      log(`archive    GZIP newline-delimited JSON under ${join(options.dataDirectory, 'archive')}`);

      const sources: StatusSources = { consumers, archive };
      const producerConfig = {
        ...readProducerConfig({ STREAM_NAME: LOCAL_STREAM, PORT: String(options.port ?? 8080) }),
        tenantConfig: { file: options.tenantFile ?? 'config/local-tenants.json' },
        spillDirectory: join(options.dataDirectory, 'spill'),
        drainDeadlineMs: 10_000,
      };
      const live: { producer?: RunningProducer } = {};
      const producer = await startProducer(producerConfig, {
        kinesis,
        log: (level, message) => log(`api        ${level}: ${message}`),
        routes: (app: FastifyInstance) => statusPage(app, () => live.producer, sources),
      });
      live.producer = producer;
      stopParts.push(async () => void (await producer.drainAndStop()));
      log(`api        events API at ${producer.url}`);
      return new LocalPipeline(
        producer.url,
        kinesis,
        producer,
        consumers,
        consumerRunner,
        archive,
        redis,
        openSearch,
        stopParts,
      );
    } catch (error) {
      await stopAll();
      throw error;
    }
  }

  /**
   * Replays a consumer as a deploy of a new generation does: the old position stops, and a new runner starts at
   * the replay time with a position of its own.
   */
  async replay(name: LocalConsumer, settings: ConsumerSettings): Promise<EventSourceRunner> {
    if (!settings.replay) throw new Error('replay needs settings with a replay position');
    await this.consumers[name]!.stop();
    const replayed = this.consumerRunner(name, settings);
    await replayed.start();
    this.consumers[name] = replayed;
    return replayed;
  }

  /** Drains the API first, then stops readers, flushes the archive, and stops every server it started. */
  async stop(): Promise<void> {
    const [producerStop] = this.stopParts.splice(-1);
    await producerStop?.();
    for (const stop of this.stopParts.splice(0).reverse()) await stop();
  }
}

async function ensureStream(kinesis: KinesisClient, shards: number): Promise<void> {
  const describe = () => kinesis.send(new DescribeStreamCommand({ StreamName: LOCAL_STREAM }));
  const exists = await describe().then(
    () => true,
    () => false,
  );
  if (!exists) await kinesis.send(new CreateStreamCommand({ StreamName: LOCAL_STREAM, ShardCount: shards }));
  while ((await describe()).StreamDescription?.StreamStatus !== 'ACTIVE')
    await new Promise((resolve) => setTimeout(resolve, 50));
}
