import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { EnvironmentConfig } from '../../lib/config/environment-config';
import { acknowledgeFindings, AwsSolutionsChecksWithAcceptedFindings } from '../../lib/nag-acknowledgements';
import { DestinationsFile } from '../../lambdas/exporter/destinations';
import { buildPipeline, PipelineStacks } from '../../lib/pipeline-stacks';

/** The context `cdk synth` gives the app from cdk.json: CDK's feature flags, so tests see the templates that deploy. */
export const CDK_JSON_CONTEXT = (
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }
).context;

/** Builds one environment as bin/app.ts does, with esbuild left out unless asked for. */
export function synthPipeline(
  config: EnvironmentConfig,
  options: { bundle?: boolean; exportDestinations?: DestinationsFile } = {},
): PipelineStacks {
  const app = new App({
    context: { ...CDK_JSON_CONTEXT, ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) },
    outdir: undefined,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecksWithAcceptedFindings(app));
  const stacks = buildPipeline(app, config, '123456789012', options.exportDestinations);
  acknowledgeFindings(stacks);
  return stacks;
}

const ASSET_HASH = /[a-f0-9]{64}(\.zip)?/g;
// A function version's logical id ends in a hash of its code, which follows the asset.
const VERSION_HASH = /(CurrentVersion[A-F0-9]{8})[a-f0-9]{32}/g;

/** The template with what changes from build to build masked: asset and code hashes, and CDK's Lambda runtime map. */
export function stableTemplate(stack: Stack): unknown {
  const template = Template.fromStack(stack).toJSON() as { Mappings?: Record<string, unknown> };
  for (const name of Object.keys(template.Mappings ?? {})) {
    if (/LatestNodeRuntimeMap/.test(name)) template.Mappings![name] = '[runtime map]';
  }
  const masked = JSON.stringify(template).replace(ASSET_HASH, '[asset hash]').replace(VERSION_HASH, '$1[code hash]');
  return JSON.parse(masked) as unknown;
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
  pipeline.analytics,
  pipeline.dashboard,
  ...(pipeline.exporter ? [pipeline.exporter] : []),
];
