import { CfnOutput, Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ConsumerName, EnvironmentConfig } from '../config/environment-config';
import { KinesisConsumer } from '../constructs/kinesis-consumer';
import { PipelineFunction } from '../constructs/pipeline-function';

export interface ConsumerStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly consumer: ConsumerName;
  readonly stream: kinesis.IStream;
  readonly vpc: ec2.IVpc;
  readonly securityGroup: ec2.ISecurityGroup;
  readonly alarmTopic: sns.ITopic;
  /** @default a role CDK creates */
  readonly role?: iam.IRole;
  /** Where the function sets aside, with their bytes, records and events it can never apply. */
  readonly poisonBucket: s3.IBucket;
  /** Grants the function its store and tells it where the store is. */
  readonly bindStore: (fn: PipelineFunction) => void;
}

const ENTRIES = { contextsIndexer: 'contexts-indexer', flagStatus: 'flag-status' } as const;

/** One consumer per stack, so on-call redeploys (or replays) one without touching the others. */
export class ConsumerStack extends Stack {
  readonly function: PipelineFunction;
  readonly consumer: KinesisConsumer;

  constructor(scope: Construct, id: string, props: ConsumerStackProps) {
    super(scope, id, props);
    const settings = props.config.consumers[props.consumer];
    const removalPolicy = props.config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.function = new PipelineFunction(this, 'Handler', {
      entry: ENTRIES[props.consumer],
      memoryMb: settings.memoryMb,
      timeout: Duration.seconds(settings.timeoutSeconds),
      reservedConcurrency: settings.reservedConcurrency,
      vpc: props.vpc,
      securityGroups: [props.securityGroup],
      // A role from another stack is imported as mutable, so the grants made here land in a policy of this stack.
      role: props.role && iam.Role.fromRoleArn(this, 'Role', props.role.roleArn, { mutable: true }),
      removalPolicy,
    });
    props.bindStore(this.function);
    const poisonPrefix = `poison/${ENTRIES[props.consumer]}/`;
    this.function.bindPoisonBucket(props.poisonBucket, poisonPrefix);
    this.function.bindGeneration(settings);
    this.consumer = new KinesisConsumer(this, 'Consumer', {
      name: ENTRIES[props.consumer],
      stream: props.stream,
      function: this.function.function,
      settings,
      alarmTopic: props.alarmTopic,
      removalPolicy,
      retentionHours: props.config.stream.retentionHours,
    });
    // What `npm run redrive` needs to find: the generation's alias, the poison prefix and the failure queue.
    new CfnOutput(this, 'FunctionAlias', { value: this.consumer.alias.functionArn });
    new CfnOutput(this, 'PoisonPrefix', { value: poisonPrefix });
    new CfnOutput(this, 'FailureQueueUrl', { value: this.consumer.deadLetterQueue.queueUrl });
  }
}
