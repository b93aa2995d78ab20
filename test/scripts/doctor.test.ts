import { Prod } from '../../lib/config/environments';
import { AwsClients, deployedChecks, doctorTable, DoctorRow } from '../../lib/doctor/doctor';
import { planAnalytics } from '../../lib/planning/analytics-plan';
import { environmentStreamPlan } from '../../lib/planning/capacity';

// Recorded AWS answers, in the shapes the AWS APIs document: CloudFormation stacks, a provisioned stream, Lambda
// mappings, a Managed Service for Apache Flink application, an OpenSearch domain, an ElastiCache group, an Auto Scaling
// group with its targets, alarms and SQS queues have no local stand-in here, so the deployed checks read these instead of calling AWS.
const ACCOUNT = Prod.account!;
const OUTPUTS: Record<string, Record<string, string>> = {
  'prod-Stream': { StreamName: 'prod-Stream-Events-1A2B3C' },
  'prod-Stores': {
    OpenSearchDomainName: 'contexts-a1b2c3',
    OpenSearchEndpoint: 'vpc-contexts-a1b2c3.us-east-1.es.amazonaws.com',
    RedisReplicationGroupId: 'prod-flag-status',
  },
  'prod-Ingest': {
    FleetGroupName: 'prod-Ingest-FleetInstancesASG-XYZ',
    FleetTargetGroupArn: `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:targetgroup/prod-Fleet/0123456789abcdef`,
  },
  'prod-ContextsIndexer': {
    FunctionAlias: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:prod-ContextsIndexer-Handler:generation-0`,
    FailureQueueUrl: `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/prod-ContextsIndexer-Failed`,
  },
  'prod-Analytics': { ApplicationName: 'Application-a1B2c3D4' },
  'prod-FlagStatus': {
    FunctionAlias: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:prod-FlagStatus-Handler:generation-0`,
    FailureQueueUrl: `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/prod-FlagStatus-Failed`,
  },
};

interface Recorded {
  shards: number;
  mappingState: string;
  domainProcessing: boolean;
  redisStatus: string;
  inService: number;
  unhealthyTargets: number;
  alarmsInAlarm: string[];
  queued: number;
  applicationStatus: string;
  parallelism: number;
}

const HEALTHY: Recorded = {
  shards: environmentStreamPlan(Prod).shards.provisioned,
  mappingState: 'Enabled',
  domainProcessing: false,
  redisStatus: 'available',
  inService: Prod.fleet.minCapacity,
  unhealthyTargets: 0,
  alarmsInAlarm: [],
  queued: 0,
  applicationStatus: 'RUNNING',
  parallelism: planAnalytics({
    eventsPerSecond: Prod.load.peakEventsPerSecond,
    headroom: Prod.load.headroom,
    exposedUnits: Prod.analytics.exposedUnits,
  }).parallelism,
};

/** Answers each command by its name and input, as AWS answered it. */
function recordedClients(recorded: Recorded): AwsClients {
  const answers: Record<string, (input: Record<string, unknown>) => unknown> = {
    DescribeStacksCommand: (input) => ({
      Stacks: [
        {
          StackName: input.StackName,
          Outputs: Object.entries(OUTPUTS[input.StackName as string]!).map(([OutputKey, OutputValue]) => ({
            OutputKey,
            OutputValue,
          })),
        },
      ],
    }),
    DescribeStreamSummaryCommand: (input) => ({
      StreamDescriptionSummary: {
        StreamName: input.StreamName,
        StreamStatus: 'ACTIVE',
        OpenShardCount: recorded.shards,
      },
    }),
    ListEventSourceMappingsCommand: (input) => ({
      EventSourceMappings: [
        { FunctionArn: input.FunctionName, State: recorded.mappingState, StartingPosition: 'TRIM_HORIZON' },
      ],
    }),
    DescribeDomainCommand: (input) => ({
      DomainStatus: { DomainName: input.DomainName, Processing: recorded.domainProcessing },
    }),
    DescribeReplicationGroupsCommand: (input) => ({
      ReplicationGroups: [{ ReplicationGroupId: input.ReplicationGroupId, Status: recorded.redisStatus }],
    }),
    DescribeAutoScalingGroupsCommand: () => ({
      AutoScalingGroups: [
        {
          MinSize: Prod.fleet.minCapacity,
          Instances: Array.from({ length: recorded.inService }, (_, i) => ({
            InstanceId: `i-0${i}`,
            LifecycleState: 'InService',
          })),
        },
      ],
    }),
    DescribeTargetHealthCommand: () => ({
      TargetHealthDescriptions: Array.from({ length: recorded.inService }, (_, i) => ({
        Target: { Id: `i-0${i}` },
        TargetHealth: { State: i < recorded.unhealthyTargets ? 'unhealthy' : 'healthy' },
      })),
    }),
    DescribeAlarmsCommand: () => ({ MetricAlarms: recorded.alarmsInAlarm.map((AlarmName) => ({ AlarmName })) }),
    GetQueueAttributesCommand: () => ({ Attributes: { ApproximateNumberOfMessages: String(recorded.queued) } }),
    DescribeApplicationCommand: (input) => ({
      ApplicationDetail: {
        ApplicationName: input.ApplicationName,
        ApplicationStatus: recorded.applicationStatus,
        RuntimeEnvironment: 'FLINK-2_2',
        ApplicationVersionId: 4,
        ApplicationConfigurationDescription: {
          FlinkApplicationConfigurationDescription: {
            ParallelismConfigurationDescription: { CurrentParallelism: recorded.parallelism },
          },
          EnvironmentPropertyDescriptions: {
            PropertyGroupDescriptions: [{ PropertyGroupId: 'ExperimentJob', PropertyMap: { generation: '0' } }],
          },
        },
      },
    }),
  };
  const client = {
    send: (command: { constructor: { name: string }; input: Record<string, unknown> }) =>
      Promise.resolve(answers[command.constructor.name]!(command.input)),
  } as unknown as AwsClients['kinesis'];
  return {
    cloudFormation: client,
    kinesis: client,
    lambda: client,
    openSearch: client,
    elastiCache: client,
    autoScaling: client,
    loadBalancing: client,
    cloudWatch: client,
    sqs: client,
    kinesisAnalytics: client,
  } as AwsClients;
}

const health = (rows: DoctorRow[]) => Object.fromEntries(rows.map((row) => [row.check, row.healthy]));
const green = () => Promise.resolve({ status: 'green', nodes: 3 });

describe('npm run doctor on a deployed environment', () => {
  it('is all ok when every part is as planned', async () => {
    const rows = await deployedChecks(Prod, recordedClients(HEALTHY), green);

    expect(Object.values(health(rows))).toEqual(rows.map(() => true));
    expect(rows.map((row) => row.check)).toEqual([
      'stream',
      'contextsIndexer mapping',
      'flagStatus mapping',
      'experiment job',
      'OpenSearch domain',
      'Redis',
      'fleet',
      'alarms',
      'contextsIndexer failure queue',
      'flagStatus failure queue',
    ]);
    expect(doctorTable(rows)).not.toContain('RED');
  });

  it('turns each row red on its own fault, and says what it saw', async () => {
    const faulty = recordedClients({
      shards: HEALTHY.shards - 1,
      mappingState: 'Disabled',
      domainProcessing: true,
      redisStatus: 'modifying',
      inService: Prod.fleet.minCapacity - 1,
      unhealthyTargets: 1,
      alarmsInAlarm: ['prod-Ingest-BufferFull-ABC'],
      queued: 3,
      applicationStatus: 'AUTOSCALING',
      parallelism: HEALTHY.parallelism + 1,
    });

    const rows = await deployedChecks(Prod, faulty, green);

    expect(Object.values(health(rows))).toEqual(rows.map(() => false));
    const table = doctorTable(rows);
    expect(table).toContain(`${HEALTHY.shards - 1} open shards (planned ${HEALTHY.shards})`);
    expect(table).toContain('Disabled on generation-0 from TRIM_HORIZON');
    expect(table).toContain('in ALARM: prod-Ingest-BufferFull-ABC');
    expect(table).toContain('3 pointers to records set aside (npm run redrive)');
    expect(table).toContain(
      `AUTOSCALING on FLINK-2_2, version 4, parallelism ${HEALTHY.parallelism + 1} (planned ${HEALTHY.parallelism}), generation 0`,
    );
  });

  it('reports a mapping on an old generation, and a cluster that is not green, as red', async () => {
    const replayed = {
      ...Prod,
      consumers: {
        ...Prod.consumers,
        flagStatus: {
          ...Prod.consumers.flagStatus,
          replay: { generation: 1, from: '2026-11-20T00:00:00Z', requestedAt: '2026-11-24T00:00:00Z' },
        },
      },
    };

    const rows = await deployedChecks(replayed, recordedClients(HEALTHY), () =>
      Promise.resolve({ status: 'yellow', nodes: 3 }),
    );

    expect(health(rows)).toMatchObject({
      'contextsIndexer mapping': true,
      'flagStatus mapping': false,
      'OpenSearch domain': false,
    });
  });

  it('makes a check that cannot run a red row saying why, and still runs the others', async () => {
    const clients = recordedClients(HEALTHY);
    const refusing = {
      ...clients,
      elastiCache: { send: () => Promise.reject(new Error('AccessDenied: elasticache:DescribeReplicationGroups')) },
    } as AwsClients;

    const rows = await deployedChecks(Prod, refusing, green);

    expect(rows.find((row) => row.check === 'Redis')).toEqual({
      check: 'Redis',
      healthy: false,
      detail: 'could not check: AccessDenied: elasticache:DescribeReplicationGroups',
    });
    expect(rows.filter((row) => row.healthy)).toHaveLength(rows.length - 1);
  });
});
