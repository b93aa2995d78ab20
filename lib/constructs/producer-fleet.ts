import { join } from 'node:path';
import { Duration, DockerImage, Stack, Tags } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { buildSync } from 'esbuild';
import { Construct } from 'constructs';
import { BUNDLE_OPTIONS, ENTRY_POINTS } from '../bundling';
import { EnvironmentConfig } from '../config/environment-config';
import { FLEET_CPU_TARGET_PERCENT } from '../planning/fleet';

const PROJECT_ROOT = join(__dirname, '..', '..');
const PORT = 8080;
const LIFECYCLE_HOOK_NAME = 'DrainBeforeTermination';
/** Every worker's output, JSON logs and embedded-format metrics alike, which the CloudWatch agent ships. */
const API_LOG_FILE = '/var/log/events-api/events-api.log';
const AGENT_CONFIG_FILE = '/opt/aws/amazon-cloudwatch-agent/etc/events-api.json';
/** In the config bucket: spill files of terminated instances, waiting for a running one. */
export const SPILL_HANDOFF_PREFIX = 'spill/';

export interface ProducerFleetProps {
  readonly config: EnvironmentConfig;
  readonly vpc: ec2.IVpc;
  readonly securityGroup: ec2.ISecurityGroup;
  readonly stream: kinesis.IStream;
  readonly configBucket: s3.IBucket;
  /** Scaling and health replacements are announced here. */
  readonly notificationTopic: sns.ITopic;
}

/** The producer bundled by esbuild on the synth machine, as one file (no Docker). */
function producerBundle(scope: Construct): s3assets.Asset {
  return new s3assets.Asset(scope, 'Bundle', {
    path: join(PROJECT_ROOT, 'producer'),
    bundling: {
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22-slim'),
      local: {
        tryBundle(outputDir) {
          buildSync({
            ...BUNDLE_OPTIONS,
            entryPoints: [join(PROJECT_ROOT, ENTRY_POINTS.producer)],
            outfile: join(outputDir, 'events-api.js'),
          });
          return true;
        },
      },
    },
  });
}

/**
 * The events API fleet: Graviton instances on Amazon Linux 2023 in the isolated subnets, IMDSv2 only, no public
 * address and no SSH (Session Manager instead), replaced a batch at a time when the code changes, and drained
 * before termination: the lifecycle hook holds the instance while the load balancer deregisters it and the
 * instance's termination service stops the API (which flushes or spills its buffer) and hands the spill to S3.
 */
export class ProducerFleet extends Construct {
  readonly autoScalingGroup: autoscaling.AutoScalingGroup;
  /** Where the API's logs land, and CloudWatch Logs extracts its embedded-format metrics from. */
  readonly logGroup: logs.LogGroup;
  readonly port = PORT;

  constructor(scope: Construct, id: string, props: ProducerFleetProps) {
    super(scope, id);
    const { config } = props;
    const bundle = producerBundle(this);
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore')],
    });
    props.stream.grantWrite(role);
    props.configBucket.grantRead(role, 'tenants.json');
    // Spill handed off by terminating instances, adopted by running ones.
    props.configBucket.grantReadWrite(role, `${SPILL_HANDOFF_PREFIX}*`);
    props.configBucket.grantDelete(role, `${SPILL_HANDOFF_PREFIX}*`);
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['autoscaling:CompleteLifecycleAction'],
        resources: ['*'],
        conditions: { StringEquals: { 'autoscaling:ResourceTag/events-api-fleet': Stack.of(this).stackName } },
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({ actions: ['autoscaling:DescribeAutoScalingInstances'], resources: ['*'] }),
    );
    bundle.grantRead(role);
    this.logGroup = new logs.LogGroup(this, 'ApiLogs', { retention: logs.RetentionDays.ONE_MONTH });
    this.logGroup.grantWrite(role);
    role.addToPolicy(
      new iam.PolicyStatement({ actions: ['logs:DescribeLogStreams'], resources: [this.logGroup.logGroupArn] }),
    );

    const drainSeconds = config.fleet.drainDeadlineSeconds;
    const environment = [
      `HOST=0.0.0.0`,
      `PORT=${PORT}`,
      `STREAM_NAME=${props.stream.streamName}`,
      `AWS_REGION=${Stack.of(this).region}`,
      `TENANT_CONFIG_S3_URI=s3://${props.configBucket.bucketName}/tenants.json`,
      `SPILL_DIR=/var/lib/events-api/spill`,
      `SPILL_HANDOFF_S3_URI=s3://${props.configBucket.bucketName}/${SPILL_HANDOFF_PREFIX}`,
      `DRAIN_DEADLINE_SECONDS=${drainSeconds}`,
      `RECORD_COMPRESSION=${config.stream.recordCompression}`,
    ];
    const userData = ec2.UserData.forLinux();
    userData.addCommands(
      'set -euo pipefail',
      // Node 24, cfn-signal and the CloudWatch agent from the Amazon Linux repositories (the S3 gateway endpoint).
      'dnf install -y nodejs24 aws-cfn-bootstrap amazon-cloudwatch-agent',
      // systemd creates /var/lib/events-api for the service (StateDirectory); the spill folder is made on first use.
      'mkdir -p /opt/events-api',
      `aws s3 cp s3://${bundle.s3BucketName}/${bundle.s3ObjectKey} /tmp/events-api.zip`,
      "python3 -c \"import zipfile; zipfile.ZipFile('/tmp/events-api.zip').extractall('/opt/events-api')\"",
      `cat > /etc/events-api.env <<'ENV'\n${environment.join('\n')}\nENV`,
      // One process per vCPU sharing the port: one Node process uses about one core.
      'echo "WORKERS=$(nproc)" >> /etc/events-api.env',
      `cat > ${AGENT_CONFIG_FILE} <<'JSON'\n${cloudWatchAgentConfig(this.logGroup.logGroupName)}\nJSON`,
      `/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:${AGENT_CONFIG_FILE}`,
      [
        "cat > /etc/systemd/system/events-api.service <<'UNIT'",
        '[Unit]',
        'Description=events API',
        'After=network-online.target',
        '[Service]',
        'EnvironmentFile=/etc/events-api.env',
        'ExecStart=/usr/bin/node-24 --enable-source-maps /opt/events-api/events-api.js',
        'KillSignal=SIGTERM',
        `TimeoutStopSec=${drainSeconds + 10}`,
        'Restart=always',
        'DynamicUser=yes',
        'StateDirectory=events-api',
        'LogsDirectory=events-api',
        `StandardOutput=append:${API_LOG_FILE}`,
        'StandardError=inherit',
        'LimitNOFILE=65536',
        '[Install]',
        'WantedBy=multi-user.target',
        'UNIT',
      ].join('\n'),
      `cat > /opt/events-api/watchdog.sh <<'SCRIPT'\n${livenessWatchdog(`http://127.0.0.1:${PORT}/live`)}\nSCRIPT`,
      `cat > /opt/events-api/terminate.sh <<'SCRIPT'\n${terminationWatcher(LIFECYCLE_HOOK_NAME)}\nSCRIPT`,
      systemdUnit('events-api-watchdog', 'restarts the events API when it stops answering /live', [
        'ExecStart=/bin/bash /opt/events-api/watchdog.sh',
        'Restart=always',
      ]),
      systemdUnit('events-api-termination', 'drains the events API and hands its spill to S3 at termination', [
        'EnvironmentFile=/etc/events-api.env',
        'ExecStart=/bin/bash /opt/events-api/terminate.sh',
        'Restart=on-failure',
      ]),
      'systemctl daemon-reload',
      'systemctl enable --now events-api events-api-watchdog events-api-termination',
      healthWaitCommand(`http://127.0.0.1:${PORT}/health`, 60, 2),
    );

    const launchTemplate = new ec2.LaunchTemplate(this, 'LaunchTemplate', {
      instanceType: new ec2.InstanceType(config.fleet.instanceType),
      machineImage: config.fleet.amiId
        ? ec2.MachineImage.genericLinux({ [Stack.of(this).region]: config.fleet.amiId })
        : ec2.MachineImage.latestAmazonLinux2023({ cpuType: ec2.AmazonLinuxCpuType.ARM_64 }),
      securityGroup: props.securityGroup,
      role,
      userData,
      requireImdsv2: true,
      httpPutResponseHopLimit: 1,
      blockDevices: [
        {
          deviceName: '/dev/xvda',
          volume: ec2.BlockDeviceVolume.ebs(20, { encrypted: true, volumeType: ec2.EbsDeviceVolumeType.GP3 }),
        },
      ],
    });
    this.autoScalingGroup = new autoscaling.AutoScalingGroup(this, 'Instances', {
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      launchTemplate,
      notifications: [{ topic: props.notificationTopic }],
      // GroupInServiceInstances and the rest, for the alarm on instances in service (free at one-minute granularity).
      groupMetrics: [autoscaling.GroupMetrics.all()],
      minCapacity: config.fleet.minCapacity,
      maxCapacity: config.fleet.maxCapacity,
      // EC2 status only: the load balancer's check is routing health, which fails on a full buffer by design, and
      // replacing an instance for it would terminate the instance holding the most events.
      healthChecks: autoscaling.HealthChecks.ec2({ gracePeriod: Duration.minutes(3) }),
      signals: autoscaling.Signals.waitForMinCapacity({ timeout: Duration.minutes(10) }),
      updatePolicy: autoscaling.UpdatePolicy.rollingUpdate({
        minInstancesInService: config.fleet.minCapacity,
        maxBatchSize: Math.max(1, Math.floor(config.fleet.minCapacity / 3)),
        waitOnResourceSignals: true,
        pauseTime: Duration.minutes(10),
      }),
    });
    userData.addSignalOnExitCommand(this.autoScalingGroup);
    Tags.of(this.autoScalingGroup).add('events-api-fleet', Stack.of(this).stackName);
    // The instance's termination service completes the action once its spill is in S3; the timeout is the fallback.
    this.autoScalingGroup.addLifecycleHook('DrainBeforeTermination', {
      lifecycleHookName: LIFECYCLE_HOOK_NAME,
      lifecycleTransition: autoscaling.LifecycleTransition.INSTANCE_TERMINATING,
      heartbeatTimeout: Duration.seconds(drainSeconds + 120),
      defaultResult: autoscaling.DefaultResult.CONTINUE,
    });
  }

  /** Registers the fleet behind a listener: health on /health, deregistration as long as the drain deadline. */
  attachTo(listener: elbv2.ApplicationListener, config: EnvironmentConfig): elbv2.ApplicationTargetGroup {
    const targetGroup = listener.addTargets('Fleet', {
      port: PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targets: [this.autoScalingGroup],
      healthCheck: {
        path: '/health',
        interval: Duration.seconds(10),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 2,
      },
      deregistrationDelay: Duration.seconds(config.fleet.drainDeadlineSeconds),
    });
    this.autoScalingGroup.scaleOnRequestCount('RequestsPerTarget', {
      targetRequestsPerMinute: config.fleet.requestsPerTarget * 60,
    });
    // Payload sizes vary, so requests alone can miss a fleet that is busy; whichever policy asks for more wins.
    this.autoScalingGroup.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: FLEET_CPU_TARGET_PERCENT });
    return targetGroup;
  }
}

/**
 * The CloudWatch agent's configuration: it ships the API's log file to the log group, where CloudWatch Logs turns
 * each embedded-metric-format line into metrics (no PutMetricData, so no monitoring endpoint).
 */
export function cloudWatchAgentConfig(logGroupName: string): string {
  const config = {
    logs: {
      logs_collected: {
        files: {
          collect_list: [{ file_path: API_LOG_FILE, log_group_name: logGroupName, log_stream_name: '{instance_id}' }],
        },
      },
      force_flush_interval: 15,
    },
  };
  return JSON.stringify(config, undefined, 2);
}

function systemdUnit(name: string, description: string, service: readonly string[]): string {
  return [
    `cat > /etc/systemd/system/${name}.service <<'UNIT'`,
    '[Unit]',
    `Description=${description}`,
    'After=events-api.service',
    '[Service]',
    ...service,
    '[Install]',
    'WantedBy=multi-user.target',
    'UNIT',
  ].join('\n');
}

/** Restarts the API after three failed liveness probes in a row (a hung process; a crash systemd restarts itself). */
export function livenessWatchdog(url: string): string {
  return [
    'failures=0',
    'while sleep 10; do',
    `  if curl -fs -m 5 ${url} > /dev/null; then failures=0; else failures=$((failures + 1)); fi`,
    '  if [ "$failures" -ge 3 ]; then systemctl restart events-api; failures=0; fi',
    'done',
  ].join('\n');
}

/**
 * Waits for Auto Scaling to mark the instance for termination (instance metadata, target-lifecycle-state), then
 * stops the API (which drains and spills), hands the spill to S3 and completes the lifecycle action.
 */
export function terminationWatcher(hookName: string): string {
  const metadata = 'http://169.254.169.254/latest';
  const token = `$(curl -fs -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' ${metadata}/api/token)`;
  const get = (path: string) => `curl -fs -H "X-aws-ec2-metadata-token: ${token}" ${metadata}/meta-data/${path}`;
  return [
    'set -euo pipefail',
    `until [ "$(${get('autoscaling/target-lifecycle-state')} || true)" = Terminated ]; do sleep 5; done`,
    'systemctl stop events-api',
    `export INSTANCE_ID=$(${get('instance-id')})`,
    '/usr/bin/node-24 /opt/events-api/events-api.js --hand-off-spill',
    'group=$(aws autoscaling describe-auto-scaling-instances --instance-ids "$INSTANCE_ID" --query "AutoScalingInstances[0].AutoScalingGroupName" --output text)',
    `aws autoscaling complete-lifecycle-action --lifecycle-hook-name ${hookName} --auto-scaling-group-name "$group" --instance-id "$INSTANCE_ID" --lifecycle-action-result CONTINUE`,
  ].join('\n');
}

/**
 * Waits for the API to answer its health check, and fails the user data (so cfn-signal reports FAILURE and the
 * deploy rolls back) if it never does.
 */
export function healthWaitCommand(url: string, attempts: number, pauseSeconds: number): string {
  return [
    'healthy=no',
    `for attempt in $(seq 1 ${attempts}); do if curl -fs ${url} > /dev/null; then healthy=yes; break; fi; sleep ${pauseSeconds}; done`,
    `if [ "$healthy" != yes ]; then echo "events API not healthy after ${attempts * pauseSeconds} s" >&2; exit 1; fi`,
  ].join('\n');
}
