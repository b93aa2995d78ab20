import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AlarmSet } from '../constructs/alarm-set';
import { EnvironmentConfig } from '../config/environment-config';
import { AnalyticsStack } from './analytics-stack';
import { ArchiveStack } from './archive-stack';
import { ConsumerStack } from './consumer-stack';
import { IngestStack } from './ingest-stack';
import { StoresStack } from './stores-stack';

export interface DashboardStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly stream: kinesis.IStream;
  readonly stores: StoresStack;
  readonly ingest: IngestStack;
  readonly archive: ArchiveStack;
  readonly consumers: { readonly contextsIndexer: ConsumerStack; readonly flagStatus: ConsumerStack };
  readonly analytics: AnalyticsStack;
  readonly alarmTopic: sns.ITopic;
}

/** Stateless: the stream's and the stores' alarms, and one dashboard with every alarm of the environment. */
export class DashboardStack extends Stack {
  readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: DashboardStackProps) {
    super(scope, id, props);
    const { stores, stream } = props;
    const alarmSet = new AlarmSet(this, props.alarmTopic);
    const alarm = alarmSet.add.bind(alarmSet);
    this.alarms = alarmSet.alarms;
    const oneMinute = { period: Duration.minutes(1) };
    alarm(
      'StreamWriteThrottled',
      stream.metricWriteProvisionedThroughputExceeded({ ...oneMinute, statistic: 'Sum' }),
      0,
      'Writes to the stream are throttled: grow the declared load.',
    );
    alarm(
      'StreamReadThrottled',
      stream.metricReadProvisionedThroughputExceeded({ ...oneMinute, statistic: 'Sum' }),
      0,
      'Reads from the stream are throttled: too many readers share a shard (npm run plan -- --consumers).',
    );
    alarm(
      'StreamIteratorAge',
      stream.metricGetRecordsIteratorAgeMilliseconds({ ...oneMinute, statistic: 'Maximum' }),
      60_000,
      'A reader of the stream is more than a minute behind.',
    );
    alarm(
      'OpenSearchRed',
      stores.domain.metricClusterStatusRed({ ...oneMinute, statistic: 'Maximum' }),
      0,
      'The contexts domain is red.',
    );
    alarm(
      'OpenSearchFreeStorage',
      new cloudwatch.MathExpression({
        expression: '-storage',
        usingMetrics: { storage: stores.domain.metricFreeStorageSpace({ ...oneMinute, statistic: 'Minimum' }) },
        label: 'negated free storage (MiB)',
        period: oneMinute.period,
      }),
      -5 * 1024,
      'The contexts domain has less than 5 GiB of free storage.',
    );
    alarm(
      'OpenSearchJvmPressure',
      stores.domain.metricJVMMemoryPressure({ ...oneMinute, statistic: 'Maximum' }),
      85,
      'The contexts domain is under JVM memory pressure.',
    );
    alarm(
      'OpenSearchWriteRejected',
      stores.domain.metric('ThreadpoolWriteRejected', { ...oneMinute, statistic: 'Sum' }),
      0,
      'The contexts domain rejects writes: its write queue is full; contexts-indexer retries, but grow the domain.',
    );
    // Every node of the group, whichever is primary now: a failover makes node -001 a replica.
    const redisNodes = Array.from(
      { length: 1 + props.config.redis.replicas },
      (_, i) => `${stores.redisReplicationGroupId}-${String(i + 1).padStart(3, '0')}`,
    );
    const redis = (metricName: string, statistic: string) =>
      new cloudwatch.MathExpression({
        expression: `MAX([${redisNodes.map((_, i) => `node${i}`).join(', ')}])`,
        usingMetrics: Object.fromEntries(
          redisNodes.map((node, i) => [
            `node${i}`,
            new cloudwatch.Metric({
              namespace: 'AWS/ElastiCache',
              metricName,
              statistic,
              dimensionsMap: { CacheClusterId: node },
              ...oneMinute,
            }),
          ]),
        ),
        label: `${metricName}, the highest node`,
        ...oneMinute,
      });
    alarm(
      'RedisMemory',
      redis('DatabaseMemoryUsagePercentage', 'Maximum'),
      80,
      'flag-status Redis is above 80% of its memory.',
    );
    alarm('RedisEvictions', redis('Evictions', 'Sum'), 0, 'flag-status Redis evicts keys.');

    const everyAlarm = [
      ...props.ingest.alarms,
      ...this.alarms,
      ...props.archive.alarms,
      ...props.consumers.contextsIndexer.consumer.alarms,
      ...props.consumers.flagStatus.consumer.alarms,
      ...props.analytics.alarms,
    ];
    new cloudwatch.Dashboard(this, 'Pipeline', {
      widgets: [
        [
          new cloudwatch.AlarmStatusWidget({
            title: `events pipeline (${props.config.name})`,
            alarms: everyAlarm,
            width: 24,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'stream in',
            left: [stream.metricIncomingRecords(oneMinute), stream.metricIncomingBytes(oneMinute)],
            width: 12,
          }),
          new cloudwatch.GraphWidget({
            title: 'stream iterator age',
            left: [stream.metricGetRecordsIteratorAgeMilliseconds(oneMinute)],
            width: 12,
          }),
        ],
        ...everyAlarm
          .map(
            (each) =>
              new cloudwatch.AlarmWidget({
                alarm: each,
                width: 8,
                title: each.node.path.split('/').slice(1).join('/'),
              }),
          )
          .reduce<cloudwatch.IWidget[][]>((rows, widget, i) => {
            if (i % 3 === 0) rows.push([]);
            rows[rows.length - 1]!.push(widget);
            return rows;
          }, []),
      ],
    });
  }
}
