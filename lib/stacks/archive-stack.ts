import { CfnOutput, Duration, RemovalPolicy, Size, Stack, StackProps } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AlarmSet } from '../constructs/alarm-set';
import {
  ARCHIVE_FILE_EXTENSION,
  ARCHIVE_TRANSFORM,
  archiveDataPrefix,
  archiveErrorPrefix,
  TRANSFORM_BUFFER_MB,
} from '../archive-layout';
import { EnvironmentConfig } from '../config/environment-config';
import { PipelineFunction } from '../constructs/pipeline-function';
import { archiveDatabase, archiveWorkgroup } from '../archive-query';
import { ARCHIVE_COLUMNS, ARCHIVE_PARTITIONS, ARCHIVE_TABLE, glueType } from '../archive-schema';

export interface ArchiveStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly stream: kinesis.IStream;
  readonly bucket: s3.IBucket;
  /** Where the query results bucket logs its access. */
  readonly accessLogsBucket: s3.IBucket;
  readonly alarmTopic: sns.ITopic;
}

/**
 * Stateless: Firehose reads the stream with its own position, the archive-transform Lambda turns each record into
 * newline-delimited JSON, and Firehose writes large GZIP objects by hour instead of thousands of small ones. The
 * archive is a table in the Glue Data Catalog, queried in an Athena workgroup of its own.
 */
export class ArchiveStack extends Stack {
  readonly deliveryStream: firehose.DeliveryStream;
  readonly table: glue.CfnTable;
  readonly workgroup: athena.CfnWorkGroup;
  readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: ArchiveStackProps) {
    super(scope, id, props);
    const { config } = props;
    const transform = new PipelineFunction(this, 'Transform', {
      entry: 'archive-transform',
      memoryMb: ARCHIVE_TRANSFORM.memoryMb,
      timeout: Duration.seconds(ARCHIVE_TRANSFORM.timeoutSeconds),
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.deliveryStream = new firehose.DeliveryStream(this, 'Archive', {
      source: new firehose.KinesisStreamSource(props.stream),
      destination: new firehose.S3Bucket(props.bucket, {
        // Records mix environments and kinds (that is what keeps them near 25 KB), and Firehose cannot split one
        // record across partitions, so objects are partitioned by arrival hour; each line names its environment and kind.
        dataOutputPrefix: archiveDataPrefix(config.name),
        errorOutputPrefix: archiveErrorPrefix(config.name),
        // The transform answers GZIP members already (see its handler); Firehose writes them as they are.
        compression: firehose.Compression.UNCOMPRESSED,
        fileExtension: ARCHIVE_FILE_EXTENSION,
        bufferingInterval: Duration.seconds(config.archive.bufferSeconds),
        bufferingSize: Size.mebibytes(config.archive.bufferMb),
        processors: [
          // The buffer hint is set below: CDK writes it in whole MiB, and the transform needs less than one.
          new firehose.LambdaFunctionProcessor(transform.function, {
            bufferInterval: Duration.seconds(60),
            retries: ARCHIVE_TRANSFORM.retries,
          }),
        ],
      }),
    });
    // After RoleArn, LambdaArn, BufferIntervalInSeconds and NumberOfRetries, the parameters CDK writes.
    (this.deliveryStream.node.defaultChild as firehose.CfnDeliveryStream).addPropertyOverride(
      'ExtendedS3DestinationConfiguration.ProcessingConfiguration.Processors.0.Parameters.4',
      { ParameterName: 'BufferSizeInMBs', ParameterValue: String(TRANSFORM_BUFFER_MB) },
    );

    ({ table: this.table, workgroup: this.workgroup } = this.queryable(props));

    const alarmSet = new AlarmSet(this, props.alarmTopic);
    const alarm = alarmSet.add.bind(alarmSet);
    this.alarms = alarmSet.alarms;
    alarm(
      'Freshness',
      this.deliveryStream.metric('DeliveryToS3.DataFreshness', { statistic: 'Maximum' }),
      config.archive.bufferSeconds + 900,
      'The oldest record in Firehose waits longer than its buffer interval plus 15 minutes.',
    );
    alarm(
      'TransformFailures',
      this.deliveryStream.metric('ExecuteProcessing.Success', { statistic: 'Minimum' }),
      1,
      'Some archive-transform invocations failed.',
      cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    );
    alarm(
      'SourceThrottled',
      this.deliveryStream.metric('ThrottledGetRecords', { statistic: 'Sum' }),
      0,
      'Firehose is throttled reading the stream: too many readers share a shard.',
    );
    // Written by the transform in embedded-metric format (Powertools: the service name is its one dimension).
    const transformMetric = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: 'EventsPipeline/Consumers',
        metricName,
        dimensionsMap: { service: 'archive-transform' },
        statistic: 'Sum',
      });
    alarm(
      'RecordsSetAside',
      new cloudwatch.MathExpression({
        expression: 'corrupt + overBudget',
        usingMetrics: { corrupt: transformMetric('corruptRecords'), overBudget: transformMetric('overBudgetRecords') },
        label: 'records answered ProcessingFailed',
      }),
      0,
      'The transform set records aside under the error prefix (corrupt, or past its answer budget).',
    );
    alarm(
      'TransformErrors',
      transform.function.metricErrors({ statistic: 'Sum' }),
      0,
      'The archive-transform Lambda errors.',
    );
  }

  /**
   * The archive as the table `events`: its columns from the archive line's schema, read by the OpenX JSON SerDe (a
   * nested value in a string column reads as its JSON text), its partitions projected from the prefix Firehose
   * writes (no crawler, no MSCK REPAIR), and a workgroup whose settings every query takes: encrypted results that
   * expire, and a limit on what one query may scan.
   */
  private queryable(props: ArchiveStackProps): { table: glue.CfnTable; workgroup: athena.CfnWorkGroup } {
    const { config } = props;
    const database = new glue.CfnDatabase(this, 'Database', {
      catalogId: this.account,
      databaseInput: { name: archiveDatabase(config.name), description: `the events archive of ${config.name}` },
    });
    const location = `s3://${props.bucket.bucketName}/events/`;
    const table = new glue.CfnTable(this, 'Table', {
      catalogId: this.account,
      databaseName: archiveDatabase(config.name),
      tableInput: {
        name: ARCHIVE_TABLE,
        description: 'every event the pipeline accepted, one row each, as the archive transform wrote it',
        tableType: 'EXTERNAL_TABLE',
        partitionKeys: ARCHIVE_PARTITIONS.map((name) => ({ name, type: 'string' })),
        storageDescriptor: {
          columns: Object.entries(ARCHIVE_COLUMNS).map(([name, type]) => ({
            name: name.toLowerCase(),
            type: glueType(type),
          })),
          location,
          inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          compressed: true,
          serdeInfo: {
            serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
            parameters: { 'case.insensitive': 'true', 'ignore.malformed.json': 'false' },
          },
        },
        parameters: {
          classification: 'json',
          'projection.enabled': 'true',
          'projection.environment.type': 'enum',
          'projection.environment.values': config.name,
          'projection.dt.type': 'date',
          'projection.dt.format': 'yyyy-MM-dd',
          // Nothing older is kept: the bucket expires objects after this many days.
          'projection.dt.range': `NOW-${config.archive.expireAfterDays}DAYS,NOW`,
          'projection.dt.interval': '1',
          'projection.dt.interval.unit': 'DAYS',
          'projection.hour.type': 'integer',
          'projection.hour.range': '0,23',
          'projection.hour.digits': '2',
          'storage.location.template': `${location}environment=\${environment}/dt=\${dt}/hour=\${hour}/`,
        },
      },
    });
    table.node.addDependency(database);

    const results = new s3.Bucket(this, 'QueryResults', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'query-results/',
      lifecycleRules: [{ expiration: Duration.days(config.archive.queryResultsDays) }],
      // Results are copies of what the archive holds: nothing to keep when the stack goes.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });
    const workgroup = new athena.CfnWorkGroup(this, 'Workgroup', {
      name: archiveWorkgroup(config.name),
      description: `queries of the ${config.name} events archive`,
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: Math.round(config.archive.queryScanLimitGb * 1e9),
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${results.bucketName}/results/`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        },
      },
    });
    new CfnOutput(this, 'ArchiveDatabase', { value: archiveDatabase(config.name) });
    new CfnOutput(this, 'ArchiveWorkgroup', { value: workgroup.name });
    return { table, workgroup };
  }
}
