import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';

/** A deployed stack's outputs by key: where the scripts find the names of what they work on. */
export async function stackOutputs(
  cloudFormation: Pick<CloudFormationClient, 'send'>,
  stackName: string,
): Promise<Record<string, string | undefined>> {
  const answer = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
  return Object.fromEntries((answer.Stacks?.[0]?.Outputs ?? []).map((each) => [each.OutputKey!, each.OutputValue]));
}
