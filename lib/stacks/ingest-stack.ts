import { FIREWALL_MANAGED_RULE_GROUPS } from '../firewall-rules';
import { CfnOutput, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { AlarmSet } from '../constructs/alarm-set';
import { EnvironmentConfig } from '../config/environment-config';
import { ProducerFleet } from '../constructs/producer-fleet';
import { allowTcp } from '../constructs/security-group-rules';

export interface IngestStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly vpc: ec2.IVpc;
  /** The interface endpoints' group: the fleet opens HTTPS to it from this stack. */
  readonly endpointSecurityGroup: ec2.ISecurityGroup;
  readonly stream: kinesis.IStream;
  readonly configBucket: s3.IBucket;
  readonly accessLogsBucket: s3.IBucket;
  readonly alarmTopic: sns.ITopic;
}

const PRODUCER_NAMESPACE = 'EventsPipeline/Producer';

/** Stateless: the internet-facing load balancer and the events API fleet behind it. */
export class IngestStack extends Stack {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly fleet: ProducerFleet;
  readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: IngestStackProps) {
    super(scope, id, props);
    const { config } = props;
    const albSecurityGroup = new ec2.SecurityGroup(this, 'LoadBalancerSecurityGroup', {
      vpc: props.vpc,
      description: 'events API load balancer: SDKs from anywhere',
      allowAllOutbound: false,
    });
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      internetFacing: true,
      securityGroup: albSecurityGroup,
      dropInvalidHeaderFields: true,
      deletionProtection: config.deletionProtection,
    });
    this.loadBalancer.logAccessLogs(props.accessLogsBucket, 'alb');

    const fleetSecurityGroup = new ec2.SecurityGroup(this, 'FleetSecurityGroup', {
      vpc: props.vpc,
      description: 'events API instances',
      allowAllOutbound: false,
    });
    // The isolated subnets route nowhere but the VPC and the S3 gateway endpoint, so this reaches S3 and no further.
    fleetSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to S3 through the gateway endpoint');
    allowTcp(this, 'FleetToEndpoints', fleetSecurityGroup, props.endpointSecurityGroup, 443, 'events API to AWS APIs');
    this.fleet = new ProducerFleet(this, 'Fleet', {
      config,
      vpc: props.vpc,
      securityGroup: fleetSecurityGroup,
      stream: props.stream,
      configBucket: props.configBucket,
      notificationTopic: props.alarmTopic,
    });

    let listener: elbv2.ApplicationListener;
    if (config.domain) {
      albSecurityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'SDKs over HTTPS');
      listener = this.loadBalancer.addListener('Https', {
        port: 443,
        open: false,
        certificates: [acm.Certificate.fromCertificateArn(this, 'Certificate', config.domain.certificateArn)],
        sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      });
      // An SDK configured with http:// gets a permanent redirect, never an answer in plain text.
      albSecurityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80), 'HTTP, redirected to HTTPS');
      this.loadBalancer.addRedirect({ sourcePort: 80, targetPort: 443, open: false });
    } else {
      albSecurityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80), 'SDKs over plain HTTP (dev only)');
      listener = this.loadBalancer.addListener('Http', { port: 80, open: false });
    }
    const targetGroup = this.fleet.attachTo(listener, config);
    if (config.firewall) this.addFirewall(config.firewall.requestsPerIpPer5Minutes);

    const alarmSet = new AlarmSet(this, props.alarmTopic);
    const alarm = alarmSet.add.bind(alarmSet);
    this.alarms = alarmSet.alarms;
    const producer = (metricName: string, statistic: string, dimensionsMap: Record<string, string> = {}) =>
      new cloudwatch.Metric({
        namespace: PRODUCER_NAMESPACE,
        metricName,
        statistic,
        dimensionsMap: { service: 'events-api', ...dimensionsMap },
        period: Duration.minutes(1),
      });
    alarm(
      'LoadBalancer5xx',
      this.loadBalancer.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { statistic: 'Sum' }),
      10,
      'The load balancer answers 5xx.',
    );
    alarm(
      'Targets5xx',
      targetGroup.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { statistic: 'Sum' }),
      10,
      'The events API answers 5xx (503: buffer full or draining).',
    );
    alarm(
      'UnhealthyTargets',
      targetGroup.metrics.unhealthyHostCount({ statistic: 'Maximum' }),
      0,
      'Instances fail /health.',
    );
    alarm('PutRequestErrors', producer('putRequestErrors', 'Sum'), 0, 'PutRecords calls fail.');
    alarm(
      'BufferFill',
      producer('bufferFillPercent', 'Maximum'),
      50,
      'The write buffer is filling: Kinesis is slow or throttling.',
    );
    alarm(
      'BufferFull',
      producer('payloadsRejected', 'Sum', { Reason: 'buffer_full' }),
      0,
      'Payloads refused with 503 because the buffer is full.',
    );
    alarm('Spilled', producer('recordsSpilled', 'Sum'), 0, 'Records went to local disk after their retries.');
    alarm(
      'InstancesInService',
      new cloudwatch.Metric({
        namespace: 'AWS/AutoScaling',
        metricName: 'GroupInServiceInstances',
        dimensionsMap: { AutoScalingGroupName: this.fleet.autoScalingGroup.autoScalingGroupName },
        statistic: 'Minimum',
        period: Duration.minutes(1),
      }),
      config.fleet.minCapacity,
      `Fewer than the fleet's minimum of ${config.fleet.minCapacity} instances are in service.`,
      cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    );

    new CfnOutput(this, 'EventsUrl', {
      value: `${config.domain ? 'https' : 'http'}://${config.domain?.name ?? this.loadBalancer.loadBalancerDnsName}`,
    });
    // What `npm run doctor` asks about.
    new CfnOutput(this, 'FleetGroupName', { value: this.fleet.autoScalingGroup.autoScalingGroupName });
    new CfnOutput(this, 'FleetTargetGroupArn', { value: targetGroup.targetGroupArn });
  }

  /**
   * AWS WAF on the load balancer. AWS's common rule set is left out: its body size rule blocks bodies over 8 KB,
   * and SDK payloads are larger; the API checks bodies itself.
   */
  private addFirewall(requestsPerIpPer5Minutes: number): void {
    const visibility = (metricName: string) => ({
      cloudWatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: true,
    });
    const managed = (priority: number, name: string) => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
      visibilityConfig: visibility(name),
    });
    const firewall = new wafv2.CfnWebACL(this, 'Firewall', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(`${this.stackName}-firewall`),
      rules: [
        {
          name: 'RequestsPerIp',
          priority: 0,
          action: { block: {} },
          statement: { rateBasedStatement: { limit: requestsPerIpPer5Minutes, aggregateKeyType: 'IP' } },
          visibilityConfig: visibility('RequestsPerIp'),
        },
        ...FIREWALL_MANAGED_RULE_GROUPS.map((name, i) => managed(i + 1, name)),
      ],
    });
    new wafv2.CfnWebACLAssociation(this, 'FirewallAssociation', {
      resourceArn: this.loadBalancer.loadBalancerArn,
      webAclArn: firewall.attrArn,
    });
  }
}
