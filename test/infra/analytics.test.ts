import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Dev, Prod } from '../../lib/config/environments';
import { environmentAnalyticsPlan } from '../../lib/planning/analytics-plan';
import { EXPERIMENTS_OBJECT_KEY, JOB_PROPERTY_GROUP } from '../../lib/experiment-job';
import { CHECKPOINT_INTERVAL } from '../../lib/stacks/analytics-stack';
import { synthPipeline } from '../support/synth';

const prod = synthPipeline(Prod);
const template = (stack: Stack) => Template.fromStack(stack);

interface ApplicationResource {
  Properties: {
    RuntimeEnvironment: string;
    ApplicationConfiguration: {
      EnvironmentProperties: { PropertyGroups: { PropertyGroupId: string; PropertyMap: Record<string, unknown> }[] };
      FlinkApplicationConfiguration: { ParallelismConfiguration: Record<string, unknown> };
      VpcConfigurations: { SubnetIds: unknown[]; SecurityGroupIds: unknown[] }[];
    };
  };
}

function applicationOf(stack: Stack): [string, ApplicationResource] {
  const found = Object.entries(template(stack).findResources('AWS::KinesisAnalyticsV2::Application'));
  expect(found).toHaveLength(1);
  return found[0] as [string, ApplicationResource];
}

const jobProperties = (stack: Stack) =>
  applicationOf(stack)[1].Properties.ApplicationConfiguration.EnvironmentProperties.PropertyGroups.find(
    (group) => group.PropertyGroupId === JOB_PROPERTY_GROUP,
  )!.PropertyMap;

describe('the experiment job on Managed Service for Apache Flink', () => {
  it('runs the jar on Flink 2.2 with the planner’s parallelism, checkpoints, snapshots and rollback', () => {
    const plan = environmentAnalyticsPlan(Prod);
    expect(plan.parallelism).toBeGreaterThan(1);
    template(prod.analytics).hasResourceProperties('AWS::KinesisAnalyticsV2::Application', {
      RuntimeEnvironment: 'FLINK-2_2',
      ApplicationMode: 'STREAMING',
      ApplicationConfiguration: {
        ApplicationCodeConfiguration: {
          CodeContentType: 'ZIPFILE',
          CodeContent: { S3ContentLocation: { BucketARN: Match.anyValue(), FileKey: Match.anyValue() } },
        },
        ApplicationSnapshotConfiguration: { SnapshotsEnabled: true },
        ApplicationSystemRollbackConfiguration: { RollbackEnabled: true },
        FlinkApplicationConfiguration: {
          CheckpointConfiguration: {
            ConfigurationType: 'CUSTOM',
            CheckpointingEnabled: true,
            CheckpointInterval: CHECKPOINT_INTERVAL.toMilliseconds(),
          },
          ParallelismConfiguration: {
            ConfigurationType: 'CUSTOM',
            Parallelism: plan.parallelism,
            ParallelismPerKPU: 1,
            AutoScalingEnabled: false,
          },
        },
      },
      RunConfiguration: {
        ApplicationRestoreConfiguration: { ApplicationRestoreType: 'RESTORE_FROM_LATEST_SNAPSHOT' },
        FlinkRunConfiguration: { AllowNonRestoredState: true },
      },
    });
  });

  it('sits in the isolated subnets of every zone, with its own security group', () => {
    const [, application] = applicationOf(prod.analytics);
    const [vpc] = application.Properties.ApplicationConfiguration.VpcConfigurations;
    expect(vpc!.SubnetIds).toHaveLength(Prod.availabilityZoneIds.length);
    expect(JSON.stringify(vpc!.SubnetIds)).toContain('privateSubnet');
    expect(JSON.stringify(vpc!.SecurityGroupIds)).toContain('Analytics');
  });

  it('reads the stream, the experiments file beside the tenant file, and Redis over TLS with the token’s secret', () => {
    const properties = jobProperties(prod.analytics);
    expect(Object.keys(properties).sort()).toEqual([
      'experiments',
      'generation',
      'keyPrefix',
      'pollIntervalSeconds',
      'redisAuthSecretArn',
      'redisUrl',
      'region',
      'startingPosition',
      'streamName',
    ]);
    expect(properties).toMatchObject({
      region: Prod.region,
      startingPosition: Prod.analytics.firstStart,
      keyPrefix: 'fs:exp',
      generation: '0',
      pollIntervalSeconds: '1',
    });
    expect(JSON.stringify(properties.streamName)).toContain('prod-Stream');
    expect(JSON.stringify(properties.experiments)).toMatch(/"s3:\/\/".*ProducerConfig.*"\/experiments\.json"/);
    expect(JSON.stringify(properties.redisUrl)).toMatch(/"rediss:\/\/".*PrimaryEndPointAddress.*PrimaryEndPointPort/);
    expect(JSON.stringify(properties.redisAuthSecretArn)).toContain('RedisAuthToken');
  });

  it('has a role with only what the job uses', () => {
    const policies = Object.values(template(prod.analytics).findResources('AWS::IAM::Policy')) as {
      Properties: {
        Roles: unknown[];
        PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] };
      };
    }[];
    const [role] = Object.keys(
      template(prod.analytics).findResources('AWS::IAM::Role', {
        Properties: {
          AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'kinesisanalytics.amazonaws.com' } }] },
        },
      }),
    );
    const statements = policies
      .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(role!))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    const actions = statements.flatMap((statement) => [statement.Action].flat()).sort();
    expect(actions.filter((action) => !/^(kinesis|s3|secretsmanager|logs|ec2|kms):/.test(action))).toEqual([]);
    expect(actions.filter((action) => /^kinesis:(Put|Create|Delete|Update|Merge|Split)/.test(action))).toEqual([]);
    expect(actions.filter((action) => /^s3:(Put|Delete)/.test(action))).toEqual([]);
    expect(actions).toEqual(expect.arrayContaining(['kinesis:GetRecords', 'secretsmanager:GetSecretValue']));
    const experiments = statements.find((statement) =>
      JSON.stringify(statement.Resource).includes(EXPERIMENTS_OBJECT_KEY),
    );
    expect(
      [experiments!.Action].flat().every((action) => action.startsWith('s3:Get') || action.startsWith('s3:List')),
    ).toBe(true);
  });

  it('starts the application once, when it is created, without a snapshot to restore', () => {
    const starts = Object.values(template(prod.analytics).findResources('Custom::AWS')) as {
      Properties: Record<string, unknown>;
    }[];
    expect(starts).toHaveLength(1);
    const { Create, Update, Delete } = starts[0]!.Properties;
    expect(Update).toBeUndefined();
    expect(Delete).toBeUndefined();
    // The call is a JSON string joined around the application's name.
    const create = JSON.stringify(Create);
    expect(create).toContain(String.raw`\"service\":\"KinesisAnalyticsV2\",\"action\":\"startApplication\"`);
    expect(create).toContain(String.raw`\"ApplicationRestoreType\":\"SKIP_RESTORE_FROM_SNAPSHOT\"`);
    expect(create).toContain('{"Ref":"Application"}');
  });

  it('alarms on downtime, failed checkpoints, checkpoint duration, reading behind, and records set aside', () => {
    const analytics = template(prod.analytics);
    const [applicationId] = applicationOf(prod.analytics);
    for (const [metricName, threshold] of [
      ['downtime', 0],
      ['lastCheckpointDuration', CHECKPOINT_INTERVAL.toMilliseconds() / 2],
      ['millisBehindLatest', 5 * 60_000],
    ] as const) {
      analytics.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/KinesisAnalytics',
        MetricName: metricName,
        Threshold: threshold,
        Dimensions: [{ Name: 'Application', Value: { Ref: applicationId } }],
        AlarmActions: Match.anyValue(),
      });
    }
    analytics.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'DIFF(failed)' }),
        Match.objectLike({
          Id: 'failed',
          MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'numberOfFailedCheckpoints' }) }),
        }),
      ]),
    });
    analytics.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.message = "*set aside a corrupt record*" }',
      MetricTransformations: [
        Match.objectLike({
          MetricName: 'recordsSetAside',
          Dimensions: [{ Key: 'Application', Value: '$.applicationARN' }],
        }),
      ],
    });
    analytics.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'recordsSetAside', Threshold: 0 });
    analytics.resourceCountIs('AWS::CloudWatch::Alarm', 5);
  });

  it('rebuilds from a replay’s time as a new generation under keys of its own, in place', () => {
    const replay = { from: '2026-12-01T10:00:00.000Z', requestedAt: '2026-12-01T12:00:00.000Z', generation: 2 };
    const replayed = synthPipeline({ ...Dev, analytics: { ...Dev.analytics, replay } });
    const before = synthPipeline(Dev);
    expect(jobProperties(replayed.analytics)).toMatchObject({
      startingPosition: replay.from,
      keyPrefix: 'fs:exp:g2',
      generation: '2',
    });
    expect(applicationOf(replayed.analytics)[0]).toBe(applicationOf(before.analytics)[0]);
  });

  it('refuses a replay older than the stream keeps, naming the field', () => {
    const replay = { from: '2026-11-01T10:00:00.000Z', requestedAt: '2026-12-01T12:00:00.000Z', generation: 1 };
    expect(() => synthPipeline({ ...Dev, analytics: { ...Dev.analytics, replay } })).toThrow(
      /dev\.analytics\.replay\.from \(2026-11-01T10:00:00\.000Z\) is older than the stream's 24 h retention/,
    );
  });
});
