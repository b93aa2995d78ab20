import { Template } from 'aws-cdk-lib/assertions';
import { EnvironmentConfig } from '../../lib/config/environment-config';
import { Prod } from '../../lib/config/environments';
import { synthPipeline } from '../support/synth';

type Mapping = { logicalId: string; startingPosition: unknown; timestamp: unknown; functionName: string };

/** Every event source mapping of both consumer stacks: what decides whether CloudFormation replaces one. */
function mappings(config: EnvironmentConfig): Mapping[] {
  const pipeline = synthPipeline(config);
  return [pipeline.contextsIndexer, pipeline.flagStatus].flatMap((stack) =>
    Object.entries(Template.fromStack(stack).findResources('AWS::Lambda::EventSourceMapping')).map(
      ([logicalId, resource]) => {
        const properties = (resource as { Properties: Record<string, unknown> }).Properties;
        return {
          logicalId: `${stack.stackName}/${logicalId}`,
          startingPosition: properties.StartingPosition,
          timestamp: properties.StartingPositionTimestamp,
          functionName: JSON.stringify(properties.FunctionName),
        };
      },
    ),
  );
}

const withConsumers = (
  config: EnvironmentConfig,
  change: (
    settings: EnvironmentConfig['consumers']['flagStatus'],
  ) => Partial<EnvironmentConfig['consumers']['flagStatus']>,
) => ({
  ...config,
  consumers: {
    contextsIndexer: { ...config.consumers.contextsIndexer, ...change(config.consumers.contextsIndexer) },
    flagStatus: { ...config.consumers.flagStatus, ...change(config.consumers.flagStatus) },
  },
});

describe('replay in one deploy', () => {
  const live = mappings(Prod);

  it.each([
    ['batch size and window', withConsumers(Prod, () => ({ batchSize: 150, batchingWindowSeconds: 5 }))],
    ['retries and record age', withConsumers(Prod, () => ({ maxRetryAttempts: 3, maxRecordAgeSeconds: 3600 }))],
    [
      'memory, timeout and concurrency',
      withConsumers(Prod, () => ({ memoryMb: 2048, timeoutSeconds: 120, reservedConcurrency: 400 })),
    ],
    [
      'the declared load (and the concurrency it needs)',
      {
        ...withConsumers(Prod, () => ({ reservedConcurrency: 500 })),
        load: { ...Prod.load, peakEventsPerSecond: 600_000 },
      },
    ],
    [
      'the fleet and the stores',
      { ...Prod, fleet: { ...Prod.fleet, maxCapacity: 90 }, redis: { ...Prod.redis, nodeType: 'cache.r7g.2xlarge' } },
    ],
  ])('keeps every live mapping (same logical id and start) when %s change', (_change, changed) => {
    expect(mappings(changed)).toEqual(live);
  });

  it('replaces only the replayed consumer’s mapping, with a new one on a new alias, when its generation is bumped', () => {
    // given
    const replayed = withConsumers(Prod, () => ({}));
    const config = {
      ...replayed,
      consumers: {
        ...replayed.consumers,
        contextsIndexer: {
          ...replayed.consumers.contextsIndexer,
          replay: { from: '2026-11-20T10:00:00Z', requestedAt: '2026-11-20T12:00:00Z', generation: 3 },
        },
      },
    };

    // when
    const after = mappings(config);

    // then: flag-status untouched; contexts-indexer's old mapping gone and a new one at the replay time
    const [liveIndexer, liveFlagStatus] = live;
    const [newIndexer, flagStatus] = after;
    expect(flagStatus).toEqual(liveFlagStatus);
    expect(newIndexer!.logicalId).not.toBe(liveIndexer!.logicalId);
    expect(after.map((m) => m.logicalId)).not.toContain(liveIndexer!.logicalId);
    expect(newIndexer!.functionName).toMatch(/generation-3/);
    expect(newIndexer).toMatchObject({
      startingPosition: 'AT_TIMESTAMP',
      // the hour-aligned start, less the five minutes an event's time may run ahead of its record
      timestamp: (Date.parse('2026-11-20T10:00:00Z') - 300_000) / 1000,
    });
  });
});
