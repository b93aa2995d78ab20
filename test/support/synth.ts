import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { EnvironmentConfig } from '../../lib/config/environment-config';
import { acknowledgeFindings, AwsSolutionsChecksWithAcceptedFindings } from '../../lib/nag-acknowledgements';
import { buildPipeline, PipelineStacks } from '../../lib/pipeline-stacks';

/** Builds one environment as bin/app.ts does, with esbuild left out unless asked for. */
export function synthPipeline(config: EnvironmentConfig, options: { bundle?: boolean } = {}): PipelineStacks {
  const app = new App({
    context: options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] },
    outdir: undefined,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecksWithAcceptedFindings(app));
  const stacks = buildPipeline(app, config, '123456789012');
  acknowledgeFindings(stacks);
  return stacks;
}

const ASSET_HASH = /[a-f0-9]{64}(\.zip)?/g;

/** The template with what changes on every build masked: asset hashes and the Lambda runtime map CDK maintains. */
export function stableTemplate(stack: Stack): unknown {
  const template = Template.fromStack(stack).toJSON() as { Mappings?: Record<string, unknown> };
  for (const name of Object.keys(template.Mappings ?? {})) {
    if (/LatestNodeRuntimeMap/.test(name)) template.Mappings![name] = '[runtime map]';
  }
  return JSON.parse(JSON.stringify(template).replace(ASSET_HASH, '[asset hash]')) as unknown;
}

export const stacksOf = (pipeline: PipelineStacks): Stack[] => [
  pipeline.alerts,
  pipeline.network,
  pipeline.stream,
  pipeline.stores,
  pipeline.ingest,
  pipeline.archive,
  pipeline.contextsIndexer,
  pipeline.flagStatus,
  pipeline.dashboard,
];
