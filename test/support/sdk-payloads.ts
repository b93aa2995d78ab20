/** LaunchDarkly SDK event payloads (event schema 4) as server-side SDKs send them. */
export function featureEvent(sequence: number, contextCount = 1000, flagCount = 50) {
  return {
    kind: 'feature',
    creationDate: 1_795_000_000_000 + sequence,
    key: `flag-${sequence % flagCount}`,
    version: 3,
    variation: sequence % 2,
    value: sequence % 2 === 0,
    default: false,
    context: { kind: 'user', key: `user-${sequence % contextCount}`, name: `User ${sequence % contextCount}` },
  };
}

export function customEvent(sequence: number) {
  return {
    kind: 'custom',
    creationDate: 1_795_000_000_000 + sequence,
    key: 'checkout-completed',
    context: { kind: 'user', key: `user-${sequence % 1000}` },
    data: { cart: sequence % 7 },
    metricValue: 12.5,
  };
}

export function identifyEvent(sequence: number) {
  return {
    kind: 'identify',
    creationDate: 1_795_000_000_000 + sequence,
    context: {
      kind: 'multi',
      user: { key: `user-${sequence}`, name: 'Ada', plan: 'pro', _meta: { redactedAttributes: ['email'] } },
      org: { key: 'org-1', region: 'eu' },
    },
  };
}

export function summaryEvent(sequence: number) {
  return {
    kind: 'summary',
    startDate: 1_795_000_000_000 + sequence,
    endDate: 1_795_000_060_000 + sequence,
    features: {
      'flag-1': {
        default: false,
        contextKinds: ['user'],
        counters: [
          { value: true, variation: 1, version: 3, count: 10 },
          { value: false, variation: 0, version: 3, count: 4 },
        ],
      },
    },
  };
}

/** A payload of `size` events whose creationDate values are `firstSequence` onward, in a realistic mix. */
export function mixedPayload(firstSequence: number, size: number) {
  return Array.from({ length: size }, (_, i) => {
    const sequence = firstSequence + i;
    switch (i % 10) {
      case 7:
        return customEvent(sequence);
      case 8:
        return identifyEvent(sequence);
      default:
        return featureEvent(sequence);
    }
  });
}
