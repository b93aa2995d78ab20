import { Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { EnvironmentConfig } from '../config/environment-config';

export interface AlertsStackProps extends StackProps {
  readonly config: EnvironmentConfig;
}

/** The topic every alarm notifies; first, so every other stack can use it. */
export class AlertsStack extends Stack {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: AlertsStackProps) {
    super(scope, id, props);
    const key = new kms.Key(this, 'AlertsKey', { enableKeyRotation: true });
    // CloudWatch alarms publish to the encrypted topic.
    key.grantEncryptDecrypt(new iam.ServicePrincipal('cloudwatch.amazonaws.com'));
    this.topic = new sns.Topic(this, 'Alarms', { masterKey: key, enforceSSL: true });
    if (props.config.alarmEmail)
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.config.alarmEmail));
  }
}
