import { CfnOutput, Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { EnvironmentConfig } from '../config/environment-config';
import { environmentStreamPlan, StreamPlan } from '../planning/capacity';

export interface StreamStackProps extends StackProps {
  readonly config: EnvironmentConfig;
}

/** Stateful: the provisioned stream, sized by the planner from the declared load, and its key. */
export class StreamStack extends Stack {
  readonly stream: kinesis.Stream;
  readonly key: kms.Key;
  readonly plan: StreamPlan;

  constructor(scope: Construct, id: string, props: StreamStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.plan = environmentStreamPlan(config);
    const removalPolicy = config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.key = new kms.Key(this, 'StreamKey', {
      enableKeyRotation: true,
      removalPolicy,
      description: `events stream (${config.name})`,
    });
    this.stream = new kinesis.Stream(this, 'Events', {
      streamMode: kinesis.StreamMode.PROVISIONED,
      shardCount: this.plan.shards.provisioned,
      retentionPeriod: Duration.hours(config.stream.retentionHours),
      encryption: kinesis.StreamEncryption.KMS,
      encryptionKey: this.key,
      removalPolicy,
    });
    new CfnOutput(this, 'StreamName', { value: this.stream.streamName });
    new CfnOutput(this, 'Shards', {
      value: String(this.plan.shards.provisioned),
      description: 'computed from the declared peak load',
    });
  }
}
