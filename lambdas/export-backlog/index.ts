import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context } from 'aws-lambda';
import { destinationReporter, exporterFromEnv } from '../exporter/exporter-environment';

const logger = new Logger({ serviceName: 'export-backlog' });
const metrics = new Metrics({ namespace: 'EventsPipeline/Consumers', serviceName: 'export-backlog' });
const exporter = exporterFromEnv();
const report = destinationReporter(
  new Metrics({ namespace: 'EventsPipeline/Consumers', serviceName: 'export-backlog' }),
  logger,
  exporter,
);

/** Run every minute: sends each destination's backlog until shortly before the function's own timeout. */
async function handle(_event: unknown, context: Context) {
  await exporter.drainBacklogs(Date.now() + context.getRemainingTimeInMillis() - 10_000);
  report();
}

export const handler = middy(handle).use(injectLambdaContext(logger)).use(logMetrics(metrics));
