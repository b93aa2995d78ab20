import { EnvelopeFields, EventFields } from '../../codec/event-codec';

export const sampleEnvelope: EnvelopeFields = {
  environmentId: 'env-golden',
  receivedAtMs: 1_795_000_000_000,
  payloadId: '3f7c1d2e-0000-4000-8000-000000000001',
  sdkName: 'NodeJSClient',
  sdkVersion: '9.0.0',
  endpoint: 1,
};

/** One event of every kind the schema carries. */
export const sampleEvents: EventFields[] = [
  {
    creationDateMs: 1_795_000_000_001,
    feature: {
      key: 'new-checkout',
      version: 7,
      variation: 1,
      valueJson: 'true',
      defaultJson: 'false',
      reasonJson: '{"kind":"FALLTHROUGH"}',
      contextKeys: { keysByKind: { user: 'user-1' } },
    },
  },
  {
    creationDateMs: 1_795_000_000_002,
    custom: {
      key: 'purchase',
      dataJson: '{"sku":"a1"}',
      metricValue: 9.5,
      contextKeys: { keysByKind: { user: 'user-1' } },
    },
  },
  {
    creationDateMs: 1_795_000_000_003,
    identify: {
      context: {
        contexts: [
          { kind: 'user', key: 'user-1', name: 'Ada', attributesJson: '{"plan":"pro"}', redactedAttributes: ['email'] },
          { kind: 'org', key: 'org-9', attributesJson: '{}' },
        ],
      },
    },
  },
  {
    creationDateMs: 1_795_000_000_004,
    index: { context: { contexts: [{ kind: 'device', key: 'd-1', anonymous: true }] } },
  },
  {
    summary: {
      startDateMs: 1_795_000_000_000,
      endDateMs: 1_795_000_060_000,
      flags: [
        {
          key: 'new-checkout',
          defaultJson: 'false',
          contextKinds: ['user'],
          counters: [
            { valueJson: 'true', variation: 1, version: 7, count: 40 },
            { valueJson: 'false', variation: 0, version: 7, count: 2 },
          ],
        },
      ],
    },
  },
  {
    creationDateMs: 1_795_000_000_005,
    debug: {
      key: 'new-checkout',
      version: 7,
      variation: 0,
      valueJson: 'false',
      defaultJson: 'false',
      context: { contexts: [{ kind: 'user', key: 'user-2' }] },
    },
  },
];
