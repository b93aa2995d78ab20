import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Dev, ENVIRONMENTS, Prod, Staging } from '../../lib/config/environments';
import { validateEnvironmentConfig } from '../../lib/config/validate';
import { AwsSolutionsChecksWithAcceptedFindings } from '../../lib/nag-acknowledgements';
import { environmentStreamPlan, planStream } from '../../lib/planning/capacity';
import { MEASURED_EVENT_BYTES } from '../../lib/planning/measured-event-bytes';
import { MEASURED_PRODUCER, requestsPerInstanceAtTarget, vcpusOf } from '../../lib/planning/fleet';
import { stacksOf, synthPipeline } from '../support/synth';
import { healthWaitCommand } from '../../lib/constructs/producer-fleet';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const prod = synthPipeline(Prod);
const dev = synthPipeline(Dev);
const template = (stack: Stack) => Template.fromStack(stack);

describe('network', () => {
  it('has no NAT gateway and a Kinesis endpoint in every AZ', () => {
    const network = template(prod.network);
    network.resourceCountIs('AWS::EC2::NatGateway', 0);
    const kinesis = network.findResources('AWS::EC2::VPCEndpoint', {
      Properties: { ServiceName: Match.stringLikeRegexp('kinesis-streams'), VpcEndpointType: 'Interface' },
    });
    const [endpoint] = Object.values(kinesis) as { Properties: { SubnetIds: unknown[]; PrivateDnsEnabled: boolean } }[];
    expect(endpoint!.Properties.SubnetIds).toHaveLength(Prod.availabilityZoneIds.length);
    expect(endpoint!.Properties.PrivateDnsEnabled).toBe(true);
    network.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      ServiceName: Match.anyValue(),
      VpcEndpointType: 'Gateway',
    });
  });

  it('places every subnet by AZ ID, the same zone in any account, and names no AZ', () => {
    const subnets = Object.values(template(prod.network).findResources('AWS::EC2::Subnet')) as {
      Properties: { AvailabilityZone?: string; AvailabilityZoneId?: string };
    }[];
    expect(subnets.map((each) => each.Properties.AvailabilityZone)).toEqual(subnets.map(() => undefined));
    const perZone = Prod.availabilityZoneIds.map(
      (id) => subnets.filter((each) => each.Properties.AvailabilityZoneId === id).length,
    );
    // one public and one private subnet in each configured zone
    expect(perZone).toEqual(Prod.availabilityZoneIds.map(() => 2));
    expect(subnets).toHaveLength(2 * Prod.availabilityZoneIds.length);
  });

  it('opens the endpoints to HTTPS from the consumers and the fleet only', () => {
    const rules = [
      ...Object.values(template(prod.network).findResources('AWS::EC2::SecurityGroupIngress')),
      ...Object.values(template(prod.ingest).findResources('AWS::EC2::SecurityGroupIngress')),
    ] as { Properties: { FromPort: number; ToPort: number; CidrIp?: string; SourceSecurityGroupId?: unknown } }[];
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      expect(rule.Properties.CidrIp).toBeUndefined();
      expect(rule.Properties.SourceSecurityGroupId).toBeDefined();
    }
  });
});

describe('stream', () => {
  it('has the shard count the planner computes from the declared load', () => {
    const plan = planStream({
      eventsPerSecond: Prod.load.peakEventsPerSecond,
      eventBytes: Prod.load.eventBytes,
      headroom: Prod.load.headroom,
      retentionHours: Prod.stream.retentionHours,
      // Firehose, both Lambda consumers, the experiment job, and a replay's generation beside them: all polling.
      consumers: 5,
    });
    template(prod.stream).hasResourceProperties('AWS::Kinesis::Stream', {
      ShardCount: plan.shards.provisioned,
      RetentionPeriodHours: Prod.stream.retentionHours,
      StreamEncryption: { EncryptionType: 'KMS', KeyId: Match.anyValue() },
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
    });
    // Reads bind: five readers share each shard's 2 MiB/s, each event its bytes and 4 of framing, times the headroom.
    const readsNeed = Math.ceil((462_963 * (Prod.load.eventBytes + 4) * 5) / (2 * 1024 * 1024));
    expect(plan.shards.provisioned).toBe(Math.ceil(readsNeed * 1.3));
    expect(Prod.load.eventBytes).toBe(MEASURED_EVENT_BYTES.eventBytes);
  });
});

describe('consumers', () => {
  it.each([
    ['contexts-indexer', prod.contextsIndexer, Prod.consumers.contextsIndexer],
    ['flag-status', prod.flagStatus, Prod.consumers.flagStatus],
  ] as const)(
    '%s reads with its own mapping, unbounded retries for store errors and a failure queue',
    (_name, stack, settings) => {
      const consumer = template(stack);
      consumer.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: settings.batchSize,
        MaximumBatchingWindowInSeconds: settings.batchingWindowSeconds,
        ParallelizationFactor: 1,
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        // absent: Lambda's -1, retrying a store error as long as it takes and reading a replay back to the retention
        MaximumRetryAttempts: Match.absent(),
        MaximumRecordAgeInSeconds: Match.absent(),
        DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      });
      const [mapping] = Object.values(consumer.findResources('AWS::Lambda::EventSourceMapping'));
      expect(JSON.stringify(mapping)).toMatch(/:generation-0"/);
      consumer.hasResourceProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        ReservedConcurrentExecutions: settings.reservedConcurrency,
        VpcConfig: Match.anyValue(),
        LoggingConfig: { LogFormat: 'JSON', LogGroup: Match.anyValue() },
      });
      consumer.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: Match.anyValue() });
    },
  );
});

describe('stores', () => {
  it('encrypts OpenSearch and Redis, in transit and at rest, and admits only the indexer role', () => {
    const stores = template(prod.stores);
    stores.hasResourceProperties('AWS::OpenSearchService::Domain', {
      EncryptionAtRestOptions: { Enabled: true },
      NodeToNodeEncryptionOptions: { Enabled: true },
      DomainEndpointOptions: Match.objectLike({ EnforceHTTPS: true }),
      ClusterConfig: Match.objectLike({
        ZoneAwarenessEnabled: true,
        DedicatedMasterEnabled: true,
        DedicatedMasterCount: 3,
      }),
      VPCOptions: Match.anyValue(),
    });
    stores.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      TransitEncryptionEnabled: true,
      AtRestEncryptionEnabled: true,
      MultiAZEnabled: true,
      AutomaticFailoverEnabled: true,
      AuthToken: Match.anyValue(),
    });
    stores.hasResource('AWS::OpenSearchService::Domain', { DeletionPolicy: 'Retain' });
    expect(prod.stores.terminationProtection).toBe(true);
    expect(dev.stores.terminationProtection).toBe(false);
  });

  it('blocks public access to every bucket and enforces TLS', () => {
    const buckets = template(prod.stores).findResources('AWS::S3::Bucket');
    for (const bucket of Object.values(buckets) as { Properties: Record<string, unknown> }[]) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.Properties.BucketEncryption).toBeDefined();
    }
    template(prod.stores).hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('ingest', () => {
  it('runs the fleet with IMDSv2 only, no public address, and drains before termination', () => {
    const ingest = template(prod.ingest);
    ingest.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        MetadataOptions: Match.objectLike({ HttpTokens: 'required', HttpPutResponseHopLimit: 1 }),
        BlockDeviceMappings: [Match.objectLike({ Ebs: Match.objectLike({ Encrypted: true }) })],
      }),
    });
    ingest.resourceCountIs('AWS::AutoScaling::LaunchConfiguration', 0);
    expect(JSON.stringify(ingest.toJSON())).not.toMatch(/"AssociatePublicIpAddress":true/);
    ingest.hasResourceProperties('AWS::AutoScaling::LifecycleHook', {
      LifecycleHookName: 'DrainBeforeTermination',
      LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
      HeartbeatTimeout: Prod.fleet.drainDeadlineSeconds + 120,
    });
    // Replaced only when EC2 says the instance is broken: a full buffer fails routing health, not the instance.
    ingest.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { HealthCheckType: 'EC2' });
    // At termination the instance hands its spill to S3 and then lets Auto Scaling go on.
    const [launchTemplate] = Object.values(ingest.findResources('AWS::EC2::LaunchTemplate')) as {
      Properties: { LaunchTemplateData: { UserData: unknown } };
    }[];
    const userData = JSON.stringify(launchTemplate!.Properties.LaunchTemplateData.UserData);
    for (const step of [
      'target-lifecycle-state',
      '--hand-off-spill',
      'complete-lifecycle-action',
      'SPILL_HANDOFF_S3_URI=s3://',
      '/live',
    ])
      expect({ step, inUserData: userData.includes(step) }).toEqual({ step, inUserData: true });
    ingest.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'autoscaling:CompleteLifecycleAction',
            Condition: { StringEquals: { 'autoscaling:ResourceTag/events-api-fleet': Match.anyValue() } },
          }),
        ]),
      },
    });
    ingest.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      HealthCheckPath: '/health',
      TargetGroupAttributes: Match.arrayWith([
        { Key: 'deregistration_delay.timeout_seconds', Value: String(Prod.fleet.drainDeadlineSeconds) },
      ]),
    });
    ingest.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 443, Protocol: 'HTTPS' });
    ingest.hasResource('AWS::AutoScaling::AutoScalingGroup', {
      UpdatePolicy: { AutoScalingRollingUpdate: Match.objectLike({ WaitOnResourceSignals: true }) },
    });
    template(dev.ingest).hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 80, Protocol: 'HTTP' });
  });
});

describe('the alarm topic', () => {
  it('mails someone outside dev, so an alarm reaches a person', () => {
    template(prod.alerts).hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: Prod.alarmEmail,
    });
  });

  it('lets CloudWatch alarms publish, and lets them and Auto Scaling use its key', () => {
    const alerts = template(dev.alerts);
    alerts.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
          }),
        ]),
      },
    });
    const [keyPolicy] = Object.values(alerts.findResources('AWS::KMS::Key')).map((key) =>
      JSON.stringify((key as { Properties: { KeyPolicy: unknown } }).Properties.KeyPolicy),
    );
    expect(keyPolicy).toContain('"Service":"cloudwatch.amazonaws.com"');
    expect(keyPolicy).toMatch(/"aws:PrincipalArn":.*AWSServiceRoleForAutoScaling/);
  });
});

describe('the stores in a fresh account', () => {
  it('make OpenSearch’s service-linked role before the domain, accepting one that exists', () => {
    const stores = template(dev.stores);
    const roles = Object.entries(stores.findResources('Custom::AWS')) as [
      string,
      { Properties: { Create: unknown } },
    ][];
    expect(roles).toHaveLength(1);
    const [roleId, role] = roles[0]!;
    expect(JSON.stringify(role.Properties.Create)).toMatch(
      /createServiceLinkedRole.*opensearchservice\.amazonaws\.com.*ignoreErrorCodesMatching.*InvalidInput/,
    );
    const [domain] = Object.values(stores.findResources('AWS::OpenSearchService::Domain')) as {
      DependsOn?: string[];
    }[];
    expect(domain!.DependsOn).toEqual(expect.arrayContaining([roleId]));
  });
});

describe('the producer fleet user data', () => {
  const run = (curlExit: number) => {
    const bin = mkdtempSync(join(tmpdir(), 'fake-curl-'));
    writeFileSync(join(bin, 'curl'), `#!/bin/sh\nexit ${curlExit}\n`, { mode: 0o755 });
    return spawnSync('bash', ['-euo', 'pipefail', '-c', healthWaitCommand('http://127.0.0.1:1/health', 3, 0)], {
      env: { PATH: `${bin}:/usr/bin:/bin` },
      encoding: 'utf8',
    });
  };

  it('fails, so cfn-signal reports FAILURE, when the API never answers its health check', () => {
    const never = run(7);
    expect(never.status).toBe(1);
    expect(never.stderr).toContain('events API not healthy');
    expect(run(0).status).toBe(0);
  });
});

describe('monitoring', () => {
  it('gives every alarm in every environment the dimensions its metric needs', () => {
    const alarms = [dev, synthPipeline(Staging), prod].flatMap((pipeline) =>
      stacksOf(pipeline).flatMap((stack) => Object.entries(template(stack).findResources('AWS::CloudWatch::Alarm'))),
    );
    expect(alarms.length).toBeGreaterThan(40);
    for (const [id, alarm] of alarms as [string, { Properties: Record<string, unknown> }][]) {
      const metrics = (alarm.Properties.Metrics as
        { MetricStat?: { Metric: { Dimensions?: unknown[] } } }[] | undefined) ?? [
        { MetricStat: { Metric: { Dimensions: alarm.Properties.Dimensions as unknown[] } } },
      ];
      for (const metric of metrics.filter((m) => m.MetricStat)) {
        const dimensions = metric.MetricStat!.Metric.Dimensions?.length ?? 0;
        expect({ alarm: id, hasDimensions: dimensions > 0 }).toEqual({ alarm: id, hasDimensions: true });
      }
      expect(alarm.Properties.AlarmActions).toBeDefined();
    }
  });
});

describe('the fleet’s size', () => {
  it('scales on CPU as well as on requests, each target below what one process per vCPU serves', () => {
    const policies = Object.values(template(prod.ingest).findResources('AWS::AutoScaling::ScalingPolicy')) as {
      Properties: {
        TargetTrackingConfiguration: {
          TargetValue: number;
          PredefinedMetricSpecification: { PredefinedMetricType: string };
        };
      };
    }[];
    const targets = Object.fromEntries(
      policies.map((each) => [
        each.Properties.TargetTrackingConfiguration.PredefinedMetricSpecification.PredefinedMetricType,
        each.Properties.TargetTrackingConfiguration.TargetValue,
      ]),
    );
    expect(targets).toEqual({
      ASGAverageCPUUtilization: 60,
      ALBRequestCountPerTarget: Prod.fleet.requestsPerTarget * 60,
    });
    // 4 vCPUs at 60%, each taking the measured events per second, in payloads of the measured size
    expect(requestsPerInstanceAtTarget('c7g.xlarge')).toBe(
      Math.floor((4 * MEASURED_PRODUCER.eventsPerCoreSecond * 0.6) / MEASURED_PRODUCER.eventsPerPayload),
    );
    expect([vcpusOf('t4g.small'), vcpusOf('c7g.medium'), vcpusOf('c7g.large'), vcpusOf('c7g.4xlarge')]).toEqual([
      2, 1, 2, 16,
    ]);
  });

  it('runs the pinned image outside dev, so a deploy replaces instances only when the pin changes', () => {
    const imageOf = (stack: Stack) => {
      const [launchTemplate] = Object.values(template(stack).findResources('AWS::EC2::LaunchTemplate')) as {
        Properties: { LaunchTemplateData: { ImageId: unknown } };
      }[];
      return launchTemplate!.Properties.LaunchTemplateData.ImageId;
    };
    expect(imageOf(prod.ingest)).toBe(Prod.fleet.amiId);
    expect(JSON.stringify(imageOf(dev.ingest))).toMatch(/SsmParameterValue.*al2023/);
  });

  it('refuses a request target the instance cannot serve, and a fleet too small for the declared peak', () => {
    const eventsPerVcpuAtTarget = MEASURED_PRODUCER.eventsPerCoreSecond * 0.6;
    const oneVcpuRequests = Math.floor(eventsPerVcpuAtTarget / MEASURED_PRODUCER.eventsPerPayload);
    const overOneVcpu = { ...Staging.fleet, instanceType: 'c7g.medium', requestsPerTarget: oneVcpuRequests + 1 };
    expect(() => validateEnvironmentConfig({ ...Staging, fleet: overOneVcpu })).toThrow(
      `staging.fleet.requestsPerTarget must be at most ${oneVcpuRequests} for c7g.medium (what its cores serve at the CPU target, lib/planning/fleet.ts), got ${oneVcpuRequests + 1}`,
    );
    expect(() =>
      validateEnvironmentConfig({ ...Staging, fleet: { ...overOneVcpu, requestsPerTarget: oneVcpuRequests } }),
    ).not.toThrow();
    // c7g.xlarge has 4 vCPUs; prod declares 462,963 events/s at peak with headroom 1.3
    const smallestFleet = Math.ceil(601_852 / (4 * eventsPerVcpuAtTarget));
    const prodFleetOf = (maxCapacity: number) => ({ ...Prod, fleet: { ...Prod.fleet, minCapacity: 1, maxCapacity } });
    expect(() => validateEnvironmentConfig(prodFleetOf(smallestFleet))).not.toThrow();
    expect(() => validateEnvironmentConfig(prodFleetOf(smallestFleet - 1))).toThrow(
      `prod.fleet.maxCapacity of ${smallestFleet - 1} c7g.xlarge cannot take the declared peak of 601852 events/s with headroom`,
    );
    expect(() => validateEnvironmentConfig({ ...Dev, fleet: { ...Dev.fleet, instanceType: 'c7g.huge' } })).toThrow(
      /dev\.fleet\.instanceType: cannot tell the vCPUs of instance type "c7g\.huge"/,
    );
  });
});

describe('the edge and the network', () => {
  type Endpoint = { Properties: { ServiceName: unknown; PolicyDocument: { Statement: PolicyStatement[] } } };
  type PolicyStatement = { Action: string; Resource: string; Condition?: { StringEquals: Record<string, string> } };
  const endpoints = () =>
    (Object.values(template(prod.network).findResources('AWS::EC2::VPCEndpoint')) as Endpoint[]).map((each) => ({
      service: /\.([a-z0-9-]+)"[\]}]*$/.exec(JSON.stringify(each.Properties.ServiceName))![1],
      statements: each.Properties.PolicyDocument.Statement,
    }));

  it('puts AWS WAF with a per-IP rate limit in front of the load balancer outside dev', () => {
    const ingest = template(prod.ingest);
    const [firewallId, firewall] = Object.entries(ingest.findResources('AWS::WAFv2::WebACL'))[0] as [
      string,
      { Properties: { Rules: { Name: string; Statement: { RateBasedStatement?: { Limit: number } } }[] } },
    ];
    expect(firewall.Properties.Rules.map((rule) => rule.Name)).toEqual([
      'RequestsPerIp',
      'AWSManagedRulesAmazonIpReputationList',
      'AWSManagedRulesKnownBadInputsRuleSet',
    ]);
    expect(firewall.Properties.Rules[0]!.Statement.RateBasedStatement!.Limit).toBe(
      Prod.firewall!.requestsPerIpPer5Minutes,
    );
    const [loadBalancerId] = Object.keys(ingest.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'));
    ingest.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: { Ref: loadBalancerId },
      WebACLArn: { 'Fn::GetAtt': [firewallId, 'Arn'] },
    });
    template(dev.ingest).resourceCountIs('AWS::WAFv2::WebACL', 0);
  });

  it('pays for no endpoint nothing uses: no STS, no CloudWatch metrics API', () => {
    const services = endpoints().map((each) => each.service);
    expect(services).toEqual(
      expect.arrayContaining(['kinesis-streams', 'logs', 's3', 'cloudformation', 'autoscaling']),
    );
    expect(services).not.toContain('sts');
    expect(services).not.toContain('monitoring');
  });

  it('lets the endpoints carry only this account’s principals, to this account’s stream and buckets', () => {
    for (const { service, statements } of endpoints().filter((each) => each.service !== 's3')) {
      expect([service, statements.map((each) => each.Condition?.StringEquals['aws:PrincipalAccount'])]).toEqual([
        service,
        [Prod.account],
      ]);
    }
    const kinesis = endpoints().find((each) => each.service === 'kinesis-streams')!;
    expect(kinesis.statements[0]!.Condition!.StringEquals['aws:ResourceAccount']).toBe(Prod.account);
    const s3 = endpoints().find((each) => each.service === 's3')!;
    expect(s3.statements).toEqual([
      expect.objectContaining({
        Action: 's3:*',
        Condition: { StringEquals: { 'aws:ResourceAccount': Prod.account } },
      }),
      // dnf on Amazon Linux 2023 reads its packages from this AWS-owned bucket
      expect.objectContaining({ Action: 's3:GetObject', Resource: 'arn:aws:s3:::al2023-repos-us-east-1-de612dc2/*' }),
    ]);
  });

  it('gives each consumer its own security group, admitted by its own store only (Redis also by the experiment job)', () => {
    const groupOf = (stack: Stack) => {
      const [fn] = Object.values(template(stack).findResources('AWS::Lambda::Function')) as {
        Properties: { VpcConfig: { SecurityGroupIds: unknown[] } };
      }[];
      return JSON.stringify(fn!.Properties.VpcConfig.SecurityGroupIds);
    };
    const ingress = Object.values(template(prod.stores).findResources('AWS::EC2::SecurityGroupIngress')) as {
      Properties: { FromPort: number; SourceSecurityGroupId: unknown };
    }[];
    const admitted = (port: number) =>
      ingress
        .filter((each) => each.Properties.FromPort === port)
        .map((each) => JSON.stringify([each.Properties.SourceSecurityGroupId]));
    expect(groupOf(prod.contextsIndexer)).not.toBe(groupOf(prod.flagStatus));
    expect(admitted(443)).toEqual([groupOf(prod.contextsIndexer)]);
    const [application] = Object.values(
      template(prod.analytics).findResources('AWS::KinesisAnalyticsV2::Application'),
    ) as {
      Properties: { ApplicationConfiguration: { VpcConfigurations: { SecurityGroupIds: unknown[] }[] } };
    }[];
    const analyticsGroup = JSON.stringify(
      application!.Properties.ApplicationConfiguration.VpcConfigurations[0]!.SecurityGroupIds,
    );
    expect(admitted(6379)).toEqual([groupOf(prod.flagStatus), analyticsGroup]);
  });

  it('redirects HTTP to HTTPS where there is a domain, and keeps plain HTTP in dev only', () => {
    const listeners = (pipeline: ReturnType<typeof synthPipeline>) =>
      Object.values(template(pipeline.ingest).findResources('AWS::ElasticLoadBalancingV2::Listener')).map(
        (each) => (each as { Properties: { Port: number; DefaultActions: { Type: string }[] } }).Properties,
      );
    expect(
      listeners(prod)
        .map((each) => [each.Port, each.DefaultActions[0]!.Type])
        .sort(),
    ).toEqual([
      [443, 'forward'],
      [80, 'redirect'],
    ]);
    template(prod.ingest).hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      DefaultActions: [
        { Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } },
      ],
    });
    expect(listeners(dev).map((each) => [each.Port, each.DefaultActions[0]!.Type])).toEqual([[80, 'forward']]);
  });

  it('protects the public load balancer from deletion outside dev', () => {
    const protection = (pipeline: ReturnType<typeof synthPipeline>) => {
      const [balancer] = Object.values(
        template(pipeline.ingest).findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'),
      ) as { Properties: { LoadBalancerAttributes: { Key: string; Value: string }[] } }[];
      return balancer!.Properties.LoadBalancerAttributes.find((each) => each.Key === 'deletion_protection.enabled')
        ?.Value;
    };
    expect(protection(prod)).toBe('true');
    expect(protection(synthPipeline(Staging))).toBe('true');
    expect(protection(dev)).not.toBe('true');
  });

  it('strips every rule from the VPC’s default security group', () => {
    template(prod.network).hasResourceProperties('Custom::VpcRestrictDefaultSG', {
      DefaultSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Vpc'), 'DefaultSecurityGroup'] },
    });
  });
});

describe('the alarms the first review found missing', () => {
  /** The alarm's metric (or each metric of its expression) as namespace, name and dimension names. */
  const watched = (stack: Stack, idPrefix: string) => {
    const [alarm] = Object.entries(template(stack).findResources('AWS::CloudWatch::Alarm')).filter(([id]) =>
      id.startsWith(idPrefix),
    ) as [string, { Properties: Record<string, unknown> }][];
    expect({ idPrefix, found: alarm !== undefined }).toEqual({ idPrefix, found: true });
    const properties = alarm![1].Properties;
    type Stat = { Metric: { Namespace: string; MetricName: string; Dimensions: { Name: string; Value: unknown }[] } };
    const stats = properties.Metrics
      ? (properties.Metrics as { MetricStat?: Stat }[]).filter((m) => m.MetricStat).map((m) => m.MetricStat!.Metric)
      : [
          {
            Namespace: properties.Namespace as string,
            MetricName: properties.MetricName as string,
            Dimensions: properties.Dimensions as Stat['Metric']['Dimensions'],
          },
        ];
    return {
      threshold: properties.Threshold,
      comparison: properties.ComparisonOperator,
      metrics: stats.map((m) => `${m.Namespace} ${m.MetricName} ${m.Dimensions.map((d) => d.Name).join(',')}`),
      dimensionValues: stats.flatMap((m) => m.Dimensions.map((d) => d.Value)),
    };
  };

  it('watches Lambda throttles of each consumer, on its live alias', () => {
    for (const stack of [prod.contextsIndexer, prod.flagStatus]) {
      expect(watched(stack, 'ConsumerThrottles')).toMatchObject({
        threshold: 0,
        metrics: ['AWS/Lambda Throttles FunctionName,Resource'],
      });
    }
  });

  it('watches the stream’s read throttling and OpenSearch’s write rejections', () => {
    expect(watched(prod.dashboard, 'StreamReadThrottled').metrics).toEqual([
      'AWS/Kinesis ReadProvisionedThroughputExceeded StreamName',
    ]);
    expect(watched(prod.dashboard, 'OpenSearchWriteRejected').metrics).toEqual([
      'AWS/ES ThreadpoolWriteRejected ClientId,DomainName',
    ]);
  });

  it('watches every Redis node, so the primary is watched after a failover', () => {
    const memory = watched(prod.dashboard, 'RedisMemory');
    expect(memory.metrics).toEqual(
      Array.from(
        { length: 1 + Prod.redis.replicas },
        () => 'AWS/ElastiCache DatabaseMemoryUsagePercentage CacheClusterId',
      ),
    );
    const nodes = JSON.stringify(memory.dimensionValues);
    for (const suffix of ['-001', '-002', '-003'].slice(0, 1 + Prod.redis.replicas)) expect(nodes).toContain(suffix);
    expect(watched(prod.dashboard, 'RedisEvictions').metrics).toHaveLength(1 + Prod.redis.replicas);
  });

  it('watches Firehose’s throttled reads and the records the transform sets aside', () => {
    expect(watched(prod.archive, 'SourceThrottled').metrics).toEqual([
      'AWS/Firehose ThrottledGetRecords DeliveryStreamName',
    ]);
    // The names and the one dimension Powertools writes in the transform's embedded-metric lines.
    expect(watched(prod.archive, 'RecordsSetAside')).toMatchObject({
      threshold: 0,
      metrics: [
        'EventsPipeline/Consumers corruptRecords service',
        'EventsPipeline/Consumers overBudgetRecords service',
      ],
      dimensionValues: ['archive-transform', 'archive-transform'],
    });
  });

  it('watches the fleet’s instances in service against its minimum, with group metrics turned on', () => {
    expect(watched(prod.ingest, 'InstancesInService')).toMatchObject({
      threshold: Prod.fleet.minCapacity,
      comparison: 'LessThanThreshold',
      metrics: ['AWS/AutoScaling GroupInServiceInstances AutoScalingGroupName'],
    });
    template(prod.ingest).hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      MetricsCollection: [{ Granularity: '1Minute' }],
    });
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('passes every environment with no unacknowledged error', () => {
    for (const config of ENVIRONMENTS) {
      const pipeline = synthPipeline(config);
      // The plugin is the app's: only the app's synth runs it (a stage's own synth would not).
      expect(() => (pipeline.stage.node.root as App).synth()).not.toThrow();
    }
  });

  it('fails synth on a finding nobody accepted', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    Validations.of(app).addPlugins(new AwsSolutionsChecksWithAcceptedFindings(app));
    new s3.Bucket(new Stack(app, 'Careless'), 'Unencrypted', { enforceSSL: false });
    expect(() => app.synth()).toThrow(/AwsSolutions-S1|AwsSolutions-S10|Validation failed/);
  });
});

describe('environment config', () => {
  it('refuses a contexts domain with fewer vCPUs than the store spends at the declared peak, naming the figure', () => {
    const small = { ...Prod, openSearch: { ...Prod.openSearch, dataNodeInstanceType: 'r6g.large.search' } };

    expect(() => validateEnvironmentConfig(small)).toThrow(
      /prod\.openSearch\.dataNodeInstanceType: 3 × r6g\.large\.search give 6 vCPUs, under the [\d.]+ the contexts store spends at the declared peak with headroom \([\d.]+ ms an event, npm run bench -- consumers\)/,
    );
    expect(() => validateEnvironmentConfig(Prod)).not.toThrow();
  });

  it('names the field and the allowed range', () => {
    expect(() => validateEnvironmentConfig({ ...Dev, stream: { ...Dev.stream, retentionHours: 4 } })).toThrow(
      /dev\.stream\.retentionHours must be from 24 to 168, got 4/,
    );
    expect(() => validateEnvironmentConfig({ ...Dev, availabilityZoneIds: ['us-east-1a', 'use1-az2'] })).toThrow(
      /dev\.availabilityZoneIds must hold AZ IDs like use1-az1, got "us-east-1a"/,
    );
    expect(() => validateEnvironmentConfig({ ...Dev, availabilityZoneIds: ['use1-az1', 'use1-az1'] })).toThrow(
      /dev\.availabilityZoneIds names a zone twice/,
    );
    expect(() => validateEnvironmentConfig({ ...Prod, account: undefined })).toThrow(
      /prod\.account is required unless allowPlainHttp \(dev\): pin it/,
    );
    expect(() => validateEnvironmentConfig({ ...Prod, fleet: { ...Prod.fleet, amiId: undefined } })).toThrow(
      /prod\.fleet\.amiId is required unless allowPlainHttp \(dev\): pin it/,
    );
    expect(() => validateEnvironmentConfig({ ...Prod, alarmEmail: undefined })).toThrow(
      /prod\.alarmEmail is required unless allowPlainHttp \(dev\): pin it/,
    );
    expect(() => validateEnvironmentConfig({ ...Prod, fleet: { ...Prod.fleet, amiId: 'al2023' } })).toThrow(
      /prod\.fleet\.amiId must be an image id like ami-0123456789abcdef0, got "al2023"/,
    );
    expect(() => validateEnvironmentConfig({ ...Prod, account: '111111111111' })).toThrow(
      /prod\.domain\.certificateArn must be in us-east-1 and account 111111111111, where the load balancer is/,
    );
    expect(() => validateEnvironmentConfig({ ...Staging, domain: undefined })).toThrow(
      /staging\.domain is required unless allowPlainHttp/,
    );
    expect(() =>
      validateEnvironmentConfig({
        ...Dev,
        consumers: { ...Dev.consumers, flagStatus: { ...Dev.consumers.flagStatus, parallelizationFactor: 11 } },
      }),
    ).toThrow(/dev\.consumers\.flagStatus\.parallelizationFactor must be from 1 to 10, got 11/);
  });

  it('sizes each consumer from the stream: concurrency for every shard of two generations, batches one invocation holds', () => {
    // 100 bytes an event: 150 shards, whatever the measured size is today.
    const prod = (settings: Partial<typeof Prod.consumers.flagStatus>) => ({
      ...Prod,
      load: { ...Prod.load, eventBytes: 100 },
      consumers: { ...Prod.consumers, flagStatus: { ...Prod.consumers.flagStatus, ...settings } },
    });

    expect(() => validateEnvironmentConfig(prod({ reservedConcurrency: 40 }))).toThrow(
      /prod\.consumers\.flagStatus\.reservedConcurrency 40 is below the 300 the stream needs: 150 shards × parallelization factor 1 × 2 generations/,
    );
    expect(() => validateEnvironmentConfig(prod({ parallelizationFactor: 2, reservedConcurrency: 300 }))).toThrow(
      /below the 600 the stream needs: 150 shards × parallelization factor 2/,
    );
    expect(() => validateEnvironmentConfig(prod({ batchSize: 500 }))).toThrow(
      /prod\.consumers\.flagStatus\.batchSize 500 cannot take effect: .* holds 185/,
    );
    expect(() => validateEnvironmentConfig(prod({ batchSize: 185, reservedConcurrency: 300 }))).not.toThrow();
  });

  it('spreads the contexts index over the data nodes: primaries a multiple of them', () => {
    const primaries = (contextsPrimaryShards: number) => ({
      ...Prod,
      openSearch: { ...Prod.openSearch, contextsPrimaryShards },
    });

    expect(() => validateEnvironmentConfig(primaries(1))).toThrow(
      /prod\.openSearch\.contextsPrimaryShards must be a multiple of the 3 data nodes, so each holds as many primaries; got 1/,
    );
    expect(() => validateEnvironmentConfig(primaries(6))).not.toThrow();
  });
});

describe('enhanced fan-out', () => {
  const withFanOut = {
    ...Prod,
    consumers: {
      contextsIndexer: { ...Prod.consumers.contextsIndexer, enhancedFanOut: true },
      flagStatus: { ...Prod.consumers.flagStatus, enhancedFanOut: true },
    },
  };
  const pipeline = synthPipeline(withFanOut);

  it('reads each generation through a stream consumer of its own, named for the consumer and generation', () => {
    const stack = template(pipeline.flagStatus);
    stack.hasResourceProperties('AWS::Kinesis::StreamConsumer', { ConsumerName: 'flag-status-generation-0' });
    const consumers = stack.findResources('AWS::Kinesis::StreamConsumer');
    const [consumerId] = Object.keys(consumers);
    stack.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [consumerId, 'ConsumerARN'] },
      StartingPosition: 'TRIM_HORIZON',
    });
  });

  it('leaves the shared reads to Firehose alone, so the stream needs fewer shards', () => {
    const shardCount = (config: typeof Prod) => {
      const streams = template(synthPipeline(config).stream).findResources('AWS::Kinesis::Stream');
      return (Object.values(streams)[0] as { Properties: { ShardCount: number } }).Properties.ShardCount;
    };

    expect(shardCount(withFanOut)).toBe(environmentStreamPlan(withFanOut).shards.provisioned);
    expect(shardCount(withFanOut)).toBeLessThan(shardCount(Prod));
  });
});
