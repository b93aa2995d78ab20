import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  KinesisConsumerEventSource,
  KinesisEventSource,
  KinesisEventSourceProps,
  SqsDlq,
} from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AlarmSet } from './alarm-set';
import { ConsumerSettings } from '../config/environment-config';
import { DEFAULT_EVENT_TIME_WINDOW } from '../../lambdas/shared/event-time';
import { replayReadFromMs } from '../../lambdas/shared/generations';

export interface KinesisConsumerProps {
  /** The consumer's name: with enhanced fan-out, each generation registers `<name>-generation-<n>` on the stream. */
  readonly name: string;
  readonly stream: kinesis.IStream;
  readonly function: lambda.IFunction & { readonly currentVersion: lambda.IVersion };
  readonly settings: ConsumerSettings;
  readonly alarmTopic: sns.ITopic;
  readonly removalPolicy: RemovalPolicy;
  /** The stream's retention: the failure queue keeps a pointer no longer than the records it points at. */
  readonly retentionHours: number;
}

/**
 * Where a generation starts: the stream's oldest record at first; after a replay, its hour-aligned start less how far
 * ahead of its record an event's time may be, so every event the generation owns is read.
 */
export function startingPosition(settings: ConsumerSettings) {
  return settings.replay
    ? {
        startingPosition: lambda.StartingPosition.AT_TIMESTAMP,
        startingPositionTimestamp:
          replayReadFromMs(Date.parse(settings.replay.from), DEFAULT_EVENT_TIME_WINDOW.futureMs) / 1000,
      }
    : { startingPosition: lambda.StartingPosition.TRIM_HORIZON };
}

/**
 * A consumer with its own position in the stream: an event source mapping per generation, onto an alias per
 * generation. A replay bumps the generation, so CloudFormation creates the new alias and mapping (a different
 * function ARN, so no "mapping already exists") and deletes the old ones in the same deploy.
 */
export class KinesisConsumer extends Construct {
  readonly alias: lambda.Alias;
  readonly deadLetterQueue: sqs.Queue;
  readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: KinesisConsumerProps) {
    super(scope, id);
    const { settings } = props;
    const generation = settings.replay?.generation ?? 0;
    const key = new kms.Key(this, 'FailureQueueKey', { enableKeyRotation: true, removalPolicy: props.removalPolicy });
    this.deadLetterQueue = new sqs.Queue(this, 'FailedRecords', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      retentionPeriod: Duration.hours(props.retentionHours),
      enforceSSL: true,
      removalPolicy: props.removalPolicy,
    });
    this.alias = new lambda.Alias(this, `Generation${generation}`, {
      aliasName: `generation-${generation}`,
      version: props.function.currentVersion,
    });
    const mapping: KinesisEventSourceProps = {
      ...startingPosition(settings),
      batchSize: settings.batchSize,
      maxBatchingWindow: Duration.seconds(settings.batchingWindowSeconds),
      parallelizationFactor: settings.parallelizationFactor,
      bisectBatchOnError: true,
      reportBatchItemFailures: true,
      // Left out, the mapping's MaximumRetryAttempts and MaximumRecordAgeInSeconds are -1: unlimited.
      retryAttempts: settings.maxRetryAttempts === -1 ? undefined : settings.maxRetryAttempts,
      maxRecordAge: settings.maxRecordAgeSeconds === -1 ? undefined : Duration.seconds(settings.maxRecordAgeSeconds),
      onFailure: new SqsDlq(this.deadLetterQueue),
    };
    // With enhanced fan-out each generation reads through a stream consumer of its own, so a replay's catch-up
    // takes nothing from the live generation or the other readers.
    this.alias.addEventSource(
      settings.enhancedFanOut
        ? new KinesisConsumerEventSource(
            new kinesis.StreamConsumer(this, `StreamConsumer${generation}`, {
              stream: props.stream,
              streamConsumerName: `${props.name}-generation-${generation}`,
            }),
            mapping,
          )
        : new KinesisEventSource(props.stream, mapping),
    );

    const alarmSet = new AlarmSet(this, props.alarmTopic);
    const alarm = alarmSet.add.bind(alarmSet);
    this.alarms = alarmSet.alarms;
    const byAlias = {
      FunctionName: props.function.functionName,
      Resource: `${props.function.functionName}:${this.alias.aliasName}`,
    };
    alarm(
      'IteratorAge',
      new cloudwatch.Metric({
        namespace: 'AWS/Lambda',
        metricName: 'IteratorAge',
        dimensionsMap: byAlias,
        statistic: 'Maximum',
      }),
      60_000,
      'The consumer is more than a minute behind the stream.',
    );
    alarm(
      'Errors',
      new cloudwatch.Metric({
        namespace: 'AWS/Lambda',
        metricName: 'Errors',
        dimensionsMap: byAlias,
        statistic: 'Sum',
      }),
      0,
      'Invocations failed as a whole (a store is unreachable or the handler crashed).',
    );
    alarm(
      'Throttles',
      new cloudwatch.Metric({
        namespace: 'AWS/Lambda',
        metricName: 'Throttles',
        dimensionsMap: byAlias,
        statistic: 'Sum',
      }),
      0,
      'Invocations are throttled: both generations share the reserved concurrency, so a replay may need more.',
    );
    alarm(
      'FailedRecordsWaiting',
      this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum' }),
      0,
      'Records gave up after bounded retries (only a mapping configured with limits does) and wait in the failure queue.',
    );
  }
}
