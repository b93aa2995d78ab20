import { join } from 'node:path';
import { Duration, DockerImage, Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { buildSync } from 'esbuild';
import { Construct } from 'constructs';
import { BUNDLE_OPTIONS, ENTRY_POINTS } from '../bundling';
import { EnvironmentConfig } from '../config/environment-config';

const PROJECT_ROOT = join(__dirname, '..', '..');
const PORT = 8080;

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
 * before termination: the lifecycle hook holds the instance while the load balancer deregisters it, then systemd's
 * SIGTERM makes the API flush its buffer.
 */
export class ProducerFleet extends Construct {
  readonly autoScalingGroup: autoscaling.AutoScalingGroup;
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
    bundle.grantRead(role);
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': 'EventsPipeline/Producer' } },
      }),
    );

    const drainSeconds = config.fleet.drainDeadlineSeconds;
    const environment = [
      `HOST=0.0.0.0`,
      `PORT=${PORT}`,
      `STREAM_NAME=${props.stream.streamName}`,
      `AWS_REGION=${Stack.of(this).region}`,
      `TENANT_CONFIG_S3_URI=s3://${props.configBucket.bucketName}/tenants.json`,
      `SPILL_DIR=/var/lib/events-api/spill`,
      `DRAIN_DEADLINE_SECONDS=${drainSeconds}`,
    ];
    const userData = ec2.UserData.forLinux();
    userData.addCommands(
      'set -euo pipefail',
      // Node 22 and cfn-signal from the Amazon Linux repositories, reached through the S3 gateway endpoint.
      'dnf install -y nodejs22 aws-cfn-bootstrap',
      // systemd creates /var/lib/events-api for the service (StateDirectory); the spill folder is made on first use.
      'mkdir -p /opt/events-api',
      `aws s3 cp s3://${bundle.s3BucketName}/${bundle.s3ObjectKey} /tmp/events-api.zip`,
      "python3 -c \"import zipfile; zipfile.ZipFile('/tmp/events-api.zip').extractall('/opt/events-api')\"",
      `cat > /etc/events-api.env <<'ENV'\n${environment.join('\n')}\nENV`,
      [
        "cat > /etc/systemd/system/events-api.service <<'UNIT'",
        '[Unit]',
        'Description=events API',
        'After=network-online.target',
        '[Service]',
        'EnvironmentFile=/etc/events-api.env',
        'ExecStart=/usr/bin/node-22 --enable-source-maps /opt/events-api/events-api.js',
        'KillSignal=SIGTERM',
        `TimeoutStopSec=${drainSeconds + 10}`,
        'Restart=always',
        'DynamicUser=yes',
        'StateDirectory=events-api',
        'LimitNOFILE=65536',
        '[Install]',
        'WantedBy=multi-user.target',
        'UNIT',
      ].join('\n'),
      'systemctl daemon-reload',
      'systemctl enable --now events-api',
      healthWaitCommand(`http://127.0.0.1:${PORT}/health`, 60, 2),
    );

    const launchTemplate = new ec2.LaunchTemplate(this, 'LaunchTemplate', {
      instanceType: new ec2.InstanceType(config.fleet.instanceType),
      machineImage: ec2.MachineImage.latestAmazonLinux2023({ cpuType: ec2.AmazonLinuxCpuType.ARM_64 }),
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
      minCapacity: config.fleet.minCapacity,
      maxCapacity: config.fleet.maxCapacity,
      healthChecks: autoscaling.HealthChecks.withAdditionalChecks({
        additionalTypes: [autoscaling.AdditionalHealthCheckType.ELB],
        gracePeriod: Duration.minutes(3),
      }),
      signals: autoscaling.Signals.waitForMinCapacity({ timeout: Duration.minutes(10) }),
      updatePolicy: autoscaling.UpdatePolicy.rollingUpdate({
        minInstancesInService: config.fleet.minCapacity,
        maxBatchSize: Math.max(1, Math.floor(config.fleet.minCapacity / 3)),
        waitOnResourceSignals: true,
        pauseTime: Duration.minutes(10),
      }),
    });
    userData.addSignalOnExitCommand(this.autoScalingGroup);
    this.autoScalingGroup.addLifecycleHook('DrainBeforeTermination', {
      lifecycleTransition: autoscaling.LifecycleTransition.INSTANCE_TERMINATING,
      heartbeatTimeout: Duration.seconds(drainSeconds + 30),
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
    return targetGroup;
  }
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
