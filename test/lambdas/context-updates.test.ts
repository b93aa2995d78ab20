import { decodeRecordWithId } from '../../codec/event-codec';
import { collectContextUpdates, ContextDocument, mergeContext } from '../../lambdas/contexts-indexer/context-updates';
import type { StreamRecord } from '../../lambdas/shared/kinesis-batch';
import { featureEvent } from '../support/sdk-payloads';
import { packPayloads } from '../support/stream-events';

describe('a context document', () => {
  it('stays the same size however many shards and batches have written it', () => {
    // given: one hot context seen in a record on each of 90 shards
    const hot = { kind: 'user', key: 'hot', name: 'Hot' };
    const recordOn = (shard: number): StreamRecord => {
      const [data] = packPayloads([
        {
          environmentId: 'env-hot',
          events: [{ ...featureEvent(shard), creationDate: 1_795_000_000_000 + shard, context: hot }],
        },
      ]);
      const decoded = decodeRecordWithId(data!);
      return {
        shardId: `shardId-${String(shard).padStart(12, '0')}`,
        sequenceNumber: String(shard),
        arrivalMs: 1_795_000_000_000 + shard,
        recordId: decoded.recordId,
        events: decoded.events,
        data: data!.toString('base64'),
      };
    };

    // when: each shard's batch is merged into the stored document in turn
    const sizes: number[] = [];
    let document: ContextDocument | undefined;
    for (let shard = 0; shard < 90; shard++) {
      const [update] = collectContextUpdates([recordOn(shard)]).values();
      document = mergeContext(document, update!);
      sizes.push(Buffer.byteLength(JSON.stringify(document)));
    }

    // then: no per-shard state accumulates; only the newest values are kept
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(8);
    expect(document).toMatchObject({ firstSeen: 1_795_000_000_000, lastSeen: 1_795_000_000_089, name: 'Hot' });
  });
});
