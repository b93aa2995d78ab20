import { appendFile, readFile, rm } from 'node:fs/promises';
import type { RunningPipeline } from './local-control';
import { join } from 'node:path';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import type { Client } from '@opensearch-project/opensearch';
import type { KinesisStreamBatchResponse } from 'aws-lambda';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { DEFAULT_RECORD_BYTE_CAP } from '../codec/event-codec';
import { ARCHIVE_TRANSFORM, TRANSFORM_BUFFER_BYTES } from '../lib/archive-layout';
import { ConsumerSettings, EnvironmentConfig, ReplaySettings } from '../lib/config/environment-config';
import { Dev, ReplayFile, ReplayTarget, withReplays } from '../lib/config/environments';
import { CONSUMERS, planReplay } from '../lib/replay/replay-request';
import { CONTEXTS_ALIAS, FLAG_STATUS_KEY_PREFIX } from '../lib/pipeline-stacks';
import { ensureGenerationIndex, liveGeneration } from '../lambdas/contexts-indexer/context-generations';
import { readGenerations } from '../lambdas/flag-status/flag-status-writer';
import { DEFAULT_EVENT_TIME_WINDOW } from '../lambdas/shared/event-time';
import { Generation, replayReadFromMs, writingGeneration } from '../lambdas/shared/generations';
import { PoisonEntry } from '../lambdas/shared/poison-sink';
import { generationEnv } from '../lambdas/shared/consumer-environment';
import { FailurePointer, pointedRecords, poisonRecord, RedriveReport, redriveEvents } from '../lib/redrive/redrive';
import { openSearchClient } from '../lambdas/shared/opensearch-client';
import { redisClient } from '../lambdas/shared/redis-client';
import { RunningProducer, startProducer } from '../producer/producer';
import { readProducerConfig } from '../producer/producer-config';
import type { RecordCompression } from '../codec/event-codec';
import { LocalOpenSearch, startLocalOpenSearch } from './local-opensearch';
import { startLocalRedis } from './local-redis';
import { LocalAnalytics, LocalAnalyticsOptions, startLocalAnalytics } from './local-analytics';
import { AnalyticsStatus, analyticsStatus } from './analytics-status';
import {
  ExperimentResults,
  experimentResults,
  MetricOverTime,
  readDefinitions,
  resultsOverTime,
} from '../lib/experiments/experiment-results';
import {
  experimentKeyPrefix as experimentKeyPrefixOf,
  readExperimentFigures,
  readExperimentSeries,
} from '../lib/experiments/figures-reader';
import type { EntryPointName } from '../lib/bundling';
import { BatchHandler, EventSourceRunner, localStreamArn, MappingSettings } from './event-source-runner';
import { bundleEntryPoint, LocalFunction, localFunctionArn } from './lambda-function';
import { LocalArchive } from './local-archive';
import { LocalExport } from './local-export';
import destinationsFile from '../config/export-destinations.json';
import { destinationsOf, DestinationsFile } from '../lambdas/exporter/destinations';
import { exporterSettings } from '../lib/stacks/export-stack';
import { ensureStream, startLocalKinesis } from './local-kinesis';
import {
  addTotals,
  DataFolder,
  NOTHING_YET,
  openDataFolder,
  readTotals,
  writeTotals,
  openSearchStore,
  readReplays,
  reconcileStore,
  redisStore,
  writeReplays,
} from './local-state';
import { statusPage, StatusSources } from './status';
import type { LocalConsumer, LocalStores, PipelineControls, ReplayStatus } from './pipeline-controls';

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
  /** How the events API writes records, as RECORD_COMPRESSION sets it deployed. @default the config's */
  readonly recordCompression?: RecordCompression;
  /** flag-status's Redis key prefix (the experiment job's figures go under `<prefix>:exp`). @default the deployed one */
  readonly keyPrefix?: string;
  /** Runs the experiment job in a Flink MiniCluster beside the consumers. @default true */
  readonly analytics?: boolean;
  /** The experiment definitions the job reads. @default config/local-experiments.json */
  readonly experimentsFile?: string;
  /** The contexts index alias. @default the deployed one */
  readonly contextsAlias?: string;
  /** How often the export backlog drain runs. @default 60, as the deployed schedule */
  readonly exportDrainSeconds?: number;
  readonly log?: (line: string) => void;
}

export interface ReplayProgress {
  readonly consumer: LocalConsumer;
  readonly generation: number;
  readonly fromMs: number;
  readonly startedAtMs: number;
  readonly runner: EventSourceRunner;
  switchedAtMs?: number;
}

export const LOCAL_STREAM = 'events-local';
/** What every function's stack gives it besides its own settings. */
const FUNCTION_ENVIRONMENT = { POWERTOOLS_METRICS_NAMESPACE: 'EventsPipeline/Consumers' };

export type { LocalConsumer } from './pipeline-controls';

/** Mapping settings from the environment config the stacks deploy, so local and deployed behaviour match. */
export function mappingSettings(settings: ConsumerSettings): MappingSettings {
  return {
    batchSize: settings.batchSize,
    batchingWindowSeconds: settings.batchingWindowSeconds,
    maxRetryAttempts: settings.maxRetryAttempts,
    maxRecordAgeSeconds: settings.maxRecordAgeSeconds,
    bisectBatchOnError: true,
    startingPosition: settings.replay
      ? {
          type: 'AT_TIMESTAMP',
          timestamp: new Date(replayReadFromMs(Date.parse(settings.replay.from), DEFAULT_EVENT_TIME_WINDOW.futureMs)),
        }
      : { type: 'TRIM_HORIZON' },
  };
}

export class LocalPipeline implements PipelineControls {
  /** Replays started in this run, with when each switched reads to its generation. */
  readonly replays: ReplayProgress[] = [];
  /** The experiment job's replays in this run. */
  private readonly experimentReplays: { generation: number; from: string; startedAtMs: number }[] = [];
  private readonly retirements: Promise<void>[] = [];
  private replaysSaved: Promise<void> = Promise.resolve();
  private stopping = false;

  private constructor(
    readonly url: string,
    readonly kinesis: KinesisClient,
    readonly producer: RunningProducer,
    /** Runners by name: contexts-indexer, flag-status, archive. */
    readonly consumers: Record<string, EventSourceRunner>,
    /** The consumers' functions and the archive's transform, each running its deployable bundle. */
    readonly functions: Record<LocalConsumer | 'archive-transform', LocalFunction>,
    private readonly consumerRunner: (name: LocalConsumer, settings: ConsumerSettings) => EventSourceRunner,
    readonly archive: LocalArchive,
    readonly redis: Redis,
    readonly openSearch: Client,
    readonly keyPrefix: string,
    readonly contextsAlias: string,
    /** Where the stores are; a replay of the experiment job moves its figures to the new generation's keys. */
    public stores: LocalStores,
    /** The experiment job, when it runs, and how it was started. */
    private readonly experimentJob: { current: LocalAnalytics | undefined; readonly options: LocalAnalyticsOptions },
    private config: EnvironmentConfig,
    /** The settings each consumer runs with now: its generation, and the handler a redrive hands records to. */
    private readonly current: Record<LocalConsumer, ConsumerSettings>,
    private readonly handlers: (settings: ConsumerSettings) => Record<LocalConsumer, BatchHandler>,
    private readonly folder: DataFolder,
    private readonly stopParts: (() => Promise<void>)[],
  ) {}

  /** The experiment job, when it runs. */
  get analytics(): LocalAnalytics | undefined {
    return this.experimentJob.current;
  }

  /** What the scripts need to find this pipeline: written to .local/running.json by `npm start`. */
  get running(): RunningPipeline {
    return {
      url: this.url,
      kinesisEndpoint: this.stores.kinesisEndpoint,
      streamName: LOCAL_STREAM,
      redisUrl: this.stores.redisUrl,
      openSearchUrl: this.stores.openSearchUrl,
      dataDirectory: this.folder.directory,
      pid: process.pid,
    };
  }

  static async start(options: LocalPipelineOptions): Promise<LocalPipeline> {
    const log = options.log ?? (() => undefined);
    const stopParts: (() => Promise<void>)[] = [];
    const stopAll = async () => {
      for (const stop of stopParts.splice(0).reverse()) await stop();
    };
    try {
      const folder = await openDataFolder(options.dataDirectory);
      const stream = await startLocalKinesis({
        maxSockets: 32,
        ...(options.persistStream && { path: join(folder.directory, 'kinesis') }),
      });
      stopParts.push(() => stream.stop());
      const { endpoint: kinesisEndpoint, client: kinesis } = stream;
      await ensureStream(kinesis, LOCAL_STREAM, options.streamShards ?? 2);
      log(
        `kinesis    kinesalite at ${kinesisEndpoint}, stream ${LOCAL_STREAM}${options.persistStream ? ` (data in ${folder.directory}/kinesis)` : ' (in memory)'}`,
      );

      const localRedis = await startLocalRedis(options.redisUrl, {
        dataDirectory: join(folder.directory, 'redis'),
        log,
      });
      stopParts.push(() => localRedis.stop());
      const redis = redisClient({ url: options.redisUrl });
      stopParts.push(async () => void (await redis.quit().catch(() => redis.disconnect())));
      await redis.ping();
      log(
        `redis      ${options.redisUrl}${localRedis.started ? ` (redis-server started here, data in ${folder.directory}/redis)` : ''}`,
      );

      let localOpenSearch: LocalOpenSearch | undefined;
      if (!options.openSearchUrl) {
        log('opensearch starting the local distribution (fetched once with Maven)…');
        localOpenSearch = await startLocalOpenSearch({ log, dataDirectory: join(folder.directory, 'opensearch') });
        stopParts.push(() => localOpenSearch!.stop());
      }
      const openSearchUrl = options.openSearchUrl ?? localOpenSearch!.url;
      const openSearch = openSearchClient({ url: openSearchUrl });
      stopParts.push(() => openSearch.close());
      const keyPrefix = options.keyPrefix ?? FLAG_STATUS_KEY_PREFIX;
      const contextsAlias = options.contextsAlias ?? CONTEXTS_ALIAS;
      for (const store of [redisStore(redis, keyPrefix), openSearchStore(openSearch, contextsAlias)]) {
        const done = await reconcileStore(folder, store);
        if (done) log(`state      ${done}`);
      }
      const config = withReplays(options.config ?? Dev, await readReplays(folder));
      await ensureGenerationIndex(openSearch, contextsAlias, 0).catch((error: Error) =>
        log(`opensearch not ready yet: ${error.message}`),
      );
      log(`opensearch ${openSearchUrl}`);
      const experimentKeyPrefix = experimentKeyPrefixOf(keyPrefix, config.analytics.replay?.generation);
      const experimentsFile = options.experimentsFile ?? join(__dirname, '..', 'config', 'local-experiments.json');
      const analyticsOptions = {
        streamName: LOCAL_STREAM,
        kinesisEndpoint,
        redisUrl: options.redisUrl,
        keyPrefix: experimentKeyPrefix,
        experimentsFile,
        dataDirectory: folder.directory,
        log,
        replay: config.analytics.replay,
      };
      const analytics = options.analytics === false ? undefined : await startLocalAnalytics(analyticsOptions);
      // A replay replaces the job: whichever runs at the end is stopped.
      const experimentJob = { current: analytics, options: analyticsOptions };
      stopParts.push(async () => experimentJob.current?.stop());

      const runner = (name: string, checkpoint: string, settings: MappingSettings, handler: BatchHandler) =>
        new EventSourceRunner({
          name,
          client: kinesis,
          streamName: LOCAL_STREAM,
          settings,
          handler,
          checkpointFile: join(folder.directory, 'checkpoints', `${checkpoint}.json`),
          failureDestinationFile: failureDestinationFile(folder.directory, name),
        });
      // Each consumer runs from its deployable bundle, with the environment, timeout, memory and concurrency its
      // stack gives it; each generation is a version with its own variables, as each replay deploys one.
      const bundles = join(folder.directory, 'bundles');
      const localFunction = async (
        name: EntryPointName,
        limits: { timeoutSeconds: number; memoryMb: number; concurrency: number },
      ) =>
        new LocalFunction({
          name,
          bundle: await bundleEntryPoint(name, bundles),
          timeoutSeconds: limits.timeoutSeconds,
          memoryMb: limits.memoryMb,
          concurrency: limits.concurrency,
          logFile: join(folder.directory, 'logs', `${name}.log`),
        });
      const consumerFunction = (name: LocalConsumer, settings: ConsumerSettings) =>
        localFunction(name, { ...settings, concurrency: settings.reservedConcurrency });
      const functions: Record<LocalConsumer, LocalFunction> = {
        'contexts-indexer': await consumerFunction('contexts-indexer', config.consumers.contextsIndexer),
        'flag-status': await consumerFunction('flag-status', config.consumers.flagStatus),
      };
      // Firehose invokes the transform for one batch at a time per reader; two leaves room for a retry.
      const archiveTransform = await localFunction('archive-transform', { ...ARCHIVE_TRANSFORM, concurrency: 2 });
      stopParts.push(async () => {
        await Promise.all([...Object.values(functions), archiveTransform].map((each) => each.stop()));
      });
      const storeEnvironment: Record<LocalConsumer, Record<string, string>> = {
        'contexts-indexer': {
          OPENSEARCH_URL: openSearchUrl,
          CONTEXTS_ALIAS: contextsAlias,
          CONTEXTS_PRIMARY_SHARDS: String(config.openSearch.contextsPrimaryShards),
          LAST_SEEN_RESOLUTION_MINUTES: String(config.openSearch.lastSeenResolutionMinutes),
        },
        'flag-status': { REDIS_URL: options.redisUrl, KEY_PREFIX: keyPrefix },
      };
      const handlers = (settings: ConsumerSettings): Record<LocalConsumer, BatchHandler> => {
        const invoker = (name: LocalConsumer): BatchHandler => {
          const version = functions[name].version(`generation-${settings.replay?.generation ?? 0}`, {
            ...storeEnvironment[name],
            ...generationEnv(settings.replay),
            POISON_FILE: poisonFile(folder.directory, name),
            ...FUNCTION_ENVIRONMENT,
          });
          return async (event) => (await version(event)) as KinesisStreamBatchResponse;
        };
        return { 'contexts-indexer': invoker('contexts-indexer'), 'flag-status': invoker('flag-status') };
      };
      // Like a deployed mapping, each generation of a consumer has its own position: a replay starts a new one.
      const consumerRunner = (name: LocalConsumer, settings: ConsumerSettings) =>
        runner(
          name,
          `${name}.generation-${settings.replay?.generation ?? 0}`,
          mappingSettings(settings),
          handlers(settings)[name],
        );
      const archive = new LocalArchive({
        directory: join(folder.directory, 'archive'),
        environment: 'local',
        bufferBytes: Math.min(config.archive.bufferMb, 8) * 1024 * 1024,
        bufferSeconds: Math.min(config.archive.bufferSeconds, 10),
        transform: archiveTransform.version('live', FUNCTION_ENVIRONMENT),
        transformArn: localFunctionArn('archive-transform', 'live'),
        transformRetries: ARCHIVE_TRANSFORM.retries,
        sourceStreamArn: localStreamArn(LOCAL_STREAM),
      });
      const flagStatusSettings = resumeGeneration(config.consumers.flagStatus, await readGenerations(redis, keyPrefix));
      const current: Record<LocalConsumer, ConsumerSettings> = {
        'contexts-indexer': config.consumers.contextsIndexer,
        'flag-status': flagStatusSettings,
      };
      const consumers: Record<string, EventSourceRunner> = {
        'contexts-indexer': consumerRunner('contexts-indexer', config.consumers.contextsIndexer),
        'flag-status': consumerRunner('flag-status', flagStatusSettings),
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
      log(`archive    GZIP newline-delimited JSON under ${join(folder.directory, 'archive')}`);

      // As the Export stack is deployed only where an environment has destinations.
      const exportDestinations = destinationsOf(destinationsFile as DestinationsFile, 'local');
      let localExport: LocalExport | undefined;
      if (exportDestinations.length > 0) {
        const exporterLimits = exporterSettings(config);
        const exportFunctions = {
          exporter: await localFunction('exporter', {
            ...exporterLimits,
            concurrency: exporterLimits.reservedConcurrency,
          }),
          drain: await localFunction('export-backlog', { ...exporterLimits, concurrency: 1 }),
        };
        stopParts.push(async () => {
          await Promise.all(Object.values(exportFunctions).map((each) => each.stop()));
        });
        localExport = await LocalExport.start({
          dataDirectory: folder.directory,
          persist: options.persistStream,
          config,
          destinations: exportDestinations,
          ...exportFunctions,
          functionEnvironment: { ...FUNCTION_ENVIRONMENT, POISON_FILE: poisonFile(folder.directory, 'exporter') },
          runner: (settings, handler) => runner('exporter', 'exporter', settings, handler),
          mappingSettings,
          drainIntervalMs: (options.exportDrainSeconds ?? 60) * 1000,
          log,
        });
        consumers.exporter = localExport.runner;
        stopParts.push(() => localExport!.stop());
      }

      const control: { pipeline?: LocalPipeline } = {};
      const live: { producer?: RunningProducer } = {};
      const earlierRuns = await readTotals(folder);
      const folderTotals = () => addTotals(earlierRuns, live.producer?.metrics.counters ?? NOTHING_YET);
      const sources: StatusSources = {
        consumers,
        archive,
        exportDestinations: () => localExport?.statuses() ?? [],
        pipeline: () => control.pipeline,
        sinceFolderBegan: () => ({ since: folder.createdAt, ...folderTotals() }),
      };
      const producerConfig = {
        ...readProducerConfig({
          STREAM_NAME: LOCAL_STREAM,
          PORT: String(options.port ?? 8080),
          RECORD_COMPRESSION: options.recordCompression ?? config.stream.recordCompression,
        }),
        tenantConfig: { file: options.tenantFile ?? 'config/local-tenants.json' },
        spillDirectory: join(folder.directory, 'spill'),
        drainDeadlineMs: 10_000,
      };
      const producer = await startProducer(producerConfig, {
        kinesis,
        metricsAsLines: true,
        log: (level, message, fields) =>
          log(`api        ${level === 'info' ? '' : `${level}: `}${message}${fields ? describeFields(fields) : ''}`),
        routes: (app: FastifyInstance) => statusPage(app, () => live.producer, sources),
      });
      live.producer = producer;
      // Saved now and then, so a crash loses seconds of counting, never the stream's data.
      const saveTotals = setInterval(() => void writeTotals(folder, folderTotals()).catch(() => undefined), 10_000);
      saveTotals.unref();
      stopParts.push(async () => {
        clearInterval(saveTotals);
        await writeTotals(folder, folderTotals());
      });
      stopParts.push(async () => void (await producer.drainAndStop()));
      log(`api        events API at ${producer.url}`);
      control.pipeline = new LocalPipeline(
        producer.url,
        kinesis,
        producer,
        consumers,
        { ...functions, 'archive-transform': archiveTransform },
        consumerRunner,
        archive,
        redis,
        openSearch,
        keyPrefix,
        contextsAlias,
        {
          kinesisEndpoint,
          redisUrl: options.redisUrl,
          keyPrefix,
          openSearchUrl,
          contextsAlias,
          customerKinesisEndpoint: localExport?.endpoint ?? null,
          experimentKeyPrefix: analytics ? experimentKeyPrefix : null,
          analyticsUrl: analytics?.restUrl ?? null,
          experimentsFile: analytics ? experimentsFile : null,
          archiveDirectory: join(folder.directory, 'archive'),
        },
        experimentJob,
        config,
        current,
        handlers,
        folder,
        stopParts,
      );
      return control.pipeline;
    } catch (error) {
      await stopAll();
      throw error;
    }
  }

  /**
   * Replays a consumer as a deploy of a new generation does: a new runner starts at the replay time with a position
   * of its own while the old one keeps going. Each consumer rebuilds into a generation of its own (flag-status's keys,
   * contexts-indexer's index), and the old runner stops once that generation has caught up and taken over reads.
   */
  async replay(name: LocalConsumer, settings: ConsumerSettings): Promise<EventSourceRunner> {
    if (!settings.replay) throw new Error('replay needs settings with a replay position');
    const previous = this.consumers[name]!;
    const replayed = this.consumerRunner(name, settings);
    await replayed.start();
    this.consumers[name] = replayed;
    this.current[name] = settings;
    const progress: ReplayProgress = {
      consumer: name,
      generation: settings.replay.generation,
      fromMs: writingGeneration(settings.replay).fromMs,
      startedAtMs: Date.now(),
      runner: replayed,
    };
    this.replays.push(progress);
    this.retirements.push(this.retireWhenSwitched(previous, progress));
    return replayed;
  }

  /**
   * What `npm run replay -- --env local` asks for: checked as a deployed replay is (within the retention, not in the
   * future), then started as the consumer's next generation.
   */
  async replayFrom(consumer: string, from: Date): Promise<ReplayStatus> {
    if (consumer === 'experiments') return this.replayExperiments(from);
    const target = CONSUMERS[consumer];
    const running = target && this.current[consumer as LocalConsumer].replay;
    const file: ReplayFile = running ? { [this.config.name]: { [target.config]: running } } : {};
    const plan = planReplay(this.config, consumer, from, Date.now(), file);
    const settings = { ...this.config.consumers[target!.config], replay: plan.settings };
    await this.replay(consumer as LocalConsumer, settings);
    // Kept with the data folder, so a restart resumes the replay's generation rather than the first one; one update
    // at a time, as two consumers may be replayed at once.
    await this.saveReplay(target!.config, plan.settings);
    return this.replayStatus(this.replays[this.replays.length - 1]!);
  }

  /**
   * Replays the experiment job as a deploy of its next generation does: the job stops and starts again from the
   * replay's time with empty state, writing under the generation's keys, which reads use from then on.
   */
  private async replayExperiments(from: Date): Promise<ReplayStatus> {
    const running = this.config.analytics.replay;
    const file: ReplayFile = running ? { [this.config.name]: { analytics: running } } : {};
    const plan = planReplay(this.config, 'experiments', from, Date.now(), file);
    if (!this.experimentJob.current) throw new Error('the experiment job does not run in this pipeline');
    await this.experimentJob.current.stop();
    const keyPrefix = experimentKeyPrefixOf(this.keyPrefix, plan.settings.generation);
    this.experimentJob.current = await startLocalAnalytics({
      ...this.experimentJob.options,
      keyPrefix,
      replay: plan.settings,
    });
    this.stores = { ...this.stores, experimentKeyPrefix: keyPrefix, analyticsUrl: this.experimentJob.current.restUrl };
    this.config = { ...this.config, analytics: { ...this.config.analytics, replay: plan.settings } };
    this.experimentReplays.push({
      generation: plan.settings.generation,
      from: plan.settings.from,
      startedAtMs: Date.now(),
    });
    await this.saveReplay('analytics', plan.settings);
    return (await this.replayStatuses()).at(-1)!;
  }

  /** Kept with the data folder, so a restart resumes the replay's generation; one update at a time. */
  private async saveReplay(target: ReplayTarget, settings: ReplaySettings): Promise<void> {
    const saving = this.replaysSaved.then(async () => {
      const saved = await readReplays(this.folder);
      await writeReplays(this.folder, {
        ...saved,
        [this.config.name]: { ...saved[this.config.name], [target]: settings },
      });
    });
    this.replaysSaved = saving.catch(() => undefined);
    await saving;
  }

  async analyticsStatus(): Promise<AnalyticsStatus | null> {
    const prefix = this.stores.experimentKeyPrefix;
    return this.analytics && prefix ? analyticsStatus(this.analytics.restUrl, this.redis, prefix) : null;
  }

  async experimentResults(): Promise<{ results: ExperimentResults; overTime: MetricOverTime[] }[]> {
    const { experimentKeyPrefix: prefix, experimentsFile } = this.stores;
    if (!prefix || !experimentsFile) return [];
    const definitions = await readDefinitions(experimentsFile);
    const ids = (await this.redis.smembers(`${prefix}:experiments`)).sort();
    const shown = [];
    for (const id of ids) {
      const definition = definitions.find((each) => `${each.environmentId}/${each.key}/${each.iteration}` === id);
      if (!definition) continue;
      const [report, series] = await Promise.all([
        readExperimentFigures(this.redis, prefix, id),
        readExperimentSeries(this.redis, prefix, id),
      ]);
      shown.push({ results: experimentResults(report, definition), overTime: resultsOverTime(series, definition) });
    }
    return shown;
  }

  async replayStatuses(): Promise<ReplayStatus[]> {
    const statuses = this.replays.map((each) => this.replayStatus(each));
    if (this.experimentReplays.length === 0) return statuses;
    const job = await this.analyticsStatus().catch(() => null);
    const newest = this.experimentReplays.at(-1)!;
    return [
      ...statuses,
      ...this.experimentReplays.map((each) => ({
        consumer: 'experiments' as const,
        generation: each.generation,
        from: each.from,
        startedAt: new Date(each.startedAtMs).toISOString(),
        // Only the running job counts what it has read; a generation it replaced read nothing more.
        recordsRead: each === newest ? (job?.recordsRead ?? 0) : 0,
        readUpTo:
          each === newest && job?.watermarkAgeSeconds != null
            ? new Date(Date.now() - job.watermarkAgeSeconds * 1000).toISOString()
            : null,
        // The job that ran before stopped when this one started: reads move to the new generation at once.
        state: 'live' as const,
        switchedAt: new Date(each.startedAtMs).toISOString(),
      })),
    ];
  }

  private replayStatus(progress: ReplayProgress): ReplayStatus {
    const readUpTo = Object.values(progress.runner.stats.readUpToMs);
    return {
      consumer: progress.consumer,
      generation: progress.generation,
      from: new Date(progress.fromMs).toISOString(),
      startedAt: new Date(progress.startedAtMs).toISOString(),
      recordsRead: progress.runner.stats.recordsProcessed,
      readUpTo: readUpTo.length > 0 ? new Date(Math.min(...readUpTo)).toISOString() : null,
      state: progress.switchedAtMs === undefined ? 'building' : 'live',
      switchedAt: progress.switchedAtMs === undefined ? null : new Date(progress.switchedAtMs).toISOString(),
    };
  }

  /**
   * Hands what a consumer set aside (and any failure pointers) to its current handler again: after a fix, they apply,
   * each event once; what is still unusable is set aside again. Nothing is removed unless the handler took it all.
   */
  async redrive(consumer: string, dryRun: boolean): Promise<RedriveReport> {
    if (!(consumer in this.current))
      throw new Error(
        `--consumer must be one of ${Object.keys(this.current).join(', ')}, got ${JSON.stringify(consumer)}`,
      );
    const name = consumer as LocalConsumer;
    const poison = await takeLines<PoisonEntry>(poisonFile(this.folder.directory, name), dryRun);
    const pointers = await takeLines<FailurePointer>(failureDestinationFile(this.folder.directory, name), dryRun);
    const pointed = await Promise.all(pointers.lines.map((each) => pointedRecords(this.kinesis, LOCAL_STREAM, each)));
    const records = [...poison.lines.map(poisonRecord), ...pointed.flatMap((each) => each.records)];
    const report = {
      consumer,
      dryRun,
      poisonEntries: poison.lines.length,
      failurePointers: pointers.lines.length,
      recordsRedriven: records.length,
      recordsExpired: pointed.reduce((sum, each) => sum + each.expired, 0),
    };
    if (dryRun) return { ...report, setAsideAgain: 0 };
    const handler = this.handlers(this.current[name])[name];
    for (const event of redriveEvents(records, localStreamArn(LOCAL_STREAM), `${name}-redrive`)) {
      const response = await handler(event);
      if ((response?.batchItemFailures ?? []).length > 0)
        throw new Error(`${name} could not apply the redriven records (is its store up?); nothing was removed`);
    }
    await poison.done();
    await pointers.done();
    const again = await takeLines<PoisonEntry>(poisonFile(this.folder.directory, name), true);
    const redriven = new Set(poison.lines.map((entry) => `${entry.shardId}/${entry.sequenceNumber}`));
    return {
      ...report,
      setAsideAgain: again.lines.filter((entry) => redriven.has(`${entry.shardId}/${entry.sequenceNumber}`)).length,
    };
  }

  /** The generation that serves reads now, and every generation flag-status has. */
  async flagStatusGenerations(): Promise<Generation[]> {
    return readGenerations(this.redis, this.keyPrefix);
  }

  /** The generation of a consumer's store that serves reads now. */
  async liveGeneration(consumer: LocalConsumer): Promise<number | undefined> {
    if (consumer === 'contexts-indexer') return liveGeneration(this.openSearch, this.contextsAlias);
    return (await this.flagStatusGenerations()).find((each) => each.state === 'live')?.generation;
  }

  private async retireWhenSwitched(previous: EventSourceRunner, progress: ReplayProgress): Promise<void> {
    while (!this.stopping) {
      if ((await this.liveGeneration(progress.consumer).catch(() => undefined)) === progress.generation) {
        progress.switchedAtMs = Date.now();
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await previous.stop();
  }

  /** Drains the API first, then stops readers, flushes the archive, and stops every server it started. */
  async stop(): Promise<void> {
    const [producerStop] = this.stopParts.splice(-1);
    await producerStop?.();
    this.stopping = true;
    await Promise.all(this.retirements);
    for (const stop of this.stopParts.splice(0).reverse()) await stop();
  }
}

const poisonFile = (dataDirectory: string, consumer: string) => join(dataDirectory, 'poison', `${consumer}.jsonl`);
const failureDestinationFile = (dataDirectory: string, consumer: string) =>
  join(dataDirectory, 'failures', `${consumer}.jsonl`);

/**
 * Takes a local file's JSON lines to work on: moved aside first, so lines added meanwhile (the consumer setting
 * something aside again) land in a new file; lines left from an interrupted run are taken again.
 */
async function takeLines<T>(file: string, dryRun: boolean): Promise<{ lines: T[]; done: () => Promise<void> }> {
  const taken = `${file}.redriving`;
  if (!dryRun) {
    const fresh = await readFile(file, 'utf8').catch(() => '');
    if (fresh) {
      await appendFile(taken, fresh);
      await rm(file);
    }
  }
  const text = await readFile(dryRun ? file : taken, 'utf8').catch(() => '');
  const lines = text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
  return { lines, done: () => (dryRun ? Promise.resolve() : rm(taken, { force: true })) };
}

/** After a restart, flag-status goes on with the newest generation a local replay started, not the config's. */
function resumeGeneration(settings: ConsumerSettings, generations: readonly Generation[]): ConsumerSettings {
  const newest = generations[generations.length - 1];
  if (!newest || newest.generation <= (settings.replay?.generation ?? 0)) return settings;
  const from = new Date(newest.fromMs).toISOString();
  return { ...settings, replay: { generation: newest.generation, from, requestedAt: from } };
}

/** A log line's details as words, for the terminal: ` (error: …, files: 2)`. */
function describeFields(fields: Record<string, unknown>): string {
  const entries = Object.entries(fields);
  return entries.length === 0 ? '' : ` (${entries.map(([name, value]) => `${name}: ${String(value)}`).join(', ')})`;
}
