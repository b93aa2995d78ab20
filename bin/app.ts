#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { ENVIRONMENTS } from '../lib/config/environments';
import { acknowledgeFindings, AwsSolutionsChecksWithAcceptedFindings } from '../lib/nag-acknowledgements';
import { buildPipeline } from '../lib/pipeline-stacks';

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecksWithAcceptedFindings(app));
// Synthesize one environment with `-c env=prod`; every environment otherwise.
const only = app.node.tryGetContext('env') as string | undefined;
for (const config of ENVIRONMENTS.filter((each) => !only || each.name === only)) {
  acknowledgeFindings(buildPipeline(app, config, process.env.CDK_DEFAULT_ACCOUNT));
}
