import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AssetHashType,
  BundlingOutput,
  CfnOutput,
  DockerImage,
  Duration,
  FileSystem,
  RemovalPolicy,
  Stack,
  StackProps,
} from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kda from 'aws-cdk-lib/aws-kinesisanalyticsv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { EnvironmentConfig } from '../config/environment-config';
import { AlarmSet } from '../constructs/alarm-set';
import { experimentKeyPrefix } from '../experiments/figures-reader';
import { environmentAnalyticsPlan } from '../planning/analytics-plan';
import { ANALYTICS_DIR, EXPERIMENTS_OBJECT_KEY, JOB_PROPERTY_GROUP, JOB_SOURCES } from '../experiment-job';

export const CHECKPOINT_INTERVAL = Duration.minutes(1);
/** What the job's log says of a corrupt record it sets aside (ExperimentTopology.java). */
const SET_ASIDE_LOG_TERM = 'set aside a corrupt record';
const SET_ASIDE_METRIC = { namespace: 'EventsPipeline/Analytics', metricName: 'recordsSetAside' } as const;
/** The job's watermark trails the newest arrival by its allowed lateness (2 minutes); beyond that it is behind. */
const BEHIND_ALARM = Duration.minutes(5);

/**
 * The job jar's identity: what it is built from, so an unchanged job keeps its asset (and the application is not
 * updated) however often it is rebuilt.
 */
function jobSourceHash(): string {
  const hash = createHash('sha256');
  for (const path of JOB_SOURCES) hash.update(FileSystem.fingerprint(path));
  return hash.digest('hex');
}

export interface AnalyticsStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly vpc: ec2.IVpc;
  readonly securityGroup: ec2.ISecurityGroup;
  readonly stream: kinesis.IStream;
  readonly redisEndpoint: { host: string; port: string };
  readonly redisAuthToken: secretsmanager.ISecret;
  /** flag-status's Redis key prefix: the job's figures go under it. */
  readonly flagStatusKeyPrefix: string;
  /** The bucket of the fleet's tenant file, where the experiments file lives too. */
  readonly configBucket: s3.IBucket;
  readonly alarmTopic: sns.ITopic;
}

/**
 * Stateless but for the job's own snapshots: the experiment job on Managed Service for Apache Flink, reading every
 * shard with a position of its own and writing its figures to the flag-status Redis, sized by the planner.
 */
export class AnalyticsStack extends Stack {
  readonly application: kda.CfnApplication;
  readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: AnalyticsStackProps) {
    super(scope, id, props);
    const { config } = props;
    const plan = environmentAnalyticsPlan(config);
    const jar = new s3assets.Asset(this, 'JobJar', {
      path: ANALYTICS_DIR,
      assetHash: jobSourceHash(),
      assetHashType: AssetHashType.CUSTOM,
      bundling: {
        // Built by the local Maven, as `npm test` builds it; the image is only CDK's fallback when that fails.
        image: DockerImage.fromRegistry('maven:3.9-eclipse-temurin-17'),
        outputType: BundlingOutput.ARCHIVED,
        local: {
          tryBundle(outputDir: string) {
            execFileSync('mvn', ['-B', '-ntp', '-q', '-f', join(ANALYTICS_DIR, 'pom.xml'), 'package', '-DskipTests'], {
              stdio: 'inherit',
            });
            copyFileSync(
              join(ANALYTICS_DIR, 'target', 'experiment-analytics-0.1.0.jar'),
              join(outputDir, 'experiment-analytics.jar'),
            );
            return true;
          },
        },
      },
    });

    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const logStream = new logs.LogStream(this, 'LogStream', { logGroup, removalPolicy: RemovalPolicy.DESTROY });

    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('kinesisanalytics.amazonaws.com'),
      description: 'experiment job: reads the stream, the experiments file and the Redis token; writes its log',
    });
    props.stream.grantRead(role);
    jar.grantRead(role);
    props.configBucket.grantRead(role, EXPERIMENTS_OBJECT_KEY);
    props.redisAuthToken.grantRead(role);
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:DescribeLogGroups', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn, `${logGroup.logGroupArn}:log-stream:${logStream.logStreamName}`],
      }),
    );
    // The network interfaces the application places in the VPC; EC2 scopes none of these calls to a resource.
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: [
          'ec2:DescribeVpcs',
          'ec2:DescribeSubnets',
          'ec2:DescribeSecurityGroups',
          'ec2:DescribeDhcpOptions',
          'ec2:DescribeNetworkInterfaces',
          'ec2:CreateNetworkInterface',
          'ec2:CreateNetworkInterfacePermission',
          'ec2:DeleteNetworkInterface',
        ],
        resources: ['*'],
      }),
    );

    const generation = config.analytics.replay?.generation ?? 0;
    const keyPrefix = experimentKeyPrefix(props.flagStatusKeyPrefix, generation);
    const properties: Record<string, string> = {
      streamName: props.stream.streamName,
      region: this.region,
      // A replay's generation starts from the replay's time; otherwise the first start reads as configured, and
      // every later start resumes from the application's latest snapshot.
      startingPosition: config.analytics.replay?.from ?? config.analytics.firstStart,
      experiments: `s3://${props.configBucket.bucketName}/${EXPERIMENTS_OBJECT_KEY}`,
      redisUrl: `rediss://${props.redisEndpoint.host}:${props.redisEndpoint.port}`,
      redisAuthSecretArn: props.redisAuthToken.secretArn,
      keyPrefix,
      generation: String(generation),
      pollIntervalSeconds: '1',
    };
    this.application = new kda.CfnApplication(this, 'Application', {
      runtimeEnvironment: 'FLINK-2_2',
      applicationMode: 'STREAMING',
      applicationDescription: `experiment results (${config.name})`,
      serviceExecutionRole: role.roleArn,
      applicationConfiguration: {
        applicationCodeConfiguration: {
          codeContentType: 'ZIPFILE',
          codeContent: { s3ContentLocation: { bucketArn: jar.bucket.bucketArn, fileKey: jar.s3ObjectKey } },
        },
        applicationSnapshotConfiguration: { snapshotsEnabled: true },
        // An update that fails to start rolls back to the last version that ran, with its snapshot.
        applicationSystemRollbackConfiguration: { rollbackEnabled: true },
        environmentProperties: { propertyGroups: [{ propertyGroupId: JOB_PROPERTY_GROUP, propertyMap: properties }] },
        flinkApplicationConfiguration: {
          checkpointConfiguration: {
            configurationType: 'CUSTOM',
            checkpointingEnabled: true,
            checkpointInterval: CHECKPOINT_INTERVAL.toMilliseconds(),
            minPauseBetweenCheckpoints: 5_000,
          },
          monitoringConfiguration: { configurationType: 'CUSTOM', logLevel: 'INFO', metricsLevel: 'APPLICATION' },
          // The planner's parallelism, fixed: autoscaling would rescale on CPU alone, not on the state it holds.
          parallelismConfiguration: {
            configurationType: 'CUSTOM',
            parallelism: plan.parallelism,
            parallelismPerKpu: 1,
            autoScalingEnabled: false,
          },
        },
        vpcConfigurations: [
          {
            subnetIds: props.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }).subnetIds,
            securityGroupIds: [props.securityGroup.securityGroupId],
          },
        ],
      },
      // A replay's generation finds none of its operators in the snapshot, whose state is then dropped.
      runConfiguration: {
        applicationRestoreConfiguration: { applicationRestoreType: 'RESTORE_FROM_LATEST_SNAPSHOT' },
        flinkRunConfiguration: { allowNonRestoredState: true },
      },
    });
    this.application.node.addDependency(role);
    const logging = new kda.CfnApplicationCloudWatchLoggingOption(this, 'Logging', {
      applicationName: this.application.ref,
      cloudWatchLoggingOption: {
        logStreamArn: `arn:${this.partition}:logs:${this.region}:${this.account}:log-group:${logGroup.logGroupName}:log-stream:${logStream.logStreamName}`,
      },
    });

    // CloudFormation creates the application without running it: start it once, when it is created.
    const applicationArn = `arn:${this.partition}:kinesisanalytics:${this.region}:${this.account}:application/${this.application.ref}`;
    const start = new cr.AwsCustomResource(this, 'StartApplication', {
      onCreate: {
        service: 'KinesisAnalyticsV2',
        action: 'startApplication',
        parameters: {
          ApplicationName: this.application.ref,
          RunConfiguration: {
            ApplicationRestoreConfiguration: { ApplicationRestoreType: 'SKIP_RESTORE_FROM_SNAPSHOT' },
            FlinkRunConfiguration: { AllowNonRestoredState: true },
          },
        },
        physicalResourceId: cr.PhysicalResourceId.of(`${this.stackName}-start-application`),
      },
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['kinesisanalytics:StartApplication'], resources: [applicationArn] }),
      ]),
      installLatestAwsSdk: false,
    });
    start.node.addDependency(logging);

    const applicationMetric = (metricName: string, statistic: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/KinesisAnalytics',
        metricName,
        dimensionsMap: { Application: this.application.ref },
        statistic,
        period: Duration.minutes(1),
      });
    const alarmSet = new AlarmSet(this, props.alarmTopic);
    const alarm = alarmSet.add.bind(alarmSet);
    this.alarms = alarmSet.alarms;
    alarm(
      'Downtime',
      applicationMetric('downtime', 'Maximum'),
      0,
      'The experiment job is not running (failing or restarting): results stop moving.',
    );
    alarm(
      'FailedCheckpoints',
      new cloudwatch.MathExpression({
        expression: 'DIFF(failed)',
        usingMetrics: { failed: applicationMetric('numberOfFailedCheckpoints', 'Maximum') },
        label: 'checkpoints failed in the minute',
        period: Duration.minutes(1),
      }),
      0,
      'The experiment job keeps failing its checkpoints: a restart would re-read ever more of the stream.',
    );
    alarm(
      'CheckpointDuration',
      applicationMetric('lastCheckpointDuration', 'Maximum'),
      CHECKPOINT_INTERVAL.toMilliseconds() / 2,
      'Checkpoints take more than half their interval: the state outgrows its KPUs (npm run plan).',
    );
    alarm(
      'BehindStream',
      applicationMetric('millisBehindLatest', 'Maximum'),
      BEHIND_ALARM.toMilliseconds(),
      'The experiment job reads more than 5 minutes behind the newest record: results are stale.',
    );
    // The application logs JSON lines, each naming the application's ARN and carrying the log text as its message.
    new logs.MetricFilter(this, 'SetAsideFilter', {
      logGroup,
      filterPattern: logs.FilterPattern.stringValue('$.message', '=', `*${SET_ASIDE_LOG_TERM}*`),
      metricNamespace: SET_ASIDE_METRIC.namespace,
      metricName: SET_ASIDE_METRIC.metricName,
      metricValue: '1',
      dimensions: { Application: '$.applicationARN' },
    });
    alarm(
      'RecordsSetAside',
      new cloudwatch.Metric({
        ...SET_ASIDE_METRIC,
        dimensionsMap: { Application: applicationArn },
        statistic: 'Sum',
        period: Duration.minutes(1),
      }),
      0,
      'The experiment job set corrupt records aside; their bytes are in its log, under "set aside a corrupt record".',
    );

    new CfnOutput(this, 'ApplicationName', { value: this.application.ref });
    new CfnOutput(this, 'ExperimentsObjectKey', {
      value: EXPERIMENTS_OBJECT_KEY,
      description: 'upload the experiment definitions under this key of the Stores stack’s ProducerConfigBucket',
    });
    new CfnOutput(this, 'FiguresKeyPrefix', { value: keyPrefix });
  }
}
