import {
  DEFAULT_PAYLOAD_LIMITS,
  PayloadError,
  readSdkPayload,
  type PayloadLimits,
  type PayloadProtocol,
} from '../../producer/sdk-events';

// Request validation in process: what each event an SDK sends becomes, and what each wrong field is refused with.
// The expected events are written out by hand from LaunchDarkly's event schemas, not derived from the code.

const AT = 1_795_000_000_000;

function readOne(event: unknown, protocol: PayloadProtocol = { schema: 4 }) {
  const { events, dropped } = readSdkPayload([event], DEFAULT_PAYLOAD_LIMITS, protocol);
  expect(dropped).toEqual([]);
  expect(events).toHaveLength(1);
  return events[0]!;
}

/** The message the only event of a payload is dropped with. */
function refusal(event: unknown, limits: PayloadLimits = DEFAULT_PAYLOAD_LIMITS): string {
  const { events, dropped } = readSdkPayload([event], limits);
  expect(events).toEqual([]);
  expect(dropped).toEqual([{ index: 0, reason: 'invalid_event', message: expect.any(String) as string }]);
  return dropped[0]!.message;
}

const user = (key: string) => ({ kind: 'user', key });
const userContext = (key: string) => ({
  contexts: [{ kind: 'user', key, anonymous: false, attributesJson: '', redactedAttributes: [] }],
});

describe('request validation: every event kind mapped field by field', () => {
  it('maps a feature event with every field', () => {
    const event = readOne({
      kind: 'feature',
      creationDate: AT,
      key: 'checkout',
      version: 12,
      variation: 2,
      value: { color: 'blue', shade: null },
      default: 'off',
      reason: { kind: 'RULE_MATCH', ruleIndex: 1 },
      context: {
        kind: 'user',
        key: 'u-1',
        name: 'Ada',
        anonymous: true,
        email: 'ada@example.com',
        _meta: { redactedAttributes: ['ssn'] },
      },
      prereqOf: 'parent-flag',
      trackEvents: true,
      excludeFromSummaries: true,
      samplingRatio: 0.25,
    });

    expect(event).toEqual({
      creationDateMs: AT,
      feature: {
        key: 'checkout',
        version: 12,
        variation: 2,
        valueJson: '{"color":"blue","shade":null}',
        defaultJson: '"off"',
        reasonJson: '{"kind":"RULE_MATCH","ruleIndex":1}',
        context: {
          contexts: [
            {
              kind: 'user',
              key: 'u-1',
              name: 'Ada',
              anonymous: true,
              attributesJson: '{"email":"ada@example.com"}',
              redactedAttributes: ['ssn'],
            },
          ],
        },
        prereqOf: 'parent-flag',
        trackEvents: true,
        excludeFromSummaries: true,
        samplingRatio: 0.25,
      },
    });
  });

  it('leaves unset what a feature event left out, so no default costs bytes', () => {
    const { feature } = readOne({ kind: 'feature', creationDate: AT, key: 'f', contextKeys: { user: 'u-1' } });

    expect(Object.entries(feature!).filter(([, value]) => value !== undefined)).toEqual([
      ['key', 'f'],
      ['valueJson', ''],
      ['defaultJson', ''],
      ['reasonJson', ''],
      ['contextKeys', { keysByKind: { user: 'u-1' } }],
      ['prereqOf', ''],
      ['trackEvents', false],
    ]);
  });

  it('takes null for the optional fields as not sent', () => {
    const { feature } = readOne({
      kind: 'feature',
      creationDate: AT,
      key: 'f',
      context: {
        kind: 'user',
        key: 'u',
        name: null,
        anonymous: null,
        _meta: { redactedAttributes: null, privateAttributes: null },
      },
      version: null,
      variation: null,
      reason: null,
      prereqOf: null,
      trackEvents: null,
      excludeFromSummaries: null,
      samplingRatio: null,
    });

    expect(feature).toEqual({
      key: 'f',
      valueJson: '',
      defaultJson: '',
      reasonJson: '',
      context: userContext('u'),
      prereqOf: '',
      trackEvents: false,
    });
  });

  it('maps a debug event as a feature event of its own kind', () => {
    const event = readOne({ kind: 'debug', creationDate: AT, key: 'f', value: 1, variation: 0, context: user('u') });

    expect(event).toEqual({
      creationDateMs: AT,
      debug: {
        key: 'f',
        variation: 0,
        valueJson: '1',
        defaultJson: '',
        reasonJson: '',
        context: userContext('u'),
        prereqOf: '',
        trackEvents: false,
      },
    });
  });

  it('maps a custom event, a metric value of 0 kept', () => {
    const event = readOne({
      kind: 'custom',
      creationDate: AT,
      key: 'bought',
      data: [1, 'two'],
      metricValue: 0,
      contextKeys: { user: 'u', org: 'o' },
      url: 'https://example.com/cart',
      samplingRatio: 1,
    });

    expect(event).toEqual({
      creationDateMs: AT,
      custom: {
        key: 'bought',
        dataJson: '[1,"two"]',
        metricValue: 0,
        contextKeys: { keysByKind: { user: 'u', org: 'o' } },
        url: 'https://example.com/cart',
        samplingRatio: 1,
      },
    });
  });

  it('maps identify and index events from a context or, from older SDKs, a user', () => {
    expect(readOne({ kind: 'identify', creationDate: AT, context: user('u'), samplingRatio: 0.5 })).toEqual({
      creationDateMs: AT,
      identify: { context: userContext('u'), samplingRatio: 0.5 },
    });
    expect(readOne({ kind: 'identify', creationDate: AT, user: { key: 'old' } })).toEqual({
      creationDateMs: AT,
      identify: { context: userContext('old') },
    });
    expect(readOne({ kind: 'index', creationDate: AT, user: { key: 'old' } })).toEqual({
      creationDateMs: AT,
      index: { context: userContext('old') },
    });
    expect(readOne({ kind: 'index', creationDate: AT, context: user('u') })).toEqual({
      creationDateMs: AT,
      index: { context: userContext('u') },
    });
  });

  it('maps a summary event with its flags, counters and context', () => {
    const event = readOne({
      kind: 'summary',
      startDate: AT,
      endDate: AT + 60_000,
      features: {
        checkout: {
          default: false,
          contextKinds: ['user', 'org'],
          counters: [
            { value: true, variation: 1, version: 4, count: 3 },
            { value: false, count: 1, unknown: true },
          ],
        },
        banner: { counters: [] },
      },
      context: user('u'),
    });

    expect(event).toEqual({
      summary: {
        startDateMs: AT,
        endDateMs: AT + 60_000,
        flags: [
          {
            key: 'checkout',
            defaultJson: 'false',
            contextKinds: ['user', 'org'],
            counters: [
              { valueJson: 'true', variation: 1, version: 4, count: 3, unknown: false },
              { valueJson: 'false', count: 1, unknown: true },
            ],
          },
          { key: 'banner', defaultJson: '', contextKinds: [], counters: [] },
        ],
        context: userContext('u'),
      },
    });
  });

  it('maps a summary without a context to one without', () => {
    const { summary } = readOne({ kind: 'summary', startDate: AT, endDate: AT, features: {} });
    expect(Object.keys(summary!)).toEqual(['startDateMs', 'endDateMs', 'flags']);
  });

  it('maps a migration op event, its measurements an empty list when left out', () => {
    const base = { kind: 'migration_op', creationDate: AT, operation: 'read', contextKeys: { user: 'u' } };
    const evaluation = { key: 'migrate-db', value: 'shadow', default: 'off' };

    expect(readOne({ ...base, evaluation, measurements: [{ key: 'latency_ms', values: { old: 4 } }] })).toEqual({
      creationDateMs: AT,
      migrationOp: {
        operation: 'read',
        contextKeys: { keysByKind: { user: 'u' } },
        evaluationJson: '{"key":"migrate-db","value":"shadow","default":"off"}',
        measurementsJson: '[{"key":"latency_ms","values":{"old":4}}]',
      },
    });
    expect(readOne({ ...base, evaluation, samplingRatio: 0.1 }).migrationOp).toEqual({
      operation: 'read',
      contextKeys: { keysByKind: { user: 'u' } },
      evaluationJson: '{"key":"migrate-db","value":"shadow","default":"off"}',
      measurementsJson: '[]',
      samplingRatio: 0.1,
    });
  });

  it('maps an alias event, a context kind left out taken as user', () => {
    expect(readOne({ kind: 'alias', creationDate: AT, key: 'u-9', previousKey: 'anon-9' })).toEqual({
      creationDateMs: AT,
      alias: { key: 'u-9', contextKind: 'user', previousKey: 'anon-9', previousContextKind: 'user' },
    });
    expect(
      readOne({
        kind: 'alias',
        creationDate: AT,
        key: 'u-9',
        contextKind: 'member',
        previousKey: 'anon-9',
        previousContextKind: 'anonymousUser',
      }).alias,
    ).toEqual({ key: 'u-9', contextKind: 'member', previousKey: 'anon-9', previousContextKind: 'anonymousUser' });
  });

  it('maps the click and pageview events of browser SDKs', () => {
    const page = { creationDate: AT, key: 'goal', url: 'https://example.com/', contextKeys: { user: 'u' } };

    expect(readOne({ ...page, kind: 'click', selector: 'a.buy', samplingRatio: 0.5 })).toEqual({
      creationDateMs: AT,
      click: {
        key: 'goal',
        url: 'https://example.com/',
        selector: 'a.buy',
        contextKeys: { keysByKind: { user: 'u' } },
        samplingRatio: 0.5,
      },
    });
    expect(readOne({ ...page, kind: 'pageview', samplingRatio: 0.5 })).toEqual({
      creationDateMs: AT,
      pageview: {
        key: 'goal',
        url: 'https://example.com/',
        contextKeys: { keysByKind: { user: 'u' } },
        samplingRatio: 0.5,
      },
    });
  });
});

describe('request validation: who an event is about', () => {
  const readFeature = (subject: object) =>
    readOne({ kind: 'feature', creationDate: AT, key: 'f', ...subject }).feature!;

  it('takes a context first, then context keys, then an inline user, then a userKey', () => {
    expect(
      readFeature({ context: user('c'), contextKeys: { user: 'k' }, user: { key: 'u' }, userKey: 'uk' }),
    ).toMatchObject({ context: userContext('c') });
    expect(readFeature({ contextKeys: { user: 'k' }, user: { key: 'u' }, userKey: 'uk' })).toMatchObject({
      contextKeys: { keysByKind: { user: 'k' } },
    });
    expect(readFeature({ user: { key: 'u' }, userKey: 'uk' })).toMatchObject({ context: userContext('u') });
    expect(readFeature({ userKey: 'uk' })).toMatchObject({ contextKeys: { keysByKind: { user: 'uk' } } });
  });

  it('refuses an event about no one, naming every field it looked for', () => {
    expect(refusal({ kind: 'custom', creationDate: AT, key: 'k' })).toBe(
      'events[0]: expected a context, contextKeys, user or userKey',
    );
    expect(refusal({ kind: 'feature', creationDate: AT, key: 'f', userKey: '' })).toBe(
      'events[0].userKey: expected a non-empty string, got a string',
    );
  });

  it('maps a multi-kind context to one context per kind, in the order sent', () => {
    const { context } = readFeature({
      context: {
        kind: 'multi',
        user: { key: 'u', name: 'Ada' },
        org: { key: 'o', anonymous: true, plan: 'pro', _meta: { redactedAttributes: ['billing'] } },
      },
    });

    expect(context).toEqual({
      contexts: [
        { kind: 'user', key: 'u', name: 'Ada', anonymous: false, attributesJson: '', redactedAttributes: [] },
        {
          kind: 'org',
          key: 'o',
          anonymous: true,
          attributesJson: '{"plan":"pro"}',
          redactedAttributes: ['billing'],
        },
      ],
    });
  });

  it('refuses a multi-kind context without kinds, or with a kind that is not an object', () => {
    expect(refusal({ kind: 'identify', creationDate: AT, context: { kind: 'multi' } })).toBe(
      'events[0].context: a multi-kind context needs at least one kind',
    );
    expect(refusal({ kind: 'identify', creationDate: AT, context: { kind: 'multi', org: 'o' } })).toBe(
      'events[0].context.org: expected an object, got a string',
    );
    expect(refusal({ kind: 'identify', creationDate: AT, context: { kind: 'multi', org: {} } })).toBe(
      'events[0].context.org.key: expected a non-empty string, got nothing',
    );
  });

  it('refuses context keys with no kind, or a key that is not a string', () => {
    expect(refusal({ kind: 'custom', creationDate: AT, key: 'k', contextKeys: {} })).toBe(
      'events[0].contextKeys: expected at least one kind',
    );
    expect(refusal({ kind: 'custom', creationDate: AT, key: 'k', contextKeys: { user: 7 } })).toBe(
      'events[0].contextKeys.user: expected a non-empty string, got number 7',
    );
    expect(refusal({ kind: 'custom', creationDate: AT, key: 'k', contextKeys: ['u'] })).toBe(
      'events[0].contextKeys: expected an object, got an array',
    );
  });

  it('refuses a context kind that is not a non-empty string', () => {
    expect(refusal({ kind: 'identify', creationDate: AT, context: { kind: '', key: 'u' } })).toBe(
      'events[0].context.kind: expected a non-empty string, got a string',
    );
    expect(refusal({ kind: 'identify', creationDate: AT, context: { kind: null, key: 'u' } })).toBe(
      'events[0].context.kind: expected a non-empty string, got null',
    );
  });

  it('maps a user from before contexts: custom attributes beside the top-level ones, its private list as redacted', () => {
    const legacy = {
      key: 'u-3',
      name: 'Old',
      anonymous: true,
      email: 'o@example.com',
      custom: { plan: 'pro', seats: 3 },
      privateAttrs: ['ssn'],
    };

    expect(readFeature({ user: legacy }).context).toEqual({
      contexts: [
        {
          kind: 'user',
          key: 'u-3',
          name: 'Old',
          anonymous: true,
          attributesJson: '{"email":"o@example.com","plan":"pro","seats":3}',
          redactedAttributes: ['ssn'],
        },
      ],
    });
    expect(readFeature({ user: { key: 'u', privateAttributeNames: ['email'] } }).context).toEqual({
      contexts: [{ kind: 'user', key: 'u', anonymous: false, attributesJson: '', redactedAttributes: ['email'] }],
    });
    expect(readFeature({ user: { key: 'u', custom: { tier: 1 } } }).context!.contexts![0]!.attributesJson).toBe(
      '{"tier":1}',
    );
  });

  it('refuses a user from before contexts whose custom attributes or private list are not what they should be', () => {
    expect(refusal({ kind: 'index', creationDate: AT, user: { key: 'u', custom: 'pro' } })).toBe(
      'events[0].context.custom: expected an object, got a string',
    );
    expect(refusal({ kind: 'index', creationDate: AT, user: { key: 'u', privateAttrs: 'ssn' } })).toBe(
      'events[0].context.privateAttrs: expected an array of strings, got a string',
    );
  });

  it('keeps no value an SDK still sent marked private, by attribute reference, without changing the event sent', () => {
    const context = {
      kind: 'user',
      key: 'u',
      email: 'ada@example.com',
      ssn: '123',
      address: { street: '1 Main St', city: 'Leeds' },
      'a/b': 1,
      'c~d': 2,
      phone: '555',
      _meta: {
        redactedAttributes: ['phone', 'ssn'],
        privateAttributes: ['ssn', '/address/street', '/a~1b', '/c~0d', 'missing', '/email/domain', '/address/zip'],
      },
    };
    const sent = structuredClone(context);

    const [single] = readFeature({ context }).context!.contexts!;

    expect(JSON.parse(single!.attributesJson!)).toEqual({
      email: 'ada@example.com',
      address: { city: 'Leeds' },
      phone: '555',
    });
    expect(single!.redactedAttributes).toEqual(['phone', 'ssn', '/address/street', '/a~1b', '/c~0d']);
    expect(context).toEqual(sent);
  });

  it('writes no attributes for a context whose only attribute was private', () => {
    const [single] = readFeature({
      context: { kind: 'user', key: 'u', ssn: '1', _meta: { privateAttributes: ['ssn'] } },
    }).context!.contexts!;

    expect(single).toEqual({
      kind: 'user',
      key: 'u',
      anonymous: false,
      attributesJson: '',
      redactedAttributes: ['ssn'],
    });
  });

  it('refuses a _meta that is not an object, and a private or redacted list that is not of strings', () => {
    const withMeta = (meta: unknown) => ({
      kind: 'identify',
      creationDate: AT,
      context: { ...user('u'), _meta: meta },
    });

    expect(refusal(withMeta('x'))).toBe('events[0].context._meta: expected an object, got a string');
    expect(refusal(withMeta({ redactedAttributes: ['a', 5] }))).toBe(
      'events[0].context._meta.redactedAttributes[1]: expected a non-empty string, got number 5',
    );
    expect(refusal(withMeta({ privateAttributes: {} }))).toBe(
      'events[0].context._meta.privateAttributes: expected an array of strings, got an object',
    );
  });
});

describe('request validation: each wrong field named with what arrived instead', () => {
  const feature = (fields: object) => ({
    kind: 'feature',
    creationDate: AT,
    key: 'f',
    contextKeys: { u: 'u' },
    ...fields,
  });

  it.each([
    [42, 'number 42'],
    [true, 'boolean true'],
    [null, 'null'],
    [['f'], 'an array'],
    [{}, 'an object'],
    [undefined, 'nothing'],
    ['', 'a string'],
  ])('refuses a flag key of %p, naming it as %s', (key, described) => {
    expect(refusal(feature({ key }))).toBe(`events[0].key: expected a non-empty string, got ${described}`);
  });

  it('takes a key at the length limit and refuses one a character over', () => {
    const limits = { ...DEFAULT_PAYLOAD_LIMITS, maxKeyLength: 8 };

    expect(readSdkPayload([feature({ key: 'k'.repeat(8) })], limits).events).toHaveLength(1);
    expect(refusal(feature({ key: 'k'.repeat(9) }), limits)).toBe('events[0].key: 9 characters exceeds the limit of 8');
    expect(refusal(feature({ key: 'k'.repeat(1025) }))).toBe(
      'events[0].key: 1025 characters exceeds the limit of 1024',
    );
  });

  it('takes a creation date from 0 to the largest safe integer, and refuses anything else', () => {
    expect(readOne(feature({ creationDate: 0 })).creationDateMs).toBe(0);
    expect(readOne(feature({ creationDate: Number.MAX_SAFE_INTEGER })).creationDateMs).toBe(Number.MAX_SAFE_INTEGER);
    for (const [creationDate, described] of [
      [-1, 'number -1'],
      [1.5, 'number 1.5'],
      [2 ** 53, `number ${2 ** 53}`],
      ['yesterday', 'a string'],
      [undefined, 'nothing'],
    ] as const) {
      expect(refusal(feature({ creationDate }))).toBe(
        `events[0].creationDate: expected milliseconds since the epoch, got ${described}`,
      );
    }
  });

  it('takes a version from 0 to the largest 32-bit integer, and refuses anything else', () => {
    expect(readOne(feature({ version: 0 })).feature!.version).toBe(0);
    expect(readOne(feature({ version: 2_147_483_647 })).feature!.version).toBe(2_147_483_647);
    for (const [version, sent] of [
      [-1, '-1'],
      [2_147_483_648, '2147483648'],
      [1.5, '1.5'],
      ['3', '"3"'],
    ] as const) {
      expect(refusal(feature({ version }))).toBe(`events[0].version: expected an integer of at least 0, got ${sent}`);
    }
    expect(refusal(feature({ variation: -1 }))).toBe('events[0].variation: expected an integer of at least 0, got -1');
  });

  it('refuses a wrong type for each optional field, naming the field', () => {
    expect(refusal(feature({ prereqOf: 5 }))).toBe('events[0].prereqOf: expected a string, got number 5');
    expect(refusal(feature({ trackEvents: 'yes' }))).toBe('events[0].trackEvents: expected a boolean, got a string');
    expect(refusal(feature({ excludeFromSummaries: 1 }))).toBe(
      'events[0].excludeFromSummaries: expected a boolean, got number 1',
    );
    expect(refusal(feature({ samplingRatio: '1' }))).toBe('events[0].samplingRatio: expected a number, got a string');
    expect(refusal(feature({ reason: 'RULE_MATCH' }))).toBe('events[0].reason: expected an object, got a string');
    expect(refusal(feature({ context: { kind: 'user', key: 'u', name: 5 } }))).toBe(
      'events[0].context.name: expected a string, got number 5',
    );
    expect(refusal(feature({ context: { kind: 'user', key: 'u', anonymous: 'no' } }))).toBe(
      'events[0].context.anonymous: expected a boolean, got a string',
    );
    expect(refusal({ kind: 'custom', creationDate: AT, key: 'k', contextKeys: { u: 'u' }, metricValue: 'ten' })).toBe(
      'events[0].metricValue: expected a number, got a string',
    );
    expect(refusal({ kind: 'click', creationDate: AT, key: 'k', contextKeys: { u: 'u' }, selector: [] })).toBe(
      'events[0].selector: expected a string, got an array',
    );
    expect(refusal({ kind: 'migration_op', creationDate: AT, operation: 'read', contextKeys: { u: 'u' } })).toBe(
      'events[0].evaluation: expected an object, got nothing',
    );
  });

  it('takes JSON nested to the depth limit, in objects or arrays, and refuses it a level deeper', () => {
    const limits = { ...DEFAULT_PAYLOAD_LIMITS, maxNestingDepth: 3 };
    const objects = (depth: number): unknown => (depth === 0 ? 'leaf' : { next: objects(depth - 1) });
    const arrays = (depth: number): unknown => (depth === 0 ? 'leaf' : [1, arrays(depth - 1)]);

    for (const nested of [objects, arrays]) {
      expect(readSdkPayload([feature({ value: nested(3) })], limits).events).toHaveLength(1);
      expect(refusal(feature({ value: nested(4) }), limits)).toBe('events[0].value: nested deeper than 3 levels');
    }
    expect(refusal(feature({ context: { kind: 'user', key: 'u', tags: objects(17) } }))).toBe(
      'events[0].context: nested deeper than 16 levels',
    );
  });

  it('names the field of each kind that was wrong', () => {
    // given: a valid event of each kind, and JSON nested one level deeper than these limits allow
    const limits = { ...DEFAULT_PAYLOAD_LIMITS, maxNestingDepth: 1 };
    const tooDeep = { a: { b: 1 } };
    const about = { contextKeys: { user: 'u' } };
    const valid: Record<string, object> = {
      feature: { kind: 'feature', creationDate: AT, key: 'f', ...about },
      debug: { kind: 'debug', creationDate: AT, key: 'f', ...about },
      custom: { kind: 'custom', creationDate: AT, key: 'k', ...about },
      identify: { kind: 'identify', creationDate: AT, context: user('u') },
      index: { kind: 'index', creationDate: AT, context: user('u') },
      summary: { kind: 'summary', startDate: AT, endDate: AT, features: { f: { counters: [{ count: 1 }] } } },
      migration: { kind: 'migration_op', creationDate: AT, operation: 'read', evaluation: { key: 'm' }, ...about },
      alias: { kind: 'alias', creationDate: AT, key: 'u', previousKey: 'a' },
      click: { kind: 'click', creationDate: AT, key: 'goal', ...about },
      pageview: { kind: 'pageview', creationDate: AT, key: 'goal', ...about },
    };
    const counter = (fields: object) => ({ features: { f: { counters: [{ count: 1, ...fields }] } } });
    // The kind, the fields sent wrong, and the field the message must name.
    const cases: [string, object, string][] = [
      ['feature', { userKey: undefined, contextKeys: undefined, user: { name: 'no key' } }, 'user.key'],
      ['feature', { contextKeys: undefined, user: { key: 'u', name: 1 } }, 'user.name'],
      ['feature', { contextKeys: undefined, user: { key: 'u', anonymous: 1 } }, 'user.anonymous'],
      ['feature', { default: tooDeep }, 'default'],
      ['feature', { reason: tooDeep }, 'reason'],
      ['debug', { creationDate: -1 }, 'creationDate'],
      ['custom', { creationDate: -1 }, 'creationDate'],
      ['custom', { key: '' }, 'key'],
      ['custom', { data: tooDeep }, 'data'],
      ['custom', { url: 1 }, 'url'],
      ['identify', { creationDate: -1 }, 'creationDate'],
      ['index', { creationDate: -1 }, 'creationDate'],
      ['summary', { startDate: -1 }, 'startDate'],
      ['summary', { context: 'u' }, 'context'],
      ['summary', { features: { f: { default: tooDeep, counters: [] } } }, 'features.f.default'],
      ['summary', { features: { f: { contextKinds: 'user', counters: [] } } }, 'features.f.contextKinds'],
      ['summary', counter({ value: tooDeep }), 'features.f.counters[0].value'],
      ['summary', counter({ variation: -1 }), 'features.f.counters[0].variation'],
      ['summary', counter({ version: -1 }), 'features.f.counters[0].version'],
      ['summary', counter({ unknown: 'yes' }), 'features.f.counters[0].unknown'],
      ['migration', { creationDate: -1 }, 'creationDate'],
      ['migration', { operation: 1 }, 'operation'],
      ['migration', { evaluation: tooDeep }, 'evaluation'],
      ['migration', { measurements: [tooDeep] }, 'measurements'],
      ['alias', { creationDate: -1 }, 'creationDate'],
      ['alias', { key: 1 }, 'key'],
      ['alias', { contextKind: '' }, 'contextKind'],
      ['alias', { previousKey: undefined }, 'previousKey'],
      ['alias', { previousContextKind: '' }, 'previousContextKind'],
      ['click', { creationDate: -1 }, 'creationDate'],
      ['click', { key: 1 }, 'key'],
      ['click', { url: 1 }, 'url'],
      ['pageview', { creationDate: -1 }, 'creationDate'],
      ['pageview', { key: 1 }, 'key'],
      ['pageview', { url: 1 }, 'url'],
    ];

    expect(readSdkPayload(Object.values(valid), limits).dropped).toEqual([]);
    for (const [kind, wrong, field] of cases) {
      // when
      const message = refusal({ ...valid[kind], ...wrong }, limits);

      // then
      expect({ kind, named: message.slice(0, message.indexOf(': ')) }).toEqual({ kind, named: `events[0].${field}` });
    }
  });

  it('refuses a summary without dates or features, and counters that are not counts', () => {
    const summary = (fields: object) => ({ kind: 'summary', startDate: AT, endDate: AT, features: {}, ...fields });

    expect(refusal(summary({ endDate: undefined }))).toBe(
      'events[0].endDate: expected milliseconds since the epoch, got nothing',
    );
    expect(refusal(summary({ features: undefined }))).toBe('events[0].features: expected an object, got nothing');
    expect(refusal(summary({ features: { f: 1 } }))).toBe('events[0].features.f: expected an object, got number 1');
    expect(refusal(summary({ features: { f: {} } }))).toBe(
      'events[0].features.f.counters: expected an array, got nothing',
    );
    expect(refusal(summary({ features: { f: { counters: [{ value: 1 }] } } }))).toBe(
      'events[0].features.f.counters[0].count: expected an integer of at least 1, got undefined',
    );
    expect(refusal(summary({ features: { f: { counters: [{ count: 1 }, { count: 0 }] } } }))).toBe(
      'events[0].features.f.counters[1].count: expected an integer of at least 1, got 0',
    );
    expect(refusal(summary({ features: { f: { counters: [5] } } }))).toBe(
      'events[0].features.f.counters[0]: expected an object, got number 5',
    );
  });
});

describe('request validation: the payload as a whole', () => {
  const good = (i: number) => ({ kind: 'custom', creationDate: AT + i, key: `k${i}`, contextKeys: { user: 'u' } });

  it('refuses a body that is not an array of events with a 400', () => {
    for (const [body, described] of [
      [{ kind: 'custom' }, 'an object'],
      ['[]', 'a string'],
      [null, 'null'],
    ] as const) {
      expect(() => readSdkPayload(body)).toThrow(
        new PayloadError(`body: expected a JSON array of events, got ${described}`, 400),
      );
      expect(() => readSdkPayload(body)).toThrow(expect.objectContaining({ status: 400 }) as Error);
    }
  });

  it('takes as many events as the limit and refuses one more with a 413', () => {
    const limits = { ...DEFAULT_PAYLOAD_LIMITS, maxEventsPerPayload: 3 };

    expect(readSdkPayload([good(0), good(1), good(2)], limits).events).toHaveLength(3);
    const tooMany = () => readSdkPayload([good(0), good(1), good(2), good(3)], limits);
    expect(tooMany).toThrow('body: 4 events exceeds the limit of 3 a payload');
    expect(tooMany).toThrow(expect.objectContaining({ name: 'PayloadError', status: 413 }) as Error);
  });

  it('keeps the good events with their positions and drops each bad one with its own', () => {
    const { events, eventIndexes, dropped } = readSdkPayload([
      good(0),
      'custom',
      null,
      { creationDate: AT },
      good(3),
      { kind: 'hologram' },
      good(5),
    ]);

    expect(events.map((event) => event.custom!.key)).toEqual(['k0', 'k3', 'k5']);
    expect(eventIndexes).toEqual([0, 4, 6]);
    expect(dropped).toEqual([
      { index: 1, reason: 'invalid_event', message: 'events[1]: expected an object, got a string' },
      { index: 2, reason: 'invalid_event', message: 'events[2]: expected an object, got null' },
      { index: 3, reason: 'invalid_event', message: 'events[3].kind: expected a string, got nothing' },
      { index: 5, reason: 'unknown_kind', message: 'events[5].kind: "hologram" is not a kind this API keeps' },
    ]);
  });

  it('drops kinds that only name an object property as unknown, and quotes at most 64 characters of a kind', () => {
    const { events, dropped } = readSdkPayload(
      ['constructor', 'toString', '__proto__', 'x'.repeat(100)].map((kind) => ({ kind, creationDate: AT })),
    );

    expect(events).toEqual([]);
    expect(dropped.map(({ reason, message }) => [reason, message])).toEqual([
      ['unknown_kind', 'events[0].kind: "constructor" is not a kind this API keeps'],
      ['unknown_kind', 'events[1].kind: "toString" is not a kind this API keeps'],
      ['unknown_kind', 'events[2].kind: "__proto__" is not a kind this API keeps'],
      ['unknown_kind', `events[3].kind: "${'x'.repeat(64)}" is not a kind this API keeps`],
    ]);
  });
});

describe('request validation: summaries the API counts for SDKs that do not', () => {
  type Evaluation = {
    key: string;
    creationDate: number;
    variation?: number;
    version?: number;
    value: unknown;
    default?: unknown;
    kinds: string[];
    excludeFromSummaries?: boolean;
  };

  /** A summary computed from the evaluations as sent, written apart from the API's summarizer. */
  function expectedSummary(evaluations: Evaluation[]) {
    const counted = evaluations.filter((evaluation) => !evaluation.excludeFromSummaries);
    const flags: Record<string, { defaultJson: string; kinds: string[]; counters: Record<string, object> }> = {};
    for (const e of counted) {
      const flag = (flags[e.key] ??= {
        defaultJson: e.default === undefined ? '' : JSON.stringify(e.default),
        kinds: [],
        counters: {},
      });
      for (const kind of e.kinds) if (!flag.kinds.includes(kind)) flag.kinds.push(kind);
      const id = `${e.variation}/${e.version}`;
      const counter = flag.counters[id] as { count: number } | undefined;
      if (counter) counter.count += 1;
      else
        flag.counters[id] = {
          valueJson: JSON.stringify(e.value),
          ...(e.variation !== undefined && { variation: e.variation }),
          ...(e.version !== undefined && { version: e.version }),
          count: 1,
          unknown: e.version === undefined,
        };
    }
    return {
      startDateMs: Math.min(...counted.map((e) => e.creationDate)),
      endDateMs: Math.max(...counted.map((e) => e.creationDate)),
      flags: Object.entries(flags).map(([key, flag]) => ({
        key,
        defaultJson: flag.defaultJson,
        contextKinds: flag.kinds,
        counters: Object.values(flag.counters),
      })),
    };
  }

  function asSent({ kinds, ...evaluation }: Evaluation, i: number) {
    const subject =
      i % 2 === 0
        ? { contextKeys: Object.fromEntries(kinds.map((kind) => [kind, `${kind}-${i}`])) }
        : {
            context:
              kinds.length === 1
                ? { kind: kinds[0], key: `c-${i}` }
                : { kind: 'multi', ...Object.fromEntries(kinds.map((kind) => [kind, { key: `${kind}-${i}` }])) },
          };
    return { kind: 'feature', ...evaluation, ...subject };
  }

  const evaluations: Evaluation[] = [
    { key: 'a', creationDate: AT + 50, variation: 0, version: 7, value: 'red', default: 'none', kinds: ['user'] },
    { key: 'a', creationDate: AT + 10, variation: 1, version: 7, value: 'blue', default: 'x', kinds: ['device'] },
    { key: 'a', creationDate: AT + 90, variation: 0, version: 7, value: 'red', kinds: ['user', 'org'] },
    { key: 'a', creationDate: AT + 70, variation: 2, version: 7, value: 'green', kinds: ['user'] },
    { key: 'a', creationDate: AT + 30, variation: 0, version: 8, value: 'red', kinds: ['user'] },
    { key: 'b', creationDate: AT + 20, variation: 2, version: 1, value: { n: 1 }, kinds: ['org'] },
    { key: 'missing', creationDate: AT + 40, value: null, default: null, kinds: ['user'] },
    { key: 'missing', creationDate: AT + 60, value: null, default: null, kinds: ['user'] },
    {
      key: 'a',
      creationDate: AT + 1,
      variation: 5,
      version: 7,
      value: 'x',
      kinds: ['hidden'],
      excludeFromSummaries: true,
    },
    {
      key: 'c',
      creationDate: AT + 99,
      variation: 0,
      version: 1,
      value: 0,
      kinds: ['user'],
      excludeFromSummaries: true,
    },
  ];
  const payload = [
    ...evaluations.map(asSent),
    {
      kind: 'debug',
      creationDate: AT + 5,
      key: 'a',
      variation: 3,
      version: 7,
      value: 'debug',
      contextKeys: { d: 'd' },
    },
    { kind: 'custom', creationDate: AT + 2, key: 'bought', contextKeys: { user: 'u' } },
  ];

  it.each([
    ['the SDK says it does not summarize', { schema: 4, unsummarized: true }],
    ['schema 2, before summaries', { schema: 2 }],
    ['no schema header and no summary event (schema 1)', {}],
  ])('counts feature events into a summary when %s', (_name, protocol: PayloadProtocol) => {
    const { events, eventIndexes } = readSdkPayload(payload, DEFAULT_PAYLOAD_LIMITS, protocol);

    expect(events).toHaveLength(payload.length + 1);
    expect(eventIndexes.at(-1)).toBe(payload.length);
    expect(events.at(-1)).toEqual({ summary: expectedSummary(evaluations) });
  });

  const withSummary = [...payload, { kind: 'summary', startDate: AT, endDate: AT, features: {} }];

  it.each([
    ['schema 4', { schema: 4 }, payload],
    ['schema 3', { schema: 3 }, payload],
    ['no schema header with a summary event', {}, withSummary],
  ])('adds no summary for %s', (_name, protocol: PayloadProtocol, sent: object[]) => {
    const { events, eventIndexes } = readSdkPayload(sent, DEFAULT_PAYLOAD_LIMITS, protocol);

    expect(events).toHaveLength(sent.length);
    expect(eventIndexes).toEqual(sent.map((_, i) => i));
  });

  it('adds no summary when nothing in the payload is counted', () => {
    const notCounted = [
      ...evaluations.filter((evaluation) => evaluation.excludeFromSummaries).map(asSent),
      ...payload.slice(evaluations.length),
    ];
    expect(readSdkPayload(notCounted, DEFAULT_PAYLOAD_LIMITS, { unsummarized: true }).events).toHaveLength(
      notCounted.length,
    );
  });
});
