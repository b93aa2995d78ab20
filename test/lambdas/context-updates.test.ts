import { createHash } from 'node:crypto';
import {
  collectContextUpdates,
  ContextDocument,
  contextDocumentId,
  mergeContext,
} from '../../lambdas/contexts-indexer/context-updates';
import type { StreamRecord } from '../../lambdas/shared/kinesis-batch';
import type { UnusableEvent } from '../../lambdas/shared/poison-sink';
import { featureEvent } from '../support/sdk-payloads';
import { streamRecord } from '../support/stream-records';

describe('a context document', () => {
  it('stays the same size however many shards and batches have written it', () => {
    // given: one hot context seen in a record on each of 90 shards
    const hot = { kind: 'user', key: 'hot', name: 'Hot' };
    const recordOn = (shard: number): StreamRecord =>
      streamRecord(
        {
          environmentId: 'env-hot',
          receivedAtMs: 1_795_000_000_000 + shard,
          events: [{ ...featureEvent(shard), creationDate: 1_795_000_000_000 + shard, context: hot }],
        },
        shard,
        shard,
      );

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

describe('folding a batch into context updates', () => {
  const AT = 1_795_000_000_000;
  const seen = (payloadId: string, atMs: number, context: object) =>
    streamRecord({ environmentId: 'env-c', payloadId, events: [{ ...featureEvent(1), creationDate: atMs, context }] });

  it('keeps the newest details by time, and by event identity within one millisecond, in any order', () => {
    // given: three sightings, two in the same millisecond, told apart by payload id (the identity order)
    const sightings = [
      seen('payload-a', AT, { kind: 'user', key: 'u', name: 'First' }),
      seen('payload-b', AT + 5, { kind: 'user', key: 'u', name: 'Same ms, lower id' }),
      seen('payload-c', AT + 5, { kind: 'user', key: 'u', name: 'Same ms, higher id' }),
    ];

    // when: folded in every order
    const orders = [
      [0, 1, 2],
      [2, 1, 0],
      [1, 2, 0],
      [2, 0, 1],
    ].map((order) => {
      const [update] = collectContextUpdates(order.map((i) => sightings[i]!)).values();
      return update!;
    });

    // then: the same outcome each time, worked out by hand
    for (const update of orders) {
      expect(update).toMatchObject({ firstSeenMs: AT, lastSeenMs: AT + 5, lastOrder: 'payload-c:0' });
      expect(update.details).toMatchObject({ name: 'Same ms, higher id', atMs: AT + 5, order: 'payload-c:0' });
    }
  });

  it('takes the SDK of the newest sighting', () => {
    const older = streamRecord({
      environmentId: 'env-c',
      payloadId: 'p-1',
      events: [{ ...featureEvent(1), creationDate: AT, context: { kind: 'user', key: 'v' } }],
    });
    const newer = streamRecord({
      environmentId: 'env-c',
      payloadId: 'p-2',
      events: [{ ...featureEvent(1), creationDate: AT + 1, context: { kind: 'user', key: 'v' } }],
    });
    const relabel = (record: StreamRecord, sdkVersion: string): StreamRecord => ({
      ...record,
      events: record.events.map((e) => ({ ...e, envelope: { ...e.envelope, sdkVersion } })),
    });

    for (const order of [
      [relabel(newer, '9.2.0'), relabel(older, '9.1.0')],
      [relabel(older, '9.1.0'), relabel(newer, '9.2.0')],
    ]) {
      const [update] = collectContextUpdates(order).values();
      expect(update!.lastSdk).toBe('NodeJSClient/9.2.0');
    }
  });

  it('names a context whose attributes are not JSON as unusable, and applies the rest', () => {
    // given: a record whose first context's attributes were corrupted after encoding
    const record = streamRecord({
      environmentId: 'env-c',
      events: [
        { ...featureEvent(1), context: { kind: 'user', key: 'broken', plan: 'x' } },
        { ...featureEvent(2), context: { kind: 'user', key: 'fine' } },
      ],
    });
    const broken = record.events[0]!.event.feature!.context!.contexts![0]!;
    broken.attributesJson = '{not json';
    const unusable: UnusableEvent[] = [];

    // when
    const updates = collectContextUpdates([record], undefined, unusable);

    // then
    expect(unusable.map(({ index, reason }) => ({ index, reason }))).toEqual([
      { index: 0, reason: 'context user:broken has attributes that are not JSON' },
    ]);
    expect([...updates.keys()]).toEqual(['env-c/user/fine']);
  });

  it('starts a document from keys alone with no details: not anonymous, nothing redacted', () => {
    const record = streamRecord({
      environmentId: 'env-c',
      events: [{ kind: 'custom', creationDate: AT, key: 'k', contextKeys: { user: 'by-key' } }],
    });
    const [update] = collectContextUpdates([record]).values();

    expect(mergeContext(undefined, update!)).toEqual({
      environmentId: 'env-c',
      kind: 'user',
      key: 'by-key',
      name: undefined,
      anonymous: false,
      attributes: undefined,
      redactedAttributes: [],
      detailsSeen: 0,
      detailsOrder: '',
      firstSeen: AT,
      lastSeen: AT,
      lastSeenOrder: 'payload-0:0',
      lastSdk: 'NodeJSClient/9.0.0',
    });
  });

  it('takes the context of a per-context summary, and none from an alias or a diagnostic', () => {
    const record = streamRecord({
      environmentId: 'env-c',
      events: [
        { kind: 'summary', startDate: AT, endDate: AT, features: {}, context: { kind: 'device', key: 'd-1' } },
        { kind: 'summary', startDate: AT, endDate: AT, features: {} },
        { kind: 'alias', creationDate: AT, key: 'known', previousKey: 'anon' },
      ],
    });
    expect([...collectContextUpdates([record]).keys()]).toEqual(['env-c/device/d-1']);
  });

  it('uses the readable id up to 400 bytes and a digest of the key past it', () => {
    const prefix = 'env-c/user/';
    const fits = 'k'.repeat(400 - prefix.length);
    expect(contextDocumentId('env-c', 'user', fits)).toBe(`${prefix}${fits}`);
    const over = `${fits}k`;
    expect(contextDocumentId('env-c', 'user', over)).toBe(
      `${prefix}sha256:${createHash('sha256').update(over).digest('hex')}`,
    );
  });
});
