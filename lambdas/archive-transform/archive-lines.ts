import type { DecodedEvent, v1 } from '../../codec/event-codec';

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
      `{"kind":${str(c.kind ?? '')},"key":${str(c.key ?? '')},"name":${c.name === undefined || c.name === null ? 'null' : str(c.name)},` +
      `"anonymous":${c.anonymous === true},"attributes":${raw(c.attributesJson)},"redactedAttributes":${names(c.redactedAttributes)}}`,
  );
  return `[${parts.join(',')}]`;
}

function subject(value: {
  context?: v1.Context.$Properties | null;
  contextKeys?: v1.ContextKeys.$Properties | null;
}): string {
  return value.context
    ? `"contexts":${context(value.context)},"contextKeys":null`
    : `"contexts":null,"contextKeys":${str(value.contextKeys?.keysByKind ?? {})}`;
}

function evaluation(e: v1.FeatureEvent.$Properties): string {
  return (
    `"key":${str(e.key ?? '')},"version":${optionalNumber(e.version)},"variation":${optionalNumber(e.variation)},` +
    `"value":${raw(e.valueJson)},"default":${raw(e.defaultJson)},"reason":${raw(e.reasonJson)},` +
    `"prereqOf":${e.prereqOf ? str(e.prereqOf) : 'null'},${subject(e)}`
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
      return `"key":${str(custom.key ?? '')},"data":${raw(custom.dataJson)},"metricValue":${optionalNumber(custom.metricValue)},${subject(custom)}`;
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
        return `{"key":${str(flag.key ?? '')},"default":${raw(flag.defaultJson)},"contextKinds":${str(flag.contextKinds ?? [])},"counters":[${counters.join(',')}]}`;
      });
      return `"startDate":${Number(summary.startDateMs ?? 0)},"endDate":${Number(summary.endDateMs ?? 0)},"flags":[${flags.join(',')}]`;
    }
  }
}

// Events of one payload share their envelope object, so its part of the line is built once.
const envelopePrefixes = new WeakMap<object, string>();

function envelopePrefix(envelope: DecodedEvent['envelope']): string {
  let prefix = envelopePrefixes.get(envelope);
  if (prefix === undefined) {
    prefix =
      `{"environmentId":${str(envelope.environmentId)},"receivedAt":${Number(envelope.receivedAtMs)},` +
      `"payloadId":${str(envelope.payloadId)},"sdk":${str(`${envelope.sdkName}/${envelope.sdkVersion}`)},` +
      `"endpoint":"${ENDPOINTS[envelope.endpoint] ?? 'unspecified'}",`;
    envelopePrefixes.set(envelope, prefix);
  }
  return prefix;
}

/**
 * One line of newline-delimited JSON per event, with the same field names for every event of a kind
 * (absent values are null), so Athena or Glue tables can be declared once.
 */
export function archiveLine(decoded: DecodedEvent): string {
  return `${envelopePrefix(decoded.envelope)}"kind":"${decoded.kind}","creationDate":${Number(decoded.event.creationDateMs ?? 0)},${body(decoded)}}\n`;
}
