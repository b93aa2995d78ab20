#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ENVIRONMENTS } from '../lib/config/environments';
import { acknowledgeFindings } from '../lib/nag-acknowledgements';
import { buildPipeline } from '../lib/pipeline-stacks';

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
// Synthesize one environment with `-c env=prod`; every environment otherwise.
const only = app.node.tryGetContext('env') as string | undefined;
for (const config of ENVIRONMENTS.filter((each) => !only || each.name === only)) {
  acknowledgeFindings(buildPipeline(app, config, process.env.CDK_DEFAULT_ACCOUNT));
}
