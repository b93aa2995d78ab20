import { Duration, RemovalPolicy, Size, Stack, StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
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

export interface ArchiveStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly stream: kinesis.IStream;
  readonly bucket: s3.IBucket;
  readonly alarmTopic: sns.ITopic;
}

/**
 * Stateless: Firehose reads the stream with its own position, the archive-transform Lambda turns each record into
 * newline-delimited JSON, and Firehose writes large GZIP objects by hour instead of thousands of small ones.
 */
export class ArchiveStack extends Stack {
  readonly deliveryStream: firehose.DeliveryStream;
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
}
