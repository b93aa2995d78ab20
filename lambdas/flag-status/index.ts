import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import type { KinesisStreamEvent } from 'aws-lambda';
import { eventTimeWindowFromEnv, generationFromEnv, poisonSinkFromEnv } from '../shared/consumer-environment';
import { reportBatchFigures } from '../shared/consumer-metrics';
import { integerEnv, requiredEnv } from '../shared/environment';
import { redisClient, RedisClient } from '../shared/redis-client';
import { DEFAULT_TTLS, FlagStatusTtls } from './flag-status-updates';
import { updateFlagStatus } from './handler';

const logger = new Logger({ serviceName: 'flag-status' });
const metrics = new Metrics({ namespace: 'EventsPipeline/Consumers', serviceName: 'flag-status' });
const redisUrl = requiredEnv('REDIS_URL');
const authSecretArn = process.env.REDIS_AUTH_SECRET_ARN;
const keyPrefix = process.env.KEY_PREFIX ?? 'fs';
const ttls: FlagStatusTtls = {
  minuteBucketSeconds: integerEnv('MINUTE_BUCKET_TTL_SECONDS', DEFAULT_TTLS.minuteBucketSeconds),
  hourBucketSeconds: integerEnv('HOUR_BUCKET_TTL_SECONDS', DEFAULT_TTLS.hourBucketSeconds),
  hourlyContextsSeconds: integerEnv('HOURLY_CONTEXTS_TTL_SECONDS', DEFAULT_TTLS.hourlyContextsSeconds),
  statusSeconds: integerEnv('STATUS_TTL_SECONDS', DEFAULT_TTLS.statusSeconds),
  appliedEventsSeconds: integerEnv('APPLIED_EVENTS_TTL_SECONDS', DEFAULT_TTLS.appliedEventsSeconds),
};
const generation = generationFromEnv();
const eventTimeWindow = eventTimeWindowFromEnv();
const poison = poisonSinkFromEnv();
let redis: Promise<RedisClient> | undefined;

async function connect(): Promise<RedisClient> {
  const password = authSecretArn ? await getSecret<string>(authSecretArn) : undefined;
  return redisClient({
    url: redisUrl,
    password,
    tls: process.env.REDIS_TLS === 'true',
    cluster: process.env.REDIS_CLUSTER === 'true',
  });
}

async function handle(event: KinesisStreamEvent) {
  redis ??= connect().catch((error: unknown) => {
    redis = undefined;
    throw error;
  });
  const result = await updateFlagStatus(event, {
    redis: await redis,
    keyPrefix,
    ttls,
    eventTimeWindow,
    generation,
    poison,
  });
  reportBatchFigures(metrics, logger, result);
  metrics.addMetric('recordsApplied', MetricUnit.Count, result.appliedRecords);
  metrics.addMetric('duplicateEvents', MetricUnit.Count, result.duplicateEvents);
  metrics.addMetric('storeErrors', MetricUnit.Count, result.storeErrors.length);
  for (const error of result.storeErrors) logger.error('Redis write failed; records reported for retry', { error });
  return result.response;
}

export const handler = middy(handle).use(injectLambdaContext(logger)).use(logMetrics(metrics));
