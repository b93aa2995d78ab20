import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeReplicationGroupsCommand, ElastiCacheClient } from '@aws-sdk/client-elasticache';
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { DescribeApplicationCommand, KinesisAnalyticsV2Client } from '@aws-sdk/client-kinesis-analytics-v2';
import { LambdaClient, ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda';
import { DescribeDomainCommand, OpenSearchClient } from '@aws-sdk/client-opensearch';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { openSearchClient } from '../../lambdas/shared/opensearch-client';
import { ConsumerName, EnvironmentConfig } from '../config/environment-config';
import { environmentAnalyticsPlan } from '../planning/analytics-plan';
import { environmentStreamPlan } from '../planning/capacity';
import { JOB_PROPERTY_GROUP } from '../experiment-job';
import { stackOutputs } from '../stack-outputs';

export interface DoctorRow {
  readonly check: string;
  readonly healthy: boolean;
  readonly detail: string;
}

/** The table `npm run doctor` prints: one row per check, red ones marked. */
export function doctorTable(rows: readonly DoctorRow[]): string {
  const width = Math.max(...rows.map((row) => row.check.length));
  return rows.map((row) => `${row.healthy ? 'ok ' : 'RED'}  ${row.check.padEnd(width)}  ${row.detail}`).join('\n');
}

/** A check that throws is a red row saying why, so one unreachable service never hides the other rows. */
export async function runCheck(check: string, probe: () => Promise<Omit<DoctorRow, 'check'>>): Promise<DoctorRow> {
  try {
    return { check, ...(await probe()) };
  } catch (error) {
    return { check, healthy: false, detail: `could not check: ${(error as Error).message}` };
  }
}

/** The AWS clients the deployed checks call; tests give recorded answers instead. */
export interface AwsClients {
  readonly cloudFormation: Pick<CloudFormationClient, 'send'>;
  readonly kinesis: Pick<KinesisClient, 'send'>;
  readonly lambda: Pick<LambdaClient, 'send'>;
  readonly openSearch: Pick<OpenSearchClient, 'send'>;
  readonly elastiCache: Pick<ElastiCacheClient, 'send'>;
  readonly autoScaling: Pick<AutoScalingClient, 'send'>;
  readonly loadBalancing: Pick<ElasticLoadBalancingV2Client, 'send'>;
  readonly cloudWatch: Pick<CloudWatchClient, 'send'>;
  readonly sqs: Pick<SQSClient, 'send'>;
  readonly kinesisAnalytics: Pick<KinesisAnalyticsV2Client, 'send'>;
}

export function awsClients(region: string): AwsClients {
  return {
    cloudFormation: new CloudFormationClient({ region }),
    kinesis: new KinesisClient({ region }),
    lambda: new LambdaClient({ region }),
    openSearch: new OpenSearchClient({ region }),
    elastiCache: new ElastiCacheClient({ region }),
    autoScaling: new AutoScalingClient({ region }),
    loadBalancing: new ElasticLoadBalancingV2Client({ region }),
    cloudWatch: new CloudWatchClient({ region }),
    sqs: new SQSClient({ region }),
    kinesisAnalytics: new KinesisAnalyticsV2Client({ region }),
  };
}

const CONSUMER_STACKS: Record<ConsumerName, string> = { contextsIndexer: 'ContextsIndexer', flagStatus: 'FlagStatus' };

/** The cluster's own health API (the data plane), asked by the caller that can reach the domain. */
export type ClusterHealth = (endpoint: string) => Promise<{ status: string; nodes: number }>;

/** The cluster's status from its health API: green, yellow or red. */
export async function openSearchClusterHealth(
  url: string,
  sigv4Region?: string,
): Promise<{ status: string; nodes: number }> {
  const client = openSearchClient({ url, sigv4Region });
  try {
    const { body } = await client.cluster.health();
    return { status: String(body.status), nodes: Number(body.number_of_nodes) };
  } finally {
    await client.close();
  }
}

/**
 * Checks a deployed environment after `cdk deploy`: the stream, each consumer's mapping, the experiment job, the
 * stores, the fleet, the alarms and the failure queues. Names come from the stacks' outputs.
 */
export async function deployedChecks(
  config: EnvironmentConfig,
  aws: AwsClients,
  clusterHealth: ClusterHealth,
): Promise<DoctorRow[]> {
  const outputs = (stack: string) => stackOutputs(aws.cloudFormation, `${config.name}-${stack}`);
  const [stream, stores, ingest, analytics] = await Promise.all([
    outputs('Stream'),
    outputs('Stores'),
    outputs('Ingest'),
    outputs('Analytics'),
  ]);
  const consumers = Object.keys(CONSUMER_STACKS) as ConsumerName[];
  const consumerOutputs = await Promise.all(consumers.map((name) => outputs(CONSUMER_STACKS[name])));

  const rows = [
    runCheck('stream', async () => {
      const { StreamDescriptionSummary: summary } = await aws.kinesis.send(
        new DescribeStreamSummaryCommand({ StreamName: stream.StreamName }),
      );
      const planned = environmentStreamPlan(config).shards.provisioned;
      return {
        healthy: summary?.StreamStatus === 'ACTIVE' && summary.OpenShardCount === planned,
        detail: `${summary?.StreamStatus}, ${summary?.OpenShardCount} open shards (planned ${planned})`,
      };
    }),
    ...consumers.map((name, index) =>
      runCheck(`${name} mapping`, async () => {
        const alias = consumerOutputs[index]!.FunctionAlias;
        const generation = `generation-${config.consumers[name].replay?.generation ?? 0}`;
        const { EventSourceMappings: mappings = [] } = await aws.lambda.send(
          new ListEventSourceMappingsCommand({ FunctionName: alias }),
        );
        const described = mappings.map(
          (each) =>
            `${each.State} on ${each.FunctionArn?.split(':').at(-1)} from ${each.StartingPosition}` +
            (each.StartingPositionTimestamp ? ` ${each.StartingPositionTimestamp.toISOString()}` : ''),
        );
        const healthy =
          mappings.length === 1 &&
          mappings[0]!.State === 'Enabled' &&
          mappings[0]!.FunctionArn?.endsWith(`:${generation}`);
        return { healthy: healthy === true, detail: described.join('; ') || `no mapping on ${generation}` };
      }),
    ),
    runCheck('experiment job', async () => {
      const { ApplicationDetail: application } = await aws.kinesisAnalytics.send(
        new DescribeApplicationCommand({ ApplicationName: analytics.ApplicationName }),
      );
      const flink = application?.ApplicationConfigurationDescription?.FlinkApplicationConfigurationDescription;
      const running = flink?.ParallelismConfigurationDescription?.CurrentParallelism;
      const planned = environmentAnalyticsPlan(config).parallelism;
      const properties =
        application?.ApplicationConfigurationDescription?.EnvironmentPropertyDescriptions?.PropertyGroupDescriptions?.find(
          (group) => group.PropertyGroupId === JOB_PROPERTY_GROUP,
        )?.PropertyMap;
      const generation = String(config.analytics.replay?.generation ?? 0);
      return {
        healthy:
          application?.ApplicationStatus === 'RUNNING' && running === planned && properties?.generation === generation,
        detail:
          `${application?.ApplicationStatus} on ${application?.RuntimeEnvironment}, version ${application?.ApplicationVersionId}, ` +
          `parallelism ${running} (planned ${planned}), generation ${properties?.generation} (configured ${generation})`,
      };
    }),
    runCheck('OpenSearch domain', async () => {
      const { DomainStatus: domain } = await aws.openSearch.send(
        new DescribeDomainCommand({ DomainName: stores.OpenSearchDomainName }),
      );
      const { status } = await clusterHealth(stores.OpenSearchEndpoint!);
      return {
        healthy: domain?.Processing === false && status === 'green',
        detail: `${domain?.Processing ? 'processing a change' : 'not processing'}, cluster ${status}`,
      };
    }),
    runCheck('Redis', async () => {
      const { ReplicationGroups: groups = [] } = await aws.elastiCache.send(
        new DescribeReplicationGroupsCommand({ ReplicationGroupId: stores.RedisReplicationGroupId }),
      );
      return { healthy: groups[0]?.Status === 'available', detail: `replication group ${groups[0]?.Status}` };
    }),
    runCheck('fleet', async () => {
      const { AutoScalingGroups: groups = [] } = await aws.autoScaling.send(
        new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [ingest.FleetGroupName!] }),
      );
      const group = groups[0];
      const inService = (group?.Instances ?? []).filter((each) => each.LifecycleState === 'InService').length;
      const { TargetHealthDescriptions: targets = [] } = await aws.loadBalancing.send(
        new DescribeTargetHealthCommand({ TargetGroupArn: ingest.FleetTargetGroupArn }),
      );
      const healthyTargets = targets.filter((each) => each.TargetHealth?.State === 'healthy').length;
      return {
        healthy: group !== undefined && inService >= (group.MinSize ?? 1) && healthyTargets === targets.length,
        detail: `${inService} in service (minimum ${group?.MinSize}), ${healthyTargets} of ${targets.length} targets healthy`,
      };
    }),
    runCheck('alarms', async () => {
      const { MetricAlarms: alarms = [] } = await aws.cloudWatch.send(
        new DescribeAlarmsCommand({ StateValue: 'ALARM', AlarmNamePrefix: `${config.name}-` }),
      );
      const names = alarms.map((each) => each.AlarmName);
      return {
        healthy: names.length === 0,
        detail: names.length === 0 ? 'none in ALARM' : `in ALARM: ${names.join(', ')}`,
      };
    }),
    ...consumers.map((name, index) =>
      runCheck(`${name} failure queue`, async () => {
        const { Attributes: attributes = {} } = await aws.sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: consumerOutputs[index]!.FailureQueueUrl,
            AttributeNames: ['ApproximateNumberOfMessages'],
          }),
        );
        const waiting = Number(attributes.ApproximateNumberOfMessages ?? 0);
        return {
          healthy: waiting === 0,
          detail: waiting === 0 ? 'empty' : `${waiting} pointers to records set aside (npm run redrive)`,
        };
      }),
    ),
  ];
  return Promise.all(rows);
}
