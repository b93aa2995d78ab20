import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { FirehoseTransformationEvent } from 'aws-lambda';
import { transformArchiveRecords } from './handler';

const logger = new Logger({ serviceName: 'archive-transform' });
const metrics = new Metrics({ namespace: 'EventsPipeline/Consumers', serviceName: 'archive-transform' });

function handle(event: FirehoseTransformationEvent) {
  const result = transformArchiveRecords(event);
  metrics.addMetric('eventsArchived', MetricUnit.Count, result.events);
  metrics.addMetric('corruptRecords', MetricUnit.Count, result.corruptRecords);
  metrics.addMetric('overBudgetRecords', MetricUnit.Count, result.overBudgetRecords);
  if (result.corruptRecords + result.overBudgetRecords > 0) {
    logger.warn('records answered ProcessingFailed', {
      corrupt: result.corruptRecords,
      overBudget: result.overBudgetRecords,
    });
  }
  return Promise.resolve(result.response);
}

export const handler = middy(handle).use(injectLambdaContext(logger)).use(logMetrics(metrics));
