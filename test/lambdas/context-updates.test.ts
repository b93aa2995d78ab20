import { createHash } from 'node:crypto';
import {
  collectContextUpdates,
  ContextDocument,
  contextDocumentId,
  lastSeenResolutionProblem,
  mergeContext,
  sameContext,
} from '../../lambdas/contexts-indexer/context-updates';
import type { StreamRecord } from '../../lambdas/shared/kinesis-batch';
import type { UnusableEvent } from '../../lambdas/shared/poison-sink';
import { featureEvent } from '../support/sdk-payloads';
import { streamRecord } from '../support/stream-records';

const HOUR = 3_600_000;
// An hour boundary, so the tests' windows are easy to read.
const AT = 1_795_003_200_000;

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
      const [update] = collectContextUpdates([recordOn(shard)], 1).values();
      document = mergeContext(document, update!);
      sizes.push(Buffer.byteLength(JSON.stringify(document)));
    }

    // then: no per-shard state accumulates; only the newest values are kept
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(8);
    expect(document).toMatchObject({ firstSeen: 1_795_000_000_000, lastSeen: 1_795_000_000_089, name: 'Hot' });
  });
});

describe('folding a batch into context updates', () => {
  const seen = (payloadId: string, atMs: number, context: object) =>
    streamRecord({
      environmentId: 'env-c',
      payloadId,
      receivedAtMs: atMs,
      events: [{ ...featureEvent(1), creationDate: atMs, context }],
    });

  it('keeps the details of the newest window, and within one the greatest, in any order', () => {
    // given: two names within one hour's window, then an older name again in the next window
    const sightings = [
      seen('payload-a', AT + 10 * 60_000, { kind: 'user', key: 'u', name: 'Bea', plan: 'pro' }),
      seen('payload-b', AT + 50 * 60_000, { kind: 'user', key: 'u', name: 'Ann', plan: 'pro' }),
      seen('payload-c', AT + 20 * 60_000, { kind: 'user', key: 'u', name: 'Bea', plan: 'team' }),
    ];
    const next = seen('payload-d', AT + HOUR + 1, { kind: 'user', key: 'u', name: 'Ann' });

    // when: folded in every order, with and without the next window
    const fold = (order: number[], extra: StreamRecord[] = []) => {
      const [update] = collectContextUpdates([...order.map((i) => sightings[i]!), ...extra], HOUR).values();
      return update!;
    };
    const orders = [
      [0, 1, 2],
      [2, 1, 0],
      [1, 2, 0],
    ];

    // then: the same outcome each time, worked out by hand ('Bea' after 'Ann'; then {plan: team} after {plan: pro})
    for (const order of orders) {
      expect(fold(order)).toMatchObject({ firstSeenMs: AT + 10 * 60_000, lastSeenMs: AT });
      expect(fold(order).details).toMatchObject({ name: 'Bea', attributes: { plan: 'team' }, atMs: AT });
      expect(fold(order, [next]).details).toMatchObject({ name: 'Ann', atMs: AT + HOUR });
      expect(fold(order, [next]).lastSeenMs).toBe(AT + HOUR);
    }
  });

  it('leaves a document as it was for a context seen again as it was within its window', () => {
    // given: a document written from a first sighting
    const context = { kind: 'user', key: 'u', name: 'Ada', plan: 'pro', nested: { b: 1, a: [1, 2] } };
    const [first] = collectContextUpdates([seen('p-1', AT + 60_000, context)], HOUR).values();
    const stored = mergeContext(undefined, first!);

    // when: seen again later in the hour, with its attributes in another order; then in the next hour
    const again = { name: 'Ada', nested: { a: [1, 2], b: 1 }, key: 'u', plan: 'pro', kind: 'user' };
    const [later] = collectContextUpdates([seen('p-2', AT + 59 * 60_000, again)], HOUR).values();
    const [nextHour] = collectContextUpdates([seen('p-3', AT + HOUR, again)], HOUR).values();

    // then: nothing to write within the hour; the next hour moves last seen and the details' window
    expect(sameContext(mergeContext(stored, later!), stored)).toBe(true);
    const moved = mergeContext(stored, nextHour!);
    expect(sameContext(moved, stored)).toBe(false);
    expect(moved).toMatchObject({ firstSeen: AT + 60_000, lastSeen: AT + HOUR, detailsSeen: AT + HOUR, name: 'Ada' });
  });

  it('refuses a resolution that does not divide an hour, naming what it accepts', () => {
    expect([1, 5, 15, 60].map(lastSeenResolutionProblem)).toEqual([undefined, undefined, undefined, undefined]);
    expect(lastSeenResolutionProblem(7)).toMatch(/divides an hour .* got 7/);
    expect(lastSeenResolutionProblem(120)).toMatch(/got 120/);
    expect(lastSeenResolutionProblem(0.5)).toMatch(/whole number/);
  });

  it('takes the SDK of the newest sighting', () => {
    const older = streamRecord({
      environmentId: 'env-c',
      payloadId: 'p-1',
      receivedAtMs: AT,
      events: [{ ...featureEvent(1), creationDate: AT, context: { kind: 'user', key: 'v' } }],
    });
    const newer = streamRecord({
      environmentId: 'env-c',
      payloadId: 'p-2',
      receivedAtMs: AT + HOUR,
      events: [{ ...featureEvent(1), creationDate: AT + HOUR, context: { kind: 'user', key: 'v' } }],
    });
    const relabel = (record: StreamRecord, sdkVersion: string): StreamRecord => ({
      ...record,
      events: record.events.map((e) => ({ ...e, envelope: { ...e.envelope, sdkVersion } })),
    });

    for (const order of [
      [relabel(newer, '9.2.0'), relabel(older, '9.1.0')],
      [relabel(older, '9.1.0'), relabel(newer, '9.2.0')],
    ]) {
      const [update] = collectContextUpdates(order, HOUR).values();
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
    const updates = collectContextUpdates([record], HOUR, undefined, unusable);

    // then
    expect(unusable.map(({ index, reason }) => ({ index, reason }))).toEqual([
      { index: 0, reason: 'context user:broken has attributes that are not JSON' },
    ]);
    expect([...updates.keys()]).toEqual(['env-c/user/fine']);
  });

  it('starts a document from keys alone with no details: not anonymous, nothing redacted', () => {
    const record = streamRecord({
      environmentId: 'env-c',
      receivedAtMs: AT,
      events: [{ kind: 'custom', creationDate: AT + 1, key: 'k', contextKeys: { user: 'by-key' } }],
    });
    const [update] = collectContextUpdates([record], HOUR).values();

    expect(mergeContext(undefined, update!)).toEqual({
      environmentId: 'env-c',
      kind: 'user',
      key: 'by-key',
      name: undefined,
      anonymous: false,
      attributes: undefined,
      redactedAttributes: [],
      detailsSeen: 0,
      firstSeen: AT + 1,
      lastSeen: AT,
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
    expect([...collectContextUpdates([record], HOUR).keys()]).toEqual(['env-c/device/d-1']);
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
