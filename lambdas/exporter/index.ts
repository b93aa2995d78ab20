import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { KinesisStreamEvent } from 'aws-lambda';
import { reportBatchFigures } from '../shared/consumer-metrics';
import { destinationReporter, exporterFromEnv } from './exporter-environment';

const logger = new Logger({ serviceName: 'exporter' });
const metrics = new Metrics({ namespace: 'EventsPipeline/Consumers', serviceName: 'exporter' });
const exporter = exporterFromEnv();
const report = destinationReporter(
  new Metrics({ namespace: 'EventsPipeline/Consumers', serviceName: 'exporter' }),
  logger,
  exporter,
);

async function handle(event: KinesisStreamEvent) {
  const result = await exporter.exportBatch(event);
  reportBatchFigures(metrics, logger, { ...result, unusableEvents: 0, clampedEvents: 0 });
  report();
  if (result.error)
    logger.error('the backlog could not be written; records reported for retry', { error: result.error });
  return result.response;
}

export const handler = middy(handle).use(injectLambdaContext(logger)).use(logMetrics(metrics));
