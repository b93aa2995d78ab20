import type { DecodedEvent, v1 } from '../../codec/event-codec';

// Decoded messages carry their defaults ('' and [] for fields left unset): only optional fields can be absent.
const str = JSON.stringify;
/** Fields that already hold JSON text are spliced in as they are: no parse, no re-serialization. */
const raw = (json: string | null | undefined): string => (json ? json : 'null');
const optionalNumber = (value: number | null | undefined): string =>
  value === undefined || value === null ? 'null' : String(value);

const ENDPOINTS = ['unspecified', 'server', 'mobile', 'client'];
// Most contexts redact nothing; an empty list needs no serializer.
const names = (list: string[] | null | undefined): string => (list && list.length > 0 ? str(list) : '[]');

function context(value: v1.Context.$Properties | null | undefined): string {
  const parts = (value?.contexts ?? []).map(
    (c) =>
      `{"kind":${str(c.kind)},"key":${str(c.key)},"name":${c.name === undefined || c.name === null ? 'null' : str(c.name)},` +
      `"anonymous":${c.anonymous === true},"attributes":${raw(c.attributesJson)},"redactedAttributes":${names(c.redactedAttributes)}}`,
  );
  return `[${parts.join(',')}]`;
}

const optionalString = (value: string | null | undefined): string => (value ? str(value) : 'null');

/** Keys by kind as a list of the same shape as a context's kind and key, so one query reads both. */
const contextKeys = (keysByKind: Record<string, string>): string =>
  `[${Object.entries(keysByKind)
    .map(([kind, key]) => `{"kind":${str(kind)},"key":${str(key)}}`)
    .join(',')}]`;

function subject(value: {
  context?: v1.Context.$Properties | null;
  contextKeys?: v1.ContextKeys.$Properties | null;
}): string {
  return value.context
    ? `"contexts":${context(value.context)},"contextKeys":null`
    : `"contexts":null,"contextKeys":${contextKeys(value.contextKeys?.keysByKind ?? {})}`;
}

function evaluation(e: v1.FeatureEvent.$Properties): string {
  return (
    `"key":${str(e.key)},"version":${optionalNumber(e.version)},"variation":${optionalNumber(e.variation)},` +
    `"value":${raw(e.valueJson)},"default":${raw(e.defaultJson)},"reason":${raw(e.reasonJson)},` +
    `"prereqOf":${optionalString(e.prereqOf)},${subject(e)}`
  );
}

function body(decoded: DecodedEvent): string {
  const event = decoded.event;
  switch (decoded.kind) {
    case 'feature':
      return evaluation(event.feature!);
    case 'debug':
      return evaluation(event.debug!);
    case 'custom': {
      const custom = event.custom!;
      return `"key":${str(custom.key)},"data":${raw(custom.dataJson)},"metricValue":${optionalNumber(custom.metricValue)},${subject(custom)},"url":${optionalString(custom.url)}`;
    }
    case 'identify':
      return `"contexts":${context(event.identify!.context)}`;
    case 'index':
      return `"contexts":${context(event.index!.context)}`;
    case 'summary': {
      const summary = event.summary!;
      const flags = (summary.flags ?? []).map((flag) => {
        const counters = (flag.counters ?? []).map(
          (c) =>
            `{"value":${raw(c.valueJson)},"variation":${optionalNumber(c.variation)},"version":${optionalNumber(c.version)},` +
            `"count":${Number(c.count ?? 0)},"unknown":${c.unknown === true}}`,
        );
        return `{"key":${str(flag.key)},"default":${raw(flag.defaultJson)},"contextKinds":${str(flag.contextKinds)},"counters":[${counters.join(',')}]}`;
      });
      const contexts = summary.context ? context(summary.context) : 'null';
      return `"startDate":${Number(summary.startDateMs ?? 0)},"endDate":${Number(summary.endDateMs ?? 0)},"flags":[${flags.join(',')}],"contexts":${contexts}`;
    }
    case 'migrationOp': {
      const migration = event.migrationOp!;
      return `"operation":${str(migration.operation)},${subject(migration)},"evaluation":${raw(migration.evaluationJson)},"measurements":${raw(migration.measurementsJson)}`;
    }
    case 'alias': {
      const alias = event.alias!;
      return `"key":${str(alias.key)},"contextKind":${str(alias.contextKind)},"previousKey":${str(alias.previousKey)},"previousContextKind":${str(alias.previousContextKind)}`;
    }
    case 'click': {
      const click = event.click!;
      return `"key":${str(click.key)},"url":${optionalString(click.url)},"selector":${optionalString(click.selector)},${subject(click)}`;
    }
    case 'pageview': {
      const pageview = event.pageview!;
      return `"key":${str(pageview.key)},"url":${optionalString(pageview.url)},${subject(pageview)}`;
    }
    case 'diagnostic':
      return `"body":${raw(event.diagnostic!.bodyJson)}`;
  }
}

/** The kind as SDKs name it. */
const KIND_NAMES: Record<DecodedEvent['kind'], string> = {
  feature: 'feature',
  debug: 'debug',
  custom: 'custom',
  identify: 'identify',
  index: 'index',
  summary: 'summary',
  migrationOp: 'migration_op',
  alias: 'alias',
  click: 'click',
  pageview: 'pageview',
  diagnostic: 'diagnostic',
};

// Events of one payload share their envelope object, so its part of the line is built once.
const envelopePrefixes = new WeakMap<object, string>();

function envelopePrefix(envelope: DecodedEvent['envelope']): string {
  let prefix = envelopePrefixes.get(envelope);
  if (prefix === undefined) {
    prefix =
      `{"environmentId":${str(envelope.environmentId)},"receivedAt":${Number(envelope.receivedAtMs)},` +
      `"payloadId":${str(envelope.payloadId)},"sdk":${str(`${envelope.sdkName}/${envelope.sdkVersion}`)},` +
      `"endpoint":"${ENDPOINTS[envelope.endpoint] ?? 'unspecified'}","tags":${optionalString(envelope.tags)},` +
      `"wrapper":${optionalString(envelope.wrapper)},`;
    envelopePrefixes.set(envelope, prefix);
  }
  return prefix;
}

/**
 * One line of newline-delimited JSON per event, with the same field names for every event of a kind
 * (absent values are null), so Athena or Glue tables can be declared once.
 */
export function archiveLine(decoded: DecodedEvent): string {
  return `${envelopePrefix(decoded.envelope)}"kind":"${KIND_NAMES[decoded.kind]}","creationDate":${Number(decoded.event.creationDateMs ?? 0)},${body(decoded)}}\n`;
}
