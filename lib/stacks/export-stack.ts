import { CfnOutput, Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ConsumerSettings, EnvironmentConfig } from '../config/environment-config';
import { AlarmSet } from '../constructs/alarm-set';
import { KinesisConsumer } from '../constructs/kinesis-consumer';
import { PipelineFunction } from '../constructs/pipeline-function';
import { ExportDestination } from '../../lambdas/exporter/destinations';
import { environmentStreamPlan } from '../planning/capacity';

/** How long a destination's backlog is kept: a week of its owner's outage, then dropped and counted. */
export const BACKLOG_DAYS = 7;

/**
 * The exporter reads through a stream consumer of its own (enhanced fan-out), so exporting takes no read capacity
 * from the other readers, and one invocation per shard at a time is enough: each destination is written on its own.
 */
export function exporterSettings(config: EnvironmentConfig): ConsumerSettings {
  return {
    batchSize: 500,
    batchingWindowSeconds: 1,
    parallelizationFactor: 1,
    enhancedFanOut: true,
    maxRetryAttempts: -1,
    maxRecordAgeSeconds: -1,
    reservedConcurrency: environmentStreamPlan(config).shards.provisioned,
    memoryMb: 1024,
    timeoutSeconds: 120,
  };
}

export interface ExportStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly destinations: readonly ExportDestination[];
  readonly stream: kinesis.IStream;
  readonly alarmTopic: sns.ITopic;
  readonly poisonBucket: s3.IBucket;
  readonly accessLogsBucket: s3.IBucket;
}

/**
 * Data Export: the environment's events, as they arrive, to each destination's owner's stream, each destination with
 * its own backlog, state and alarms, so one customer's stream never holds back another's or the shard.
 */
export class ExportStack extends Stack {
  readonly consumer: KinesisConsumer;

  constructor(scope: Construct, id: string, props: ExportStackProps) {
    super(scope, id, props);
    const { config } = props;
    const removalPolicy = config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const backlog = new s3.Bucket(this, 'Backlog', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'export-backlog/',
      // A day past what the drain keeps, so the drain drops (and counts) expired objects before S3 does.
      lifecycleRules: [{ expiration: Duration.days(BACKLOG_DAYS + 1) }],
      removalPolicy,
      autoDeleteObjects: !config.retainData,
    });
    const settings = exporterSettings(config);
    const assumeDestinationRoles = new iam.PolicyStatement({
      actions: ['sts:AssumeRole'],
      resources: [...new Set(props.destinations.map((each) => each.roleArn))],
    });
    const exporterFunction = (id: string, entry: 'exporter' | 'export-backlog', reservedConcurrency: number) => {
      const fn = new PipelineFunction(this, id, {
        entry,
        memoryMb: settings.memoryMb,
        timeout: Duration.seconds(settings.timeoutSeconds),
        reservedConcurrency,
        removalPolicy,
      });
      backlog.grantReadWrite(fn.function);
      fn.function.addToRolePolicy(assumeDestinationRoles);
      fn.function.addEnvironment('PIPELINE_ENVIRONMENT', config.name);
      fn.function.addEnvironment('BACKLOG_BUCKET', backlog.bucketName);
      fn.bindPoisonBucket(props.poisonBucket, 'poison/exporter/');
      return fn;
    };
    const exporter = exporterFunction('Exporter', 'exporter', settings.reservedConcurrency);
    const consumer = (this.consumer = new KinesisConsumer(this, 'Consumer', {
      name: 'exporter',
      stream: props.stream,
      function: exporter.function,
      settings,
      alarmTopic: props.alarmTopic,
      removalPolicy,
      retentionHours: config.stream.retentionHours,
    }));
    // One drain at a time: it sends every destination's backlog side by side, each within the run's time.
    const drain = exporterFunction('BacklogDrain', 'export-backlog', 1);
    new events.Rule(this, 'EveryMinute', {
      schedule: events.Schedule.rate(Duration.minutes(1)),
      targets: [new targets.LambdaFunction(drain.function, { retryAttempts: 0 })],
    });

    const alarms = new AlarmSet(this, props.alarmTopic);
    for (const destination of props.destinations) {
      const metric = (metricName: string) =>
        new cloudwatch.Metric({
          namespace: 'EventsPipeline/Consumers',
          metricName,
          dimensionsMap: { service: 'export-backlog', destination: destination.id },
          statistic: 'Maximum',
          period: Duration.minutes(1),
        });
      alarms.add(
        `Paused-${destination.id}`,
        metric('exportPaused'),
        0,
        `Export destination ${destination.id} refuses our writes (role, stream or policy): its owner must act.`,
      );
      alarms.add(
        `Lagging-${destination.id}`,
        metric('backlogAgeSeconds'),
        15 * 60,
        `Export destination ${destination.id} has events waiting over 15 minutes: its stream may be too small.`,
      );
    }
    new CfnOutput(this, 'BacklogBucket', { value: backlog.bucketName });
    new CfnOutput(this, 'FailureQueueUrl', { value: consumer.deadLetterQueue.queueUrl });
  }
}
