import { ConsumerName, ConsumerSettings, EnvironmentConfig, ReplaySettings } from './environment-config';
import replays from './replays.json';
import { MEASURED_EVENT_BYTES } from '../planning/measured-event-bytes';
import { DEFAULT_LAST_SEEN_RESOLUTION_MINUTES } from '../../lambdas/contexts-indexer/context-updates';

const consumer = (overrides: Partial<ConsumerSettings> = {}): ConsumerSettings => ({
  batchSize: 100,
  batchingWindowSeconds: 1,
  parallelizationFactor: 1,
  maxRetryAttempts: -1,
  maxRecordAgeSeconds: -1,
  reservedConcurrency: 10,
  memoryMb: 1024,
  timeoutSeconds: 60,
  ...overrides,
});

// flag-status tells when a flag was last evaluated: no batching window, a record goes to Redis as soon as it is read.
export const Dev: EnvironmentConfig = {
  name: 'dev',
  region: 'us-east-1',
  availabilityZoneIds: ['use1-az1', 'use1-az2'],
  load: { peakEventsPerSecond: 2_000, eventBytes: MEASURED_EVENT_BYTES.eventBytes, headroom: 1 },
  // zstd: 0.85 of deflate's bytes an event for 0.77 of its CPU (npm run bench -- compression).
  stream: { retentionHours: 24, recordCompression: 'zstd' },
  allowPlainHttp: true,
  deletionProtection: false,
  fleet: {
    instanceType: 't4g.small',
    minCapacity: 1,
    maxCapacity: 2,
    requestsPerTarget: 2_000,
    drainDeadlineSeconds: 25,
  },
  openSearch: {
    dataNodeInstanceType: 't3.small.search',
    dataNodes: 1,
    volumeGb: 10,
    zoneAwareness: false,
    contextsPrimaryShards: 1,
    lastSeenResolutionMinutes: DEFAULT_LAST_SEEN_RESOLUTION_MINUTES,
  },
  redis: { nodeType: 'cache.t4g.micro', replicas: 0, multiAz: false },
  archive: {
    bufferMb: 64,
    bufferSeconds: 300,
    infrequentAccessAfterDays: 30,
    expireAfterDays: 90,
    queryScanLimitGb: 10,
    queryResultsDays: 7,
  },
  consumers: {
    contextsIndexer: consumer({ reservedConcurrency: 2 }),
    flagStatus: consumer({ batchingWindowSeconds: 0, reservedConcurrency: 2 }),
  },
  analytics: { exposedUnits: 100_000, firstStart: 'TRIM_HORIZON' },
  retainData: false,
};

export const Staging: EnvironmentConfig = {
  ...Dev,
  name: 'staging',
  // Placeholders: put your own account, certificate and image here before the first deploy (docs/infrastructure.md, Deploy).
  account: '111111111111',
  alarmEmail: 'events-pipeline-oncall@example.com',
  availabilityZoneIds: ['use1-az1', 'use1-az2', 'use1-az4'],
  load: { peakEventsPerSecond: 20_000, eventBytes: MEASURED_EVENT_BYTES.eventBytes, headroom: 1.5 },
  stream: { ...Dev.stream, retentionHours: 72 },
  allowPlainHttp: false,
  deletionProtection: true,
  // 1,000 requests/s from one address: a customer's server fleet behind one NAT address stays well under it.
  firewall: { requestsPerIpPer5Minutes: 300_000 },
  domain: {
    name: 'events.staging.example.com',
    certificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/staging',
  },
  fleet: {
    instanceType: 'c7g.large',
    minCapacity: 2,
    maxCapacity: 6,
    requestsPerTarget: 2_000,
    drainDeadlineSeconds: 25,
    amiId: 'ami-0123456789abcdef0',
  },
  openSearch: {
    dataNodeInstanceType: 'r6g.large.search',
    dataNodes: 2,
    volumeGb: 50,
    zoneAwareness: true,
    contextsPrimaryShards: 2,
    lastSeenResolutionMinutes: DEFAULT_LAST_SEEN_RESOLUTION_MINUTES,
  },
  redis: { nodeType: 'cache.r7g.large', replicas: 1, multiAz: true },
  consumers: {
    contextsIndexer: consumer({ reservedConcurrency: 20 }),
    flagStatus: consumer({ batchingWindowSeconds: 0, reservedConcurrency: 20 }),
  },
  analytics: { exposedUnits: 2_000_000, firstStart: 'TRIM_HORIZON' },
};

export const Prod: EnvironmentConfig = {
  ...Staging,
  name: 'prod',
  account: '222222222222',
  load: { peakEventsPerSecond: 462_963, eventBytes: MEASURED_EVENT_BYTES.eventBytes, headroom: 1.3 },
  stream: { ...Dev.stream, retentionHours: 168 },
  domain: { name: 'events.example.com', certificateArn: 'arn:aws:acm:us-east-1:222222222222:certificate/prod' },
  fleet: {
    instanceType: 'c7g.xlarge',
    minCapacity: 6,
    maxCapacity: 60,
    requestsPerTarget: 4_000,
    drainDeadlineSeconds: 25,
    amiId: 'ami-0123456789abcdef0',
  },
  openSearch: {
    // 24 vCPUs: the peak with headroom spends 16 (npm run plan -- bill), nearly all of it reading contexts that
    // records spread over every shard.
    dataNodeInstanceType: 'r6g.2xlarge.search',
    dataNodes: 3,
    volumeGb: 500,
    zoneAwareness: true,
    contextsPrimaryShards: 3,
    lastSeenResolutionMinutes: DEFAULT_LAST_SEEN_RESOLUTION_MINUTES,
    dedicatedMasters: { instanceType: 'm6g.large.search', count: 3 },
  },
  redis: { nodeType: 'cache.r7g.xlarge', replicas: 2, multiAz: true },
  // At its declared peak prod archives about 6 TB of GZIP JSON a day (150.7 bytes an event, npm run bench -- archive):
  // a query that names its dt and hour reads what it needs; one that names none is stopped at 200 GB ($1).
  archive: {
    bufferMb: 128,
    bufferSeconds: 300,
    infrequentAccessAfterDays: 30,
    expireAfterDays: 400,
    queryScanLimitGb: 200,
    queryResultsDays: 7,
  },
  consumers: {
    contextsIndexer: consumer({ batchSize: 180, reservedConcurrency: 360 }),
    flagStatus: consumer({ batchingWindowSeconds: 0, batchSize: 180, reservedConcurrency: 360 }),
  },
  // LaunchDarkly-scale: 175 million contexts indexed a day; a tenth of them in a running experiment at once.
  analytics: { exposedUnits: 20_000_000, firstStart: 'TRIM_HORIZON' },
  retainData: true,
};

/** What a replay rebuilds: a consumer's store, or the experiment job's figures. */
export type ReplayTarget = ConsumerName | 'analytics';

/** Replay positions per environment and consumer, written by `npm run replay` and reviewed like any change. */
export type ReplayFile = Partial<Record<string, Partial<Record<ReplayTarget, ReplaySettings>>>>;

/** The environment with its consumers' replay positions from the replay file applied. */
export function withReplays(config: EnvironmentConfig, file: ReplayFile = replays): EnvironmentConfig {
  const positions = file[config.name] ?? {};
  return {
    ...config,
    consumers: {
      contextsIndexer: { ...config.consumers.contextsIndexer, replay: positions.contextsIndexer },
      flagStatus: { ...config.consumers.flagStatus, replay: positions.flagStatus },
    },
    analytics: { ...config.analytics, replay: positions.analytics },
  };
}

export const ENVIRONMENTS: readonly EnvironmentConfig[] = [Dev, Staging, Prod].map((config) => withReplays(config));
