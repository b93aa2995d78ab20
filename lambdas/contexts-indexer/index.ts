import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context, KinesisStreamEvent } from 'aws-lambda';
import { eventTimeWindowFromEnv, generationFromEnv, poisonSinkFromEnv } from '../shared/consumer-environment';
import { reportBatchFigures } from '../shared/consumer-metrics';
import { integerEnv, requiredEnv } from '../shared/environment';
import { openSearchClient } from '../shared/opensearch-client';
import { ensureGenerationIndex } from './context-generations';
import { DEFAULT_LAST_SEEN_RESOLUTION_MINUTES, lastSeenResolutionProblem } from './context-updates';
import { indexContextsBatch } from './handler';

// Time kept back from the invocation's budget so the answer gets out before Lambda's timeout.
const RESPONSE_MARGIN_MS = 2_000;

const logger = new Logger({ serviceName: 'contexts-indexer' });
const metrics = new Metrics({ namespace: 'EventsPipeline/Consumers', serviceName: 'contexts-indexer' });
const alias = process.env.CONTEXTS_ALIAS ?? 'contexts';
const client = openSearchClient({
  url: requiredEnv('OPENSEARCH_URL'),
  sigv4Region: process.env.OPENSEARCH_SIGV4 === 'true' ? requiredEnv('AWS_REGION') : undefined,
});
const generation = generationFromEnv();
const primaryShards = integerEnv('CONTEXTS_PRIMARY_SHARDS', 1);
const resolutionMinutes = integerEnv('LAST_SEEN_RESOLUTION_MINUTES', DEFAULT_LAST_SEEN_RESOLUTION_MINUTES);
const resolutionProblem = lastSeenResolutionProblem(resolutionMinutes);
if (resolutionProblem) throw new Error(`LAST_SEEN_RESOLUTION_MINUTES ${resolutionProblem}`);
const settings = {
  client,
  alias,
  generation,
  maxBulkBytes: integerEnv('MAX_BULK_BYTES', 5_000_000),
  eventTimeWindow: eventTimeWindowFromEnv(),
  lastSeenResolutionMs: resolutionMinutes * 60_000,
  poison: poisonSinkFromEnv(),
};
let indexReady: Promise<void> | undefined;

async function handle(event: KinesisStreamEvent, context: Context) {
  indexReady ??= ensureGenerationIndex(client, alias, generation.generation, primaryShards).catch((error: unknown) => {
    indexReady = undefined;
    throw error;
  });
  await indexReady;
  const result = await indexContextsBatch(
    event,
    settings,
    () => context.getRemainingTimeInMillis() - RESPONSE_MARGIN_MS,
  );
  reportBatchFigures(metrics, logger, result);
  metrics.addMetric('contextsWritten', MetricUnit.Count, result.write.written);
  metrics.addMetric('contextsUnchanged', MetricUnit.Count, result.write.unchanged);
  metrics.addMetric('contextsRead', MetricUnit.Count, result.write.read);
  metrics.addMetric('contextsFailed', MetricUnit.Count, result.write.failedIds.size);
  metrics.addMetric('throttledItems', MetricUnit.Count, result.write.throttledItems);
  if (result.response.batchItemFailures.length > 0) {
    logger.warn('records reported as failed', {
      failures: result.response.batchItemFailures.length,
      corrupt: result.corruptRecords,
    });
  }
  return result.response;
}

export const handler = middy(handle).use(injectLambdaContext(logger)).use(logMetrics(metrics));
