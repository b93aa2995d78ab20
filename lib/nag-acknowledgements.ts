import {
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  PolicyValidationPluginReport,
  Validations,
} from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import type { PipelineStacks } from './pipeline-stacks';

function acknowledge(scope: IConstruct, reason: string, ...rules: string[]): void {
  Validations.of(scope).acknowledge(...rules.map((rule) => ({ id: `AwsSolutions::${rule}`, reason })));
}

/**
 * Findings that CDK's own grant methods and managed integrations produce, accepted by pattern (and path where the
 * pattern alone is too wide); anything else still fails synth.
 */
const ACCEPTED_FINDINGS: { readonly finding: RegExp; readonly path?: RegExp; readonly reason: string }[] = [
  {
    finding:
      /^AwsSolutions-IAM4\[Policy::arn:<AWS::Partition>:iam::aws:policy\/service-role\/AWSLambda(Basic|VPCAccess)ExecutionRole\]$/,
    reason: 'Grants only log delivery and the VPC network interfaces a function needs.',
  },
  {
    finding: /^AwsSolutions-IAM4\[Policy::arn:<AWS::Partition>:iam::aws:policy\/AmazonSSMManagedInstanceCore\]$/,
    path: /\/Ingest\/Fleet\/Role\//,
    reason: 'Session Manager replaces SSH on the fleet.',
  },
  {
    finding:
      /^AwsSolutions-IAM5\[Action::(kms:(GenerateDataKey|ReEncrypt)\*|s3:(GetObject|GetBucket|List|DeleteObject|Abort)\*)\]$/,
    reason: 'Action wildcards from CDK grant methods, each scoped to one key or bucket.',
  },
  {
    finding: /^AwsSolutions-IAM5\[Resource::.+\/\*\]$/,
    reason: 'Object-level grants inside one bucket or one domain (its ARN followed by /*).',
  },
  {
    finding: /^AwsSolutions-IAM5\[Resource::<\w+\.Arn>:\*\]$/,
    reason: 'Firehose invokes any version of the one transform function.',
  },
  {
    finding: /^AwsSolutions-IAM5\[Resource::\*\]$/,
    path: /\/(Ingest\/Fleet|Analytics)\/Role\/DefaultPolicy\//,
    reason:
      'Actions IAM scopes to no resource: the fleet describing its Auto Scaling instances (completing a lifecycle action is held to its own group by tag), and the network interfaces Managed Service for Apache Flink places in the VPC.',
  },
  {
    finding: /^AwsSolutions-IAM5\[Resource::\*\]$/,
    path: /\/Stores\/Contexts\/ESLogGroupPolicy\w+\/CustomResourcePolicy\//,
    reason:
      "CDK's custom resource that lets the OpenSearch service write its logs sets a resource policy, which has no resource scope.",
  },
];

function isAccepted(finding: string, constructPath: string): boolean {
  return ACCEPTED_FINDINGS.some((rule) => rule.finding.test(finding) && (!rule.path || rule.path.test(constructPath)));
}

/**
 * cdk-nag's AwsSolutions checks, less the findings accepted above. It filters after CDK has resolved cross-stack
 * references, so a finding reads the same here as in the report (an ARN imported from another stack included).
 */
export class AwsSolutionsChecksWithAcceptedFindings implements IPolicyValidationPlugin {
  readonly name: string;
  private readonly checks: AwsSolutionsChecks;

  constructor(scope?: IConstruct) {
    this.checks = new AwsSolutionsChecks(scope);
    this.name = this.checks.name;
  }

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const violations = this.checks
      .validate(context)
      .violations.map((violation) => ({
        ...violation,
        violatingResources: violation.violatingResources.filter(
          (resource) => !isAccepted(violation.ruleName, resource.constructPath ?? ''),
        ),
      }))
      .filter((violation) => violation.violatingResources.length > 0);
    return { success: violations.length === 0, violations };
  }
}

/** cdk-nag AwsSolutions findings accepted by design, each acknowledged on the resource it concerns, with a reason. */
export function acknowledgeFindings(stacks: PipelineStacks): void {
  const { config, stores } = stacks;
  acknowledge(
    stacks.stream.stream,
    'A customer-managed key is required (rotation and key policy under our control).',
    'AwsSolutions-KDS3',
  );
  acknowledge(
    stacks.archive.deliveryStream,
    "With a Kinesis stream as source, Firehose keeps the stream's KMS encryption; SSE on the delivery stream does not apply.",
    'AwsSolutions-KDF1',
  );
  const consumers = [stacks.contextsIndexer.consumer, stacks.flagStatus.consumer];
  if (stacks.exporter) consumers.push(stacks.exporter.consumer);
  for (const consumer of consumers) {
    acknowledge(
      consumer.deadLetterQueue,
      'This queue is the on-failure destination; people read it, nothing retries from it.',
      'AwsSolutions-SQS3',
    );
  }
  acknowledge(
    stores.domain,
    'In the VPC behind a group open to the consumers only, with an access policy naming one role.',
    'AwsSolutions-OS3',
  );
  if (!config.openSearch.dedicatedMasters) {
    acknowledge(
      stores.domain,
      `No dedicated masters in ${config.name}: a small domain; prod has three.`,
      'AwsSolutions-OS4',
    );
  }
  if (!config.openSearch.zoneAwareness) {
    acknowledge(stores.domain, `One zone in ${config.name}; staging and prod spread over zones.`, 'AwsSolutions-OS7');
  }
  acknowledge(
    stores.redisAuthToken,
    'Rotating an AUTH token takes a coordinated two-token rotation, run as an operation.',
    'AwsSolutions-SMG4',
  );
  const redis = stores.node.findChild('FlagStatus');
  acknowledge(
    redis,
    "The port is closed to all but the consumers' security group; another port adds nothing.",
    'AwsSolutions-AEC5',
  );
  if (!config.redis.multiAz)
    acknowledge(redis, `A single node in ${config.name}; staging and prod are multi-AZ.`, 'AwsSolutions-AEC4');
  for (const group of stacks.ingest.loadBalancer.connections.securityGroups) {
    acknowledge(group, 'The events API is public: SDKs post from anywhere.', 'AwsSolutions-EC23');
  }
}
