import { CfnOutput, Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { EnvironmentConfig } from '../config/environment-config';
import { allowTcp } from '../constructs/security-group-rules';

export interface StoresStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly vpc: ec2.IVpc;
  /** OpenSearch admits the first, Redis the second, and neither the other. */
  readonly contextsIndexerSecurityGroup: ec2.ISecurityGroup;
  readonly flagStatusSecurityGroup: ec2.ISecurityGroup;
  /** The experiment job writes its figures to the same Redis. */
  readonly analyticsSecurityGroup: ec2.ISecurityGroup;
}

/**
 * Stateful: the stores the consumers write (OpenSearch, Redis), the archive bucket, the bucket the fleet reads its
 * tenant file from, and the contexts-indexer's role, which the domain's access policy names as its only principal.
 */
export class StoresStack extends Stack {
  readonly domain: opensearch.Domain;
  readonly contextsIndexerRole: iam.Role;
  readonly redisEndpoint: { host: string; port: string };
  readonly redisReplicationGroupId: string;
  readonly redisAuthToken: secretsmanager.Secret;
  readonly archiveBucket: s3.Bucket;
  readonly configBucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: StoresStackProps) {
    super(scope, id, props);
    const { config, vpc } = props;
    const removalPolicy = config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const isolated = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(config.archive.expireAfterDays) }],
      removalPolicy,
      autoDeleteObjects: !config.retainData,
    });
    const bucket = (name: string, lifecycleRules: s3.LifecycleRule[]) =>
      new s3.Bucket(this, name, {
        encryption: s3.BucketEncryption.S3_MANAGED,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        enforceSSL: true,
        versioned: true,
        serverAccessLogsBucket: this.accessLogsBucket,
        serverAccessLogsPrefix: `${name.toLowerCase()}/`,
        lifecycleRules,
        removalPolicy,
        autoDeleteObjects: !config.retainData,
      });
    this.archiveBucket = bucket('Archive', [
      {
        transitions: [
          {
            storageClass: s3.StorageClass.INFREQUENT_ACCESS,
            transitionAfter: Duration.days(config.archive.infrequentAccessAfterDays),
          },
        ],
        expiration: Duration.days(config.archive.expireAfterDays),
        noncurrentVersionExpiration: Duration.days(7),
      },
    ]);
    this.configBucket = bucket('ProducerConfig', [{ noncurrentVersionExpiration: Duration.days(30) }]);

    this.contextsIndexerRole = new iam.Role(this, 'ContextsIndexerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'contexts-indexer: the only principal the OpenSearch domain admits',
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaVPCAccessExecutionRole')],
    });

    const domainSecurityGroup = new ec2.SecurityGroup(this, 'DomainSecurityGroup', {
      vpc,
      description: 'OpenSearch',
      allowAllOutbound: false,
    });
    allowTcp(
      this,
      'ContextsIndexerToOpenSearch',
      props.contextsIndexerSecurityGroup,
      domainSecurityGroup,
      443,
      'contexts-indexer to OpenSearch',
    );
    const searchLogs = new logs.LogGroup(this, 'SearchSlowLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy,
    });
    const zones = config.openSearch.zoneAwareness ? Math.min(config.availabilityZoneIds.length, 3) : 1;
    // A VPC domain needs OpenSearch's service-linked role, which a fresh account lacks and CloudFormation cannot make
    // idempotently (AWS::IAM::ServiceLinkedRole fails where it exists): create it, accepting "already exists".
    const serviceLinkedRole = new cr.AwsCustomResource(this, 'OpenSearchServiceLinkedRole', {
      onCreate: {
        service: 'IAM',
        action: 'createServiceLinkedRole',
        parameters: { AWSServiceName: 'opensearchservice.amazonaws.com' },
        physicalResourceId: cr.PhysicalResourceId.of('opensearchservice-service-linked-role'),
        ignoreErrorCodesMatching: 'InvalidInput',
      },
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({
          actions: ['iam:CreateServiceLinkedRole'],
          resources: [
            `arn:${this.partition}:iam::${this.account}:role/aws-service-role/opensearchservice.amazonaws.com/*`,
          ],
          conditions: { StringLike: { 'iam:AWSServiceName': 'opensearchservice.amazonaws.com' } },
        }),
      ]),
      installLatestAwsSdk: false,
    });
    this.domain = new opensearch.Domain(this, 'Contexts', {
      version: opensearch.EngineVersion.OPENSEARCH_2_19,
      vpc,
      vpcSubnets: [{ ...isolated, availabilityZones: vpc.availabilityZones.slice(0, zones) }],
      securityGroups: [domainSecurityGroup],
      capacity: {
        dataNodes: config.openSearch.dataNodes,
        dataNodeInstanceType: config.openSearch.dataNodeInstanceType,
        masterNodes: config.openSearch.dedicatedMasters?.count,
        masterNodeInstanceType: config.openSearch.dedicatedMasters?.instanceType,
        multiAzWithStandbyEnabled: false,
      },
      zoneAwareness: config.openSearch.zoneAwareness
        ? { enabled: true, availabilityZoneCount: zones }
        : { enabled: false },
      ebs: { volumeSize: config.openSearch.volumeGb, volumeType: ec2.EbsDeviceVolumeType.GP3 },
      encryptionAtRest: { enabled: true },
      nodeToNodeEncryption: true,
      enforceHttps: true,
      tlsSecurityPolicy: opensearch.TLSSecurityPolicy.TLS_1_2,
      logging: {
        slowSearchLogEnabled: true,
        slowSearchLogGroup: searchLogs,
        slowIndexLogEnabled: true,
        slowIndexLogGroup: searchLogs,
        appLogEnabled: true,
        appLogGroup: searchLogs,
      },
      accessPolicies: [
        new iam.PolicyStatement({
          principals: [this.contextsIndexerRole],
          actions: ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost', 'es:ESHttpPut'],
          resources: [`arn:${Stack.of(this).partition}:es:${this.region}:${this.account}:domain/*`],
        }),
      ],
      removalPolicy,
    });
    this.domain.node.addDependency(serviceLinkedRole);

    this.redisAuthToken = new secretsmanager.Secret(this, 'RedisAuthToken', {
      description: 'AUTH token of the flag-status Redis',
      // AUTH tokens: 16–128 printable characters, none of @ " /
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy,
    });
    const redisSecurityGroup = new ec2.SecurityGroup(this, 'RedisSecurityGroup', {
      vpc,
      description: 'Redis',
      allowAllOutbound: false,
    });
    allowTcp(
      this,
      'FlagStatusToRedis',
      props.flagStatusSecurityGroup,
      redisSecurityGroup,
      6379,
      'flag-status to Redis',
    );
    allowTcp(
      this,
      'AnalyticsToRedis',
      props.analyticsSecurityGroup,
      redisSecurityGroup,
      6379,
      'experiment job to Redis',
    );
    const subnetGroup = new elasticache.CfnSubnetGroup(this, 'RedisSubnets', {
      description: 'flag-status Redis',
      subnetIds: vpc.selectSubnets(isolated).subnetIds,
    });
    const redis = new elasticache.CfnReplicationGroup(this, 'FlagStatus', {
      replicationGroupDescription: `flag status (${config.name})`,
      engine: 'redis',
      engineVersion: '7.1',
      cacheNodeType: config.redis.nodeType,
      numCacheClusters: 1 + config.redis.replicas,
      multiAzEnabled: config.redis.multiAz,
      automaticFailoverEnabled: config.redis.multiAz,
      transitEncryptionEnabled: true,
      atRestEncryptionEnabled: true,
      authToken: this.redisAuthToken.secretValue.unsafeUnwrap(),
      cacheSubnetGroupName: subnetGroup.ref,
      securityGroupIds: [redisSecurityGroup.securityGroupId],
      snapshotRetentionLimit: config.retainData ? 7 : 0,
    });
    redis.applyRemovalPolicy(removalPolicy);
    this.redisReplicationGroupId = redis.ref;
    this.redisEndpoint = { host: redis.attrPrimaryEndPointAddress, port: redis.attrPrimaryEndPointPort };

    new CfnOutput(this, 'ProducerConfigBucket', {
      value: this.configBucket.bucketName,
      description: 'upload tenants.json here',
    });
    new CfnOutput(this, 'OpenSearchEndpoint', { value: this.domain.domainEndpoint });
    new CfnOutput(this, 'OpenSearchDomainName', { value: this.domain.domainName });
    new CfnOutput(this, 'RedisReplicationGroupId', { value: this.redisReplicationGroupId });
    new CfnOutput(this, 'ArchiveBucket', {
      value: this.archiveBucket.bucketName,
      description: 'the archive, and each consumer’s records set aside under poison/<consumer>/',
    });
  }
}
