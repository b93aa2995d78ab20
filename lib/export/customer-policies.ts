import type { ExportDestination } from '../../lambdas/exporter/destinations';

/** An IAM policy document, as the console and the CLI take it. */
export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly Record<string, unknown>[];
}

/**
 * What a destination's owner pastes into their account: the role's trust policy, which lets the pipeline's account
 * assume it only with the external id (the confused-deputy guard, per IAM's guide to third-party access), and its
 * permissions, which let it write to that one stream and nothing else.
 */
export function customerPolicies(
  destination: ExportDestination,
  pipelineAccount: string,
): { trust: PolicyDocument; permissions: PolicyDocument } {
  return {
    trust: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${pipelineAccount}:root` },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': destination.externalId } },
        },
      ],
    },
    permissions: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action:
            destination.kind === 'kinesis'
              ? ['kinesis:PutRecords', 'kinesis:PutRecord', 'kinesis:DescribeStreamSummary']
              : ['firehose:PutRecordBatch', 'firehose:PutRecord'],
          Resource: destination.streamArn,
        },
      ],
    },
  };
}
