import type { EventFields, v1 } from '../codec/event-codec';

/** A payload the API refuses as a whole; the message names the offending field. */
export class PayloadError extends Error {
  override readonly name = 'PayloadError';
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export interface PayloadLimits {
  readonly maxEventsPerPayload: number;
  /** Depth of arbitrary JSON (attributes, flag values, custom data) below the event. */
  readonly maxNestingDepth: number;
  readonly maxKeyLength: number;
}

export const DEFAULT_PAYLOAD_LIMITS: PayloadLimits = {
  maxEventsPerPayload: 10_000,
  maxNestingDepth: 16,
  maxKeyLength: 1024,
};

/** Why one event of an accepted payload was not kept. */
export type DropReason = 'unknown_kind' | 'invalid_event' | 'too_large';

export interface DroppedEvent {
  readonly index: number;
  readonly reason: DropReason;
  /** Names the field and what was wrong with it. */
  readonly message: string;
}

export interface ParsedPayload {
  readonly events: EventFields[];
  /** Where each kept event was in the payload. */
  readonly eventIndexes: number[];
  /** Events left out of an accepted payload; each is counted by reason, the rest of the payload is kept. */
  readonly dropped: DroppedEvent[];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const CONTEXT_BUILTINS = new Set(['kind', 'key', 'name', 'anonymous', '_meta']);
// `privateAttrs` is the list of attributes an SDK before contexts redacted; `privateAttributeNames` its configuration.
const LEGACY_USER_BUILTINS = new Set(['key', 'name', 'anonymous', 'custom', 'privateAttrs', 'privateAttributeNames']);

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What arrived instead, for a message: numbers and booleans as sent, everything else by its type. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  if (value === undefined) return 'nothing';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

class EventReader {
  constructor(private readonly limits: PayloadLimits) {}

  object(value: unknown, path: string): JsonObject {
    if (!isObject(value)) throw new PayloadError(`${path}: expected an object, got ${describe(value)}`);
    return value;
  }

  key(value: unknown, path: string): string {
    if (typeof value !== 'string' || value.length === 0) {
      throw new PayloadError(`${path}: expected a non-empty string, got ${describe(value)}`);
    }
    if (value.length > this.limits.maxKeyLength) {
      throw new PayloadError(`${path}: ${value.length} characters exceeds the limit of ${this.limits.maxKeyLength}`);
    }
    return value;
  }

  optionalString(value: unknown, path: string): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw new PayloadError(`${path}: expected a string, got ${describe(value)}`);
    return value;
  }

  timestamp(value: unknown, path: string): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      throw new PayloadError(`${path}: expected milliseconds since the epoch, got ${describe(value)}`);
    }
    return value;
  }

  optionalInteger(value: unknown, path: string, minimum: number): number | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum || value > 2_147_483_647) {
      throw new PayloadError(`${path}: expected an integer of at least ${minimum}, got ${JSON.stringify(value)}`);
    }
    return value;
  }

  optionalNumber(value: unknown, path: string): number | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number') throw new PayloadError(`${path}: expected a number, got ${describe(value)}`);
    return value;
  }

  optionalBoolean(value: unknown, path: string): boolean | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') throw new PayloadError(`${path}: expected a boolean, got ${describe(value)}`);
    return value;
  }

  /** Serializes arbitrary JSON after checking its depth; undefined stays absent. */
  json(value: unknown, path: string): string {
    if (value === undefined) return '';
    // Most flag values are booleans: their JSON needs no serializer.
    if (value === true) return 'true';
    if (value === false) return 'false';
    if (typeof value === 'object' && value !== null) this.checkDepth(value, path, 1);
    return JSON.stringify(value);
  }

  stringList(value: unknown, path: string): string[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) throw new PayloadError(`${path}: expected an array of strings, got ${describe(value)}`);
    return value.map((item, i) => this.key(item, `${path}[${i}]`));
  }

  private checkDepth(value: object, path: string, depth: number): void {
    if (depth > this.limits.maxNestingDepth) {
      throw new PayloadError(`${path}: nested deeper than ${this.limits.maxNestingDepth} levels`);
    }
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      if (typeof child === 'object' && child !== null) this.checkDepth(child as object, path, depth + 1);
    }
  }

  context(value: unknown, path: string): v1.Context.$Properties {
    const context = this.object(value, path);
    if (context.kind === 'multi') {
      const contexts = Object.entries(context)
        .filter(([kind]) => kind !== 'kind')
        .map(([kind, single]) => this.singleContext(this.object(single, `${path}.${kind}`), kind, `${path}.${kind}`));
      if (contexts.length === 0) throw new PayloadError(`${path}: a multi-kind context needs at least one kind`);
      return { contexts };
    }
    if (context.kind === undefined) return { contexts: [this.legacyUser(context, path)] };
    return { contexts: [this.singleContext(context, this.key(context.kind, `${path}.kind`), path)] };
  }

  contextKeys(value: unknown, path: string): v1.ContextKeys.$Properties {
    const keys = this.object(value, path);
    const keysByKind: Record<string, string> = {};
    for (const [kind, key] of Object.entries(keys)) keysByKind[kind] = this.key(key, `${path}.${kind}`);
    if (Object.keys(keysByKind).length === 0) throw new PayloadError(`${path}: expected at least one kind`);
    return { keysByKind };
  }

  private singleContext(context: JsonObject, kind: string, path: string): v1.SingleContext.$Properties {
    let attributes: JsonObject | undefined;
    for (const name in context) {
      if (!CONTEXT_BUILTINS.has(name)) (attributes ??= {})[name] = context[name]!;
    }
    const meta = context._meta === undefined ? undefined : this.object(context._meta, `${path}._meta`);
    const redacted = this.stringList(meta?.redactedAttributes, `${path}._meta.redactedAttributes`);
    // SDKs remove private attributes before sending; should a value still arrive marked private, it is not kept.
    for (const reference of this.stringList(meta?.privateAttributes, `${path}._meta.privateAttributes`)) {
      if (attributes && removeAttribute(attributes, reference) && !redacted.includes(reference))
        redacted.push(reference);
    }
    return {
      kind,
      key: this.key(context.key, `${path}.key`),
      name: this.optionalString(context.name, `${path}.name`),
      anonymous: this.optionalBoolean(context.anonymous, `${path}.anonymous`) ?? false,
      attributesJson:
        attributes === undefined || Object.keys(attributes).length === 0 ? '' : this.json(attributes, path),
      redactedAttributes: redacted,
    };
  }

  /** Users from SDKs older than contexts: kind "user", custom attributes nested under `custom`. */
  private legacyUser(user: JsonObject, path: string): v1.SingleContext.$Properties {
    let attributes: JsonObject | undefined;
    for (const name in user) {
      if (!LEGACY_USER_BUILTINS.has(name)) (attributes ??= {})[name] = user[name]!;
    }
    if (user.custom !== undefined) Object.assign((attributes ??= {}), this.object(user.custom, `${path}.custom`));
    return {
      kind: 'user',
      key: this.key(user.key, `${path}.key`),
      name: this.optionalString(user.name, `${path}.name`),
      anonymous: this.optionalBoolean(user.anonymous, `${path}.anonymous`) ?? false,
      attributesJson: this.json(attributes, path),
      redactedAttributes: this.stringList(user.privateAttrs ?? user.privateAttributeNames, `${path}.privateAttrs`),
    };
  }
}

/**
 * Removes the attribute a LaunchDarkly attribute reference names: a top-level name, or a path like `/address/street`
 * (with `~1` for `/` and `~0` for `~`). Returns whether there was one to remove.
 */
function removeAttribute(attributes: JsonObject, reference: string): boolean {
  const path = reference.startsWith('/')
    ? reference
        .slice(1)
        .split('/')
        .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    : [reference];
  let holder = attributes;
  for (const part of path.slice(0, -1)) {
    const next = holder[part];
    if (!isObject(next)) return false;
    // A copy on the way down: the event as received stays as it was.
    holder = holder[part] = { ...next };
  }
  const last = path[path.length - 1]!;
  if (!(last in holder)) return false;
  delete holder[last];
  return true;
}

type KindParser = (reader: EventReader, event: JsonObject, path: string) => EventFields;

/** Schema 4 sends a context or its keys; schema 3 an inline `user` or only its `userKey`. */
function subject(reader: EventReader, event: JsonObject, path: string) {
  if (event.context !== undefined) return { context: reader.context(event.context, `${path}.context`) };
  if (event.contextKeys !== undefined)
    return { contextKeys: reader.contextKeys(event.contextKeys, `${path}.contextKeys`) };
  if (event.user !== undefined) return { context: reader.context(event.user, `${path}.user`) };
  if (event.userKey !== undefined)
    return { contextKeys: { keysByKind: { user: reader.key(event.userKey, `${path}.userKey`) } } };
  throw new PayloadError(`${path}: expected a context, contextKeys, user or userKey`);
}

// Fields an SDK left out stay unset: protobufjs writes every field that is set, defaults too, and bytes cost money.
const samplingRatio = (reader: EventReader, event: JsonObject, path: string) =>
  reader.optionalNumber(event.samplingRatio, `${path}.samplingRatio`);

function evaluation(reader: EventReader, event: JsonObject, path: string): v1.FeatureEvent.$Properties {
  return {
    key: reader.key(event.key, `${path}.key`),
    version: reader.optionalInteger(event.version, `${path}.version`, 0),
    variation: reader.optionalInteger(event.variation, `${path}.variation`, 0),
    valueJson: reader.json(event.value, `${path}.value`),
    defaultJson: reader.json(event.default, `${path}.default`),
    // SDKs send `reason: null` for evaluations without reasons: the same as none.
    reasonJson:
      event.reason === undefined || event.reason === null
        ? ''
        : reader.json(reader.object(event.reason, `${path}.reason`), `${path}.reason`),
    ...subject(reader, event, path),
    prereqOf: reader.optionalString(event.prereqOf, `${path}.prereqOf`) ?? '',
    trackEvents: reader.optionalBoolean(event.trackEvents, `${path}.trackEvents`) ?? false,
    excludeFromSummaries: reader.optionalBoolean(event.excludeFromSummaries, `${path}.excludeFromSummaries`),
    samplingRatio: samplingRatio(reader, event, path),
  };
}

function summaryFlag(reader: EventReader, key: string, value: unknown, path: string): v1.FlagSummary.$Properties {
  const flag = reader.object(value, path);
  if (!Array.isArray(flag.counters))
    throw new PayloadError(`${path}.counters: expected an array, got ${describe(flag.counters)}`);
  return {
    key,
    defaultJson: reader.json(flag.default, `${path}.default`),
    contextKinds: reader.stringList(flag.contextKinds, `${path}.contextKinds`),
    counters: flag.counters.map((item, i) => {
      const counterPath = `${path}.counters[${i}]`;
      const counter = reader.object(item, counterPath);
      const count = reader.optionalInteger(counter.count, `${counterPath}.count`, 1);
      if (count === undefined)
        throw new PayloadError(`${counterPath}.count: expected an integer of at least 1, got undefined`);
      return {
        valueJson: reader.json(counter.value, `${counterPath}.value`),
        variation: reader.optionalInteger(counter.variation, `${counterPath}.variation`, 0),
        version: reader.optionalInteger(counter.version, `${counterPath}.version`, 0),
        count,
        unknown: reader.optionalBoolean(counter.unknown, `${counterPath}.unknown`) ?? false,
      };
    }),
  };
}

const KIND_PARSERS: Record<string, KindParser> = {
  feature: (reader, event, path) => ({
    creationDateMs: reader.timestamp(event.creationDate, `${path}.creationDate`),
    feature: evaluation(reader, event, path),
  }),
  debug: (reader, event, path) => ({
    creationDateMs: reader.timestamp(event.creationDate, `${path}.creationDate`),
    debug: evaluation(reader, event, path),
  }),
  custom: (reader, event, path) => ({
    creationDateMs: reader.timestamp(event.creationDate, `${path}.creationDate`),
    custom: {
      key: reader.key(event.key, `${path}.key`),
      dataJson: reader.json(event.data, `${path}.data`),
      metricValue: reader.optionalNumber(event.metricValue, `${path}.metricValue`),
      ...subject(reader, event, path),
      url: reader.optionalString(event.url, `${path}.url`),
      samplingRatio: samplingRatio(reader, event, path),
    },
  }),
  identify: (reader, event, path) => ({
    creationDateMs: reader.timestamp(event.creationDate, `${path}.creationDate`),
    identify: {
      context: reader.context(event.context ?? event.user, `${path}.context`),
      samplingRatio: samplingRatio(reader, event, path),
    },
  }),
  index: (reader, event, path) => ({
    creationDateMs: reader.timestamp(event.creationDate, `${path}.creationDate`),
    index: { context: reader.context(event.context ?? event.user, `${path}.context`) },
  }),
  summary: (reader, event, path) => {
    const features = reader.object(event.features, `${path}.features`);
    return {
      summary: {
        startDateMs: reader.timestamp(event.startDate, `${path}.startDate`),
        endDateMs: reader.timestamp(event.endDate, `${path}.endDate`),
        flags: Object.entries(features).map(([key, flag]) => summaryFlag(reader, key, flag, `${path}.features.${key}`)),
        ...(event.context !== undefined && { context: reader.context(event.context, `${path}.context`) }),
      },
    };
  },
  migration_op: (reader, event, path) => ({
    creationDateMs: reader.timestamp(event.creationDate, `${path}.creationDate`),
    migrationOp: {
      operation: reader.key(event.operation, `${path}.operation`),
      ...subject(reader, event, path),
      evaluationJson: reader.json(reader.object(event.evaluation, `${path}.evaluation`), `${path}.evaluation`),
      measurementsJson: reader.json(event.measurements ?? [], `${path}.measurements`),
      samplingRatio: samplingRatio(reader, event, path),
    },
  }),
  alias: (reader, event, path) => ({
    creationDateMs: reader.timestamp(event.creationDate, `${path}.creationDate`),
    alias: {
      key: reader.key(event.key, `${path}.key`),
      contextKind: reader.key(event.contextKind ?? 'user', `${path}.contextKind`),
      previousKey: reader.key(event.previousKey, `${path}.previousKey`),
      previousContextKind: reader.key(event.previousContextKind ?? 'user', `${path}.previousContextKind`),
    },
  }),
  click: (reader, event, path) => ({
    creationDateMs: reader.timestamp(event.creationDate, `${path}.creationDate`),
    click: {
      key: reader.key(event.key, `${path}.key`),
      url: reader.optionalString(event.url, `${path}.url`),
      selector: reader.optionalString(event.selector, `${path}.selector`),
      ...subject(reader, event, path),
      samplingRatio: samplingRatio(reader, event, path),
    },
  }),
  pageview: (reader, event, path) => ({
    creationDateMs: reader.timestamp(event.creationDate, `${path}.creationDate`),
    pageview: {
      key: reader.key(event.key, `${path}.key`),
      url: reader.optionalString(event.url, `${path}.url`),
      ...subject(reader, event, path),
      samplingRatio: samplingRatio(reader, event, path),
    },
  }),
};

/** What the request's headers say about its events. */
export interface PayloadProtocol {
  /** X-LaunchDarkly-Event-Schema, when sent. */
  readonly schema?: number;
  /** X-LaunchDarkly-Unsummarized was sent: the SDK sends every evaluation as a feature event and no summaries. */
  readonly unsummarized?: boolean;
}

/** Summary events arrived in event schema 3 (LaunchDarkly's relay summarizes anything older). */
const SUMMARY_EVENTS_SCHEMA = 3;

/**
 * Whether the API must count the payload's evaluations itself, as LaunchDarkly's relay does: the SDK says it does
 * not summarize, or its schema is older than summaries. A payload without a schema header is taken for schema 1
 * (as the relay takes it) unless it holds a summary, which only schema 3 and later send.
 */
function needsSummary(protocol: PayloadProtocol, events: readonly EventFields[]): boolean {
  if (protocol.unsummarized) return true;
  if (protocol.schema !== undefined) return protocol.schema < SUMMARY_EVENTS_SCHEMA;
  return !events.some((event) => event.summary);
}

/**
 * The summary event an SDK would have sent for these events: per flag, one counter per (variation, version), with
 * the first evaluation's value and default, the context kinds seen, and the span of the evaluations' times.
 */
function summarize(events: readonly EventFields[]): EventFields | undefined {
  const flags = new Map<
    string,
    v1.FlagSummary.$Properties & { kinds: Set<string>; byCounter: Map<string, v1.FlagCounter.$Properties> }
  >();
  let startDateMs = Infinity;
  let endDateMs = -Infinity;
  for (const event of events) {
    const feature = event.feature;
    if (!feature || feature.excludeFromSummaries) continue;
    const atMs = Number(event.creationDateMs);
    startDateMs = Math.min(startDateMs, atMs);
    endDateMs = Math.max(endDateMs, atMs);
    let flag = flags.get(feature.key!);
    if (!flag) {
      flag = { key: feature.key, defaultJson: feature.defaultJson, kinds: new Set(), byCounter: new Map() };
      flags.set(feature.key!, flag);
    }
    const kinds = feature.context
      ? (feature.context.contexts ?? []).map((single) => single.kind!)
      : Object.keys(feature.contextKeys?.keysByKind ?? {});
    for (const kind of kinds) flag.kinds.add(kind);
    const counterKey = `${feature.variation}:${feature.version}`;
    const counter = flag.byCounter.get(counterKey);
    if (counter) counter.count = Number(counter.count) + 1;
    else
      flag.byCounter.set(counterKey, {
        valueJson: feature.valueJson,
        variation: feature.variation,
        version: feature.version,
        count: 1,
        unknown: feature.version === undefined,
      });
  }
  if (flags.size === 0) return undefined;
  return {
    summary: {
      startDateMs,
      endDateMs,
      flags: [...flags.values()].map((flag) => ({
        key: flag.key,
        defaultJson: flag.defaultJson,
        contextKinds: [...flag.kinds],
        counters: [...flag.byCounter.values()],
      })),
    },
  };
}

/**
 * Validates a parsed SDK payload (event schemas 1 to 4) and maps each event to the protobuf schema. Only what makes the
 * whole payload unusable throws; a bad event is dropped with its reason and the rest are kept, as LaunchDarkly's
 * relay answers 202 to any well-formed payload.
 */
export function readSdkPayload(
  body: unknown,
  limits: PayloadLimits = DEFAULT_PAYLOAD_LIMITS,
  protocol: PayloadProtocol = { schema: 4 },
): ParsedPayload {
  if (!Array.isArray(body)) throw new PayloadError(`body: expected a JSON array of events, got ${describe(body)}`);
  if (body.length > limits.maxEventsPerPayload) {
    throw new PayloadError(
      `body: ${body.length} events exceeds the limit of ${limits.maxEventsPerPayload} a payload`,
      413,
    );
  }
  const reader = new EventReader(limits);
  const events: EventFields[] = [];
  const eventIndexes: number[] = [];
  const dropped: DroppedEvent[] = [];
  for (let index = 0; index < body.length; index++) {
    const path = `events[${index}]`;
    try {
      const event = reader.object(body[index], path);
      if (typeof event.kind !== 'string')
        throw new PayloadError(`${path}.kind: expected a string, got ${describe(event.kind)}`);
      const parse = Object.hasOwn(KIND_PARSERS, event.kind) ? KIND_PARSERS[event.kind] : undefined;
      if (parse === undefined) {
        const message = `${path}.kind: ${JSON.stringify(event.kind.slice(0, 64))} is not a kind this API keeps`;
        dropped.push({ index, reason: 'unknown_kind', message });
        continue;
      }
      events.push(parse(reader, event, path));
      eventIndexes.push(index);
    } catch (error) {
      if (!(error instanceof PayloadError)) throw error;
      dropped.push({ index, reason: 'invalid_event', message: error.message });
    }
  }
  const summary = needsSummary(protocol, events) ? summarize(events) : undefined;
  if (summary) {
    // One past the payload's last event: a resent payload summarizes to the same event at the same position.
    events.push(summary);
    eventIndexes.push(body.length);
  }
  return { events, eventIndexes, dropped };
}
