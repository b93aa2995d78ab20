import { createHash } from 'node:crypto';
import {
  collectFlagStatusWrites,
  DEFAULT_TTLS,
  flagStatusKeys,
  hashTag,
  variationField,
} from '../../lambdas/flag-status/flag-status-updates';
import { EventClock } from '../../lambdas/shared/event-time';
import type { StreamRecord } from '../../lambdas/shared/kinesis-batch';
import { featureEvent } from '../support/sdk-payloads';
import { streamRecord, streamRecords } from '../support/stream-records';

const AT = 1_795_000_030_000;
const options = {
  prefix: 'fs',
  ttls: DEFAULT_TTLS,
  clock: new EventClock(),
  writer: { generation: 0, fromMs: 0 },
  generations: [],
};
const collect = (records: StreamRecord[]) => collectFlagStatusWrites(records, options);

describe('flag-status writes from a batch', () => {
  it('buckets counts by the minute and the hour the summary ended in, and remembers the event in its ledger', () => {
    // given: a summary ending 30 s into a minute, at position 0 of its payload
    const record = streamRecord({
      environmentId: 'env-f',
      payloadId: 'p-1',
      events: [
        {
          kind: 'summary',
          startDate: AT - 1_000,
          endDate: AT,
          features: { 'flag-a': { default: false, counters: [{ value: true, variation: 1, version: 2, count: 3 }] } },
        },
      ],
    });

    // when
    const { writes, unusable } = collect([record]);
    const ttlOf = new Map(writes.expire);

    // then: keys computed here from the definition of a bucket, not from the code under test
    const minute = Math.floor(AT / 60_000) * 60_000;
    const hour = Math.floor(AT / 3_600_000) * 3_600_000;
    expect(unusable).toEqual([]);
    expect(writes.counted).toEqual([
      [
        'fs:g0:{env-f}:applied:p-1',
        0,
        [
          [`fs:g0:{env-f}:count:m:flag-a:${minute}`, '1', 3],
          [`fs:g0:{env-f}:count:h:flag-a:${hour}`, '1', 3],
        ],
      ],
    ]);
    expect(ttlOf.get(`fs:g0:{env-f}:count:m:flag-a:${minute}`)).toBe(DEFAULT_TTLS.minuteBucketSeconds);
    expect(ttlOf.get(`fs:g0:{env-f}:count:h:flag-a:${hour}`)).toBe(DEFAULT_TTLS.hourBucketSeconds);
    expect(ttlOf.get('fs:g0:{env-f}:applied:p-1')).toBe(DEFAULT_TTLS.appliedEventsSeconds);
  });

  it('takes the last evaluation from debug events too, with -1 for a version and variation the SDK did not send', () => {
    const record = streamRecord({
      environmentId: 'env-f',
      payloadId: 'p-d',
      events: [
        {
          ...featureEvent(1),
          kind: 'debug',
          key: 'flag-d',
          creationDate: AT,
          value: true,
          version: undefined,
          variation: undefined,
        },
      ],
    });
    expect(collect([record]).writes.last).toEqual([['fs:g0:{env-f}:flag:flag-d', AT, -1, -1, 'true', 'p-d:0']]);
  });

  it('leaves to the generation it replaces what happened before a replay started, and counts it', () => {
    const replay = { ...options, writer: { generation: 1, fromMs: AT + 3_600_000 } };
    const record = streamRecord({
      environmentId: 'env-f',
      receivedAtMs: AT,
      events: [{ ...featureEvent(1), creationDate: AT }],
    });
    const { writes, carriedOver } = collectFlagStatusWrites([record], replay);
    expect({ carriedOver, last: writes.last }).toEqual({ carriedOver: 1, last: [] });
  });

  it('keeps the newest evaluation per flag by time, and by event identity within one millisecond', () => {
    const evaluated = (payloadId: string, atMs: number, variation: number) =>
      streamRecord({
        environmentId: 'env-f',
        payloadId,
        events: [{ ...featureEvent(1), key: 'flag-b', creationDate: atMs, variation, version: 4, value: variation }],
      });
    const records = [evaluated('p-b', AT, 2), evaluated('p-a', AT, 1), evaluated('p-c', AT - 1, 0)];

    for (const order of [records, [...records].reverse()]) {
      const [last] = collect(order).writes.last;
      expect(last).toEqual(['fs:g0:{env-f}:flag:flag-b', AT, 4, 2, '2', 'p-b:0']);
    }
  });

  it('sets aside a summary with a count that is no count or a flag without a key, naming why', () => {
    const summary = (features: object) =>
      streamRecord({ environmentId: 'env-f', events: [{ kind: 'summary', startDate: AT, endDate: AT, features }] });
    const negative = summary({ 'flag-n': { counters: [{ value: 1, count: 1 }] } });
    negative.events[0]!.event.summary!.flags![0]!.counters![0]!.count = -1;
    const fractional = summary({ 'flag-f': { counters: [{ value: 1, count: 1 }] } });
    fractional.events[0]!.event.summary!.flags![0]!.counters![0]!.count = 1.5;
    const keyless = summary({ 'flag-k': { counters: [{ value: 1, count: 1 }] } });
    keyless.events[0]!.event.summary!.flags![0]!.key = '';
    const unkeyed = streamRecord({ environmentId: 'env-f', events: [{ ...featureEvent(1) }] });
    unkeyed.events[0]!.event.feature!.key = '';

    const zero = summary({ 'flag-z': { counters: [{ value: 1, count: 1 }] } });
    zero.events[0]!.event.summary!.flags![0]!.counters![0]!.count = 0;

    const { unusable, writes } = collect([negative, fractional, keyless, unkeyed, zero]);

    expect(unusable.map(({ reason }) => reason)).toEqual([
      'flag flag-n has a count of -1',
      'flag flag-f has a count of 1.5',
      'a summarized flag has no key',
      'a feature event has no flag key',
    ]);
    // a count of 0 is a count: applied, adding nothing
    expect(writes.counted.map(([, , increments]) => increments.map(([, , n]) => n))).toEqual([[0, 0]]);
  });

  it('adds distinct contexts in PFADDs of at most 1,000 members', () => {
    const events = Array.from({ length: 1_001 }, (_, i) => ({
      ...featureEvent(i),
      key: 'flag-many',
      creationDate: AT,
      contextKeys: { user: `u-${i}` },
      context: undefined,
    }));

    const { pfadd } = collect(streamRecords({ environmentId: 'env-f', events })).writes;

    expect(pfadd.map((command) => command.length - 1)).toEqual([1_000, 1]);
    expect(new Set(pfadd.flatMap(([, ...members]) => members)).size).toBe(1_001);
    const exactly = collect(streamRecords({ environmentId: 'env-f', events: events.slice(0, 1_000) })).writes.pfadd;
    expect(exactly.map((command) => command.length - 1)).toEqual([1_000]);
  });

  it('ignores the kinds that are not evaluations', () => {
    const record = streamRecord({
      environmentId: 'env-f',
      events: [{ kind: 'custom', creationDate: AT, key: 'k', contextKeys: { user: 'u' } }],
    });
    expect(collect([record])).toEqual({
      writes: { counted: [], last: [], pfadd: [], expire: [] },
      unusable: [],
      carriedOver: 0,
    });
  });
});

describe('flag-status keys', () => {
  it('names a ledger by the payload id up to 64 characters, and by its digest past that', () => {
    const keys = flagStatusKeys('fs', 3);
    const fits = 'i'.repeat(64);
    expect(keys.applied('env', fits)).toBe(`fs:g3:{env}:applied:${fits}`);
    const over = `${fits}i`;
    expect(keys.applied('env', over)).toBe(`fs:g3:{env}:applied:${createHash('sha256').update(over).digest('hex')}`);
  });

  it.each([
    ['fs:g0:{env-a}:flag:x', 'env-a'],
    ['{a}{b}', 'a'],
    ['x{}y{z}', 'x{}y{z}'],
    ['no-tag', 'no-tag'],
    ['open{only', 'open{only'],
    ['}{b}', 'b'],
    ['ab}c', 'ab}c'],
  ])('hashes %s in the cluster slot of %s', (key, tag) => {
    expect(hashTag(key)).toBe(tag);
  });

  it('counts an evaluation without a variation as unknown', () => {
    expect([variationField(undefined), variationField(null), variationField(0), variationField(2)]).toEqual([
      'unknown',
      'unknown',
      '0',
      '2',
    ]);
  });
});
