import { INTERFACE_ENDPOINTS, InterfaceEndpoint } from '../interface-endpoints';
import { Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ConsumerName, EnvironmentConfig } from '../config/environment-config';
import { allowTcp } from '../constructs/security-group-rules';

const DATA_SERVICES = new Set(['Kinesis', 'SecretsManager']);

export interface NetworkStackProps extends StackProps {
  readonly config: EnvironmentConfig;
}

/**
 * A VPC with no NAT gateway: the fleet and the consumers reach AWS through interface endpoints in every AZ
 * (PrivateLink: $0.01/GB against NAT's $0.045/GB) and S3 through a gateway endpoint.
 */
export class NetworkStack extends Stack {
  readonly vpc: ec2.Vpc;
  /** One group per consumer, so each reaches its own store only. */
  readonly consumerSecurityGroups: Record<ConsumerName, ec2.SecurityGroup>;
  readonly endpointSecurityGroup: ec2.SecurityGroup;
  /** The experiment job's: reaches the AWS APIs and, through the Stores stack's rule, Redis. */
  readonly analyticsSecurityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props);
    const zoneIds = props.config.availabilityZoneIds;
    // CDK lays subnets out by AZ name; these names are labels only, each subnet is placed by its AZ ID below.
    const zoneLabels = zoneIds.map((_, i) => `${props.config.region}${'abcdef'[i]}`);
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      availabilityZones: zoneLabels,
      natGateways: 0,
      // The default security group allows all traffic between its members; nothing uses it, so it allows nothing.
      restrictDefaultSecurityGroup: true,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 20 },
      ],
      flowLogs: {
        rejected: {
          trafficType: ec2.FlowLogTrafficType.REJECT,
          destination: ec2.FlowLogDestination.toCloudWatchLogs(
            new logs.LogGroup(this, 'FlowLogs', { retention: logs.RetentionDays.ONE_MONTH }),
          ),
        },
      },
    });
    for (const subnet of [...this.vpc.publicSubnets, ...this.vpc.isolatedSubnets]) {
      const cfnSubnet = subnet.node.defaultChild as ec2.CfnSubnet;
      cfnSubnet.availabilityZone = undefined;
      cfnSubnet.availabilityZoneId = zoneIds[zoneLabels.indexOf(subnet.availabilityZone)];
    }
    this.endpointSecurityGroup = new ec2.SecurityGroup(this, 'Endpoints', {
      vpc: this.vpc,
      description: 'interface endpoints: HTTPS from the fleet and the consumers only (the fleet opens its rule itself)',
      allowAllOutbound: false,
    });
    const consumerGroup = (id: string, name: string) => {
      const group = new ec2.SecurityGroup(this, id, { vpc: this.vpc, description: name, allowAllOutbound: false });
      allowTcp(this, `${id}ToEndpoints`, group, this.endpointSecurityGroup, 443, `${name} to AWS APIs`);
      // Records set aside, and the experiments file, are in S3: the isolated subnets route 443 only to the endpoints.
      group.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to S3 through the gateway endpoint');
      return group;
    };
    this.consumerSecurityGroups = {
      contextsIndexer: consumerGroup('ContextsIndexer', 'contexts-indexer'),
      flagStatus: consumerGroup('FlagStatus', 'flag-status'),
    };
    this.analyticsSecurityGroup = consumerGroup('Analytics', 'experiment job');

    const account = Stack.of(this).account;
    const s3Endpoint = this.vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    // This account's buckets, and the Amazon Linux 2023 package repositories the fleet installs from at boot.
    s3Endpoint.addToPolicy(
      new iam.PolicyStatement({
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:ResourceAccount': account } },
      }),
    );
    s3Endpoint.addToPolicy(
      new iam.PolicyStatement({
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:GetObject'],
        resources: [`arn:aws:s3:::al2023-repos-${props.config.region}-de612dc2/*`],
      }),
    );

    const services: Record<InterfaceEndpoint, ec2.InterfaceVpcEndpointAwsService> = {
      Kinesis: ec2.InterfaceVpcEndpointAwsService.KINESIS_STREAMS,
      // The fleet's CloudWatch agent ships the API's logs and embedded-format metrics.
      Logs: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
      Ssm: ec2.InterfaceVpcEndpointAwsService.SSM,
      SsmMessages: ec2.InterfaceVpcEndpointAwsService.SSM_MESSAGES,
      Ec2Messages: ec2.InterfaceVpcEndpointAwsService.EC2_MESSAGES,
      SecretsManager: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
      // cfn-signal from the fleet's user data.
      CloudFormation: ec2.InterfaceVpcEndpointAwsService.CLOUDFORMATION,
      // The fleet's termination service completes its lifecycle action once its spill is in S3.
      AutoScaling: ec2.InterfaceVpcEndpointAwsService.AUTOSCALING,
    };
    for (const name of INTERFACE_ENDPOINTS) {
      const endpoint = this.vpc.addInterfaceEndpoint(name, {
        service: services[name],
        privateDnsEnabled: true,
        subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
        securityGroups: [this.endpointSecurityGroup],
        open: false,
      });
      // Only this account's principals, so no other account's credentials carry data out through the endpoints; the
      // stream and the secrets only of this account, so ours cannot write into another account's.
      const thisAccount = { 'aws:PrincipalAccount': account };
      endpoint.addToPolicy(
        new iam.PolicyStatement({
          principals: [new iam.AnyPrincipal()],
          actions: ['*'],
          resources: ['*'],
          conditions: {
            StringEquals: DATA_SERVICES.has(name) ? { ...thisAccount, 'aws:ResourceAccount': account } : thisAccount,
          },
        }),
      );
    }
  }
}
