import { App, Stage, Tags } from 'aws-cdk-lib';
import destinationsFile from '../config/export-destinations.json';
import { EnvironmentConfig } from './config/environment-config';
import { destinationsOf, DestinationsFile } from '../lambdas/exporter/destinations';
import { validateEnvironmentConfig } from './config/validate';
import { AlertsStack } from './stacks/alerts-stack';
import { AnalyticsStack } from './stacks/analytics-stack';
import { ArchiveStack } from './stacks/archive-stack';
import { ConsumerStack } from './stacks/consumer-stack';
import { DashboardStack } from './stacks/dashboard-stack';
import { ExportStack } from './stacks/export-stack';
import { IngestStack } from './stacks/ingest-stack';
import { NetworkStack } from './stacks/network-stack';
import { StoresStack } from './stacks/stores-stack';
import { StreamStack } from './stacks/stream-stack';

/** The redis key prefix of flag-status; generations live under it, so a replay never needs a new one. */
export const FLAG_STATUS_KEY_PREFIX = 'fs';
export const CONTEXTS_ALIAS = 'contexts';

export type PipelineStacks = ReturnType<typeof buildPipeline>;

/**
 * Every stack of one environment, in a Stage named after it (e.g. `prod/ContextsIndexer`); the Export stack only where
 * the environment has export destinations.
 */
export function buildPipeline(
  app: App,
  unchecked: EnvironmentConfig,
  account?: string,
  exportDestinations: DestinationsFile = destinationsFile as DestinationsFile,
) {
  const config = validateEnvironmentConfig(unchecked);
  const destinations = destinationsOf(exportDestinations, config.name);
  const stage = new Stage(app, config.name, { env: { account: config.account ?? account, region: config.region } });
  Tags.of(stage).add('pipeline-environment', config.name);
  const stateful = { terminationProtection: config.retainData };

  const alerts = new AlertsStack(stage, 'Alerts', { config });
  const network = new NetworkStack(stage, 'Network', { config });
  const stream = new StreamStack(stage, 'Stream', { config, ...stateful });
  const stores = new StoresStack(stage, 'Stores', {
    config,
    vpc: network.vpc,
    contextsIndexerSecurityGroup: network.consumerSecurityGroups.contextsIndexer,
    flagStatusSecurityGroup: network.consumerSecurityGroups.flagStatus,
    analyticsSecurityGroup: network.analyticsSecurityGroup,
    ...stateful,
  });
  const ingest = new IngestStack(stage, 'Ingest', {
    config,
    vpc: network.vpc,
    endpointSecurityGroup: network.endpointSecurityGroup,
    stream: stream.stream,
    configBucket: stores.configBucket,
    accessLogsBucket: stores.accessLogsBucket,
    alarmTopic: alerts.topic,
  });
  const archive = new ArchiveStack(stage, 'Archive', {
    config,
    stream: stream.stream,
    bucket: stores.archiveBucket,
    accessLogsBucket: stores.accessLogsBucket,
    alarmTopic: alerts.topic,
  });
  const consumerProps = {
    config,
    stream: stream.stream,
    vpc: network.vpc,
    alarmTopic: alerts.topic,
    poisonBucket: stores.archiveBucket,
  };
  const contextsIndexer = new ConsumerStack(stage, 'ContextsIndexer', {
    ...consumerProps,
    consumer: 'contextsIndexer',
    securityGroup: network.consumerSecurityGroups.contextsIndexer,
    role: stores.contextsIndexerRole,
    bindStore: (fn) =>
      fn.bindOpenSearch(stores.domain, CONTEXTS_ALIAS, {
        primaryShards: config.openSearch.contextsPrimaryShards,
        lastSeenResolutionMinutes: config.openSearch.lastSeenResolutionMinutes,
      }),
  });
  const flagStatus = new ConsumerStack(stage, 'FlagStatus', {
    ...consumerProps,
    consumer: 'flagStatus',
    securityGroup: network.consumerSecurityGroups.flagStatus,
    bindStore: (fn) => fn.bindRedis(stores.redisEndpoint, stores.redisAuthToken, FLAG_STATUS_KEY_PREFIX),
  });
  const analytics = new AnalyticsStack(stage, 'Analytics', {
    config,
    vpc: network.vpc,
    securityGroup: network.analyticsSecurityGroup,
    stream: stream.stream,
    redisEndpoint: stores.redisEndpoint,
    redisAuthToken: stores.redisAuthToken,
    flagStatusKeyPrefix: FLAG_STATUS_KEY_PREFIX,
    configBucket: stores.configBucket,
    alarmTopic: alerts.topic,
  });
  const exporter =
    destinations.length > 0
      ? new ExportStack(stage, 'Export', {
          config,
          destinations,
          stream: stream.stream,
          alarmTopic: alerts.topic,
          poisonBucket: stores.archiveBucket,
          accessLogsBucket: stores.accessLogsBucket,
        })
      : undefined;
  const dashboard = new DashboardStack(stage, 'Dashboard', {
    config,
    stream: stream.stream,
    stores,
    ingest,
    archive,
    consumers: { contextsIndexer, flagStatus },
    analytics,
    alarmTopic: alerts.topic,
  });
  return {
    stage,
    config,
    alerts,
    network,
    stream,
    stores,
    ingest,
    archive,
    contextsIndexer,
    flagStatus,
    analytics,
    exporter,
    dashboard,
  };
}
