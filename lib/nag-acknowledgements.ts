import type { PipelineStacks } from './pipeline-stacks';

/** Findings of cdk-nag's AwsSolutions checks that are accepted by design, each on the resource it concerns. */
export function acknowledgeFindings(_stacks: PipelineStacks): void {}
