import { createHash, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import Fastify, { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { encodeEnvelope, encodePayloadEvents, maxSingleEventBytes, v1 } from '../codec/event-codec';
import { KinesisWriter } from './kinesis-writer';
import { PayloadDedupe } from './payload-dedupe';
import { ProducerMetrics, RejectReason } from './producer-metrics';
import { TenantRateLimiter } from './rate-limiter';
import {
  DEFAULT_PAYLOAD_LIMITS,
  DropReason,
  DroppedEvent,
  ParsedPayload,
  PayloadError,
  PayloadLimits,
  PayloadProtocol,
  readSdkPayload,
} from './sdk-events';
import { Credential, Tenant, TenantDirectory } from './tenant-directory';

const gunzipAsync = promisify(gunzip);
/** How many dropped events a 202 describes one by one; the counts by reason cover them all. */
const PROBLEMS_LISTED = 20;

function countBy(dropped: readonly DroppedEvent[]): Map<DropReason, number> {
  const counts = new Map<DropReason, number>();
  for (const { reason } of dropped) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  return counts;
}

export interface EventsApiLimits {
  /** Request body as sent (compressed or not). @default 5 MiB */
  readonly maxBodyBytes: number;
  /** Body after gzip; a bigger expansion is refused as a likely bomb. @default 20 MiB */
  readonly maxDecompressedBytes: number;
  readonly payload: PayloadLimits;
  /** How long an accepted X-LaunchDarkly-Payload-ID is remembered. @default 5 minutes */
  readonly dedupeWindowMs: number;
  readonly dedupeMaxEntries: number;
  /** /health fails above this share of the writer's buffer, so the load balancer steers traffic away. @default 0.8 */
  readonly healthHighWaterRatio: number;
  /**
   * Bodies being decompressed and parsed at once, counted as their bytes plus the bytes gzip says they expand to;
   * past it a payload gets 503 before it is decompressed. @default 128 MiB
   */
  readonly maxInFlightBytes: number;
}

/** A payload id is an SDK's UUID; anything much longer is remembered by its digest, so ids cannot fill memory. */
export const MAX_PAYLOAD_ID_LENGTH = 128;

export const DEFAULT_API_LIMITS: EventsApiLimits = {
  maxBodyBytes: 5 * 1024 * 1024,
  maxDecompressedBytes: 20 * 1024 * 1024,
  payload: DEFAULT_PAYLOAD_LIMITS,
  dedupeWindowMs: 5 * 60 * 1000,
  dedupeMaxEntries: 1_000_000,
  healthHighWaterRatio: 0.8,
  maxInFlightBytes: 128 * 1024 * 1024,
};

export interface EventsApiOptions {
  readonly tenants: () => TenantDirectory;
  readonly writer: KinesisWriter;
  readonly metrics: ProducerMetrics;
  readonly limits?: Partial<EventsApiLimits>;
  readonly now?: () => number;
}

// The request headers browser SDKs send (LaunchDarkly's own local dev server allows the same list, plus gzip's
// Content-Encoding here); an SDK configured with an application sends X-LaunchDarkly-Tags, and SDKs read the
// server's clock from Date, which a browser hides unless exposed.
const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-allow-headers':
    'Cache-Control, Content-Type, Content-Length, Content-Encoding, Accept-Encoding, X-LaunchDarkly-User-Agent, X-LaunchDarkly-Payload-ID, X-LaunchDarkly-Wrapper, X-LaunchDarkly-Event-Schema, X-LaunchDarkly-Tags',
  'access-control-expose-headers': 'Date',
  'access-control-max-age': '300',
};

class RejectedRequest extends Error {
  constructor(
    readonly status: number,
    readonly reason: RejectReason,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

type Endpoint = { credential: Credential; endpoint: v1.Endpoint };
const CREDENTIAL_SOURCES: Record<Credential, string> = {
  sdkKey: 'in the Authorization header',
  mobileKey: 'in the Authorization header, as "api_key <mobile key>"',
  clientSideId: 'in the path, /events/bulk/<client-side id>',
};
const SERVER: Endpoint = { credential: 'sdkKey', endpoint: v1.Endpoint.ENDPOINT_SERVER };
const MOBILE: Endpoint = { credential: 'mobileKey', endpoint: v1.Endpoint.ENDPOINT_MOBILE };
const CLIENT: Endpoint = { credential: 'clientSideId', endpoint: v1.Endpoint.ENDPOINT_CLIENT };

function sdkIdentity(request: FastifyRequest): { sdkName: string; sdkVersion: string } {
  const header = request.headers['x-launchdarkly-user-agent'] ?? request.headers['user-agent'] ?? '';
  const agent = (Array.isArray(header) ? header[0] : header) ?? '';
  const [name = '', version = ''] = agent.split(' ', 1)[0]!.split('/', 2);
  return { sdkName: name.slice(0, 64), sdkVersion: version.slice(0, 32) };
}

function headerValue(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function boundedPayloadId(payloadId: string | undefined): string | undefined {
  if (payloadId === undefined || payloadId.length <= MAX_PAYLOAD_ID_LENGTH) return payloadId;
  return `sha256:${createHash('sha256').update(payloadId).digest('hex')}`;
}

/** gzip's trailer holds the uncompressed size modulo 2^32 (RFC 1952, ISIZE): a hint, checked again while inflating. */
function gzipExpandedSize(body: Buffer): number {
  return body.length >= 18 ? body.readUInt32LE(body.length - 4) : 0;
}

/** Header values kept with each payload are metadata, not data: a longer one is cut. */
const MAX_KEPT_HEADER_LENGTH = 256;

function payloadProtocol(request: FastifyRequest): PayloadProtocol {
  const schema = Number.parseInt(headerValue(request, 'x-launchdarkly-event-schema') ?? '', 10);
  return {
    schema: Number.isSafeInteger(schema) ? schema : undefined,
    unsummarized: request.headers['x-launchdarkly-unsummarized'] !== undefined,
  };
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new RejectedRequest(400, 'invalid_payload', `body: not valid JSON (${(error as Error).message})`);
  }
}

/** A diagnostic body is kept as sent; it only has to be a JSON object. */
function readDiagnostic(body: Buffer): string {
  const parsed = parseJson(body);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new RejectedRequest(400, 'invalid_payload', 'body: expected a diagnostic event, a JSON object');
  }
  return body.toString('utf8');
}

/**
 * The events API: LaunchDarkly's SDK event protocol (schemas 1 to 4, and diagnostics) in, batched records to the Kinesis writer out.
 * Nothing in the request path touches the network; a 202 means the events are held by the writer.
 */
export class EventsApi {
  readonly app: FastifyInstance;
  private readonly limits: EventsApiLimits;
  private readonly rateLimiter: TenantRateLimiter;
  private readonly dedupe: PayloadDedupe;
  private readonly now: () => number;
  private draining = false;
  private inFlightBytes = 0;

  constructor(private readonly options: EventsApiOptions) {
    this.limits = { ...DEFAULT_API_LIMITS, ...options.limits };
    this.now = options.now ?? Date.now;
    this.rateLimiter = new TenantRateLimiter(this.now);
    this.dedupe = new PayloadDedupe(this.limits.dedupeWindowMs, this.limits.dedupeMaxEntries, this.now);
    // Closing cuts keep-alive connections: by then the writer refuses events, so no accepted payload is cut off.
    this.app = Fastify({ bodyLimit: this.limits.maxBodyBytes, logger: false, forceCloseConnections: true });
    this.app.removeAllContentTypeParsers();
    this.app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    this.app.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
      const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
      if (status === 413) this.options.metrics.reject('too_large');
      const message =
        status === 413
          ? `body: over ${this.limits.maxBodyBytes} bytes as sent, the limit for a request`
          : error.message;
      void reply.code(status).send({ error: status === 413 ? 'too_large' : 'bad_request', message });
    });
    this.app.setNotFoundHandler((request, reply) => {
      void reply.code(404).send({ error: 'not_found', message: `no route for ${request.method} ${request.url}` });
    });
    this.routes();
  }

  /** From now on /health fails and new payloads get 503, so the load balancer moves traffic elsewhere. */
  beginDrain(): void {
    this.draining = true;
  }

  private routes(): void {
    const events = (endpoint: Endpoint) => (request: FastifyRequest, reply: FastifyReply) =>
      this.handleEvents(endpoint, request, reply);
    const diagnostic = (endpoint: Endpoint) => (request: FastifyRequest, reply: FastifyReply) =>
      this.handleDiagnostic(endpoint, request, reply);
    this.app.post('/bulk', events(SERVER));
    this.app.post('/diagnostic', diagnostic(SERVER));
    for (const path of ['/mobile', '/mobile/events', '/mobile/events/bulk']) this.app.post(path, events(MOBILE));
    this.app.post('/mobile/events/diagnostic', diagnostic(MOBILE));
    this.app.post('/events/bulk/:clientSideId', events(CLIENT));
    this.app.post('/events/diagnostic/:clientSideId', diagnostic(CLIENT));
    for (const path of ['/events/bulk/:clientSideId', '/events/diagnostic/:clientSideId']) {
      this.app.options(path, (_request, reply) => reply.code(204).headers(CORS_HEADERS).send());
    }
    // Routing health, for the load balancer: fails while draining, nearly full or unable to write the stream at all,
    // so traffic goes elsewhere.
    this.app.get('/health', (_request, reply) => {
      const { writer } = this.options;
      const fill = writer.bufferedBytes / writer.maxBufferBytes;
      const status = this.draining
        ? 'draining'
        : writer.cannotReachKinesis
          ? 'kinesis_unreachable'
          : fill > this.limits.healthHighWaterRatio
            ? 'buffer_high'
            : 'ok';
      void reply.code(status === 'ok' ? 200 : 503).send({
        status,
        bufferFill: Number(fill.toFixed(4)),
        ...(writer.cannotReachKinesis && { error: writer.cannotReachKinesis }),
      });
    });
    // Liveness, for the instance's watchdog: answers while the process serves at all; a full buffer is no reason to
    // restart or replace an instance (that would lose the spill folder with the events it holds).
    this.app.get('/live', (_request, reply) => void reply.send({ status: 'live' }));
  }

  private authenticate(endpoint: Endpoint, request: FastifyRequest): Tenant {
    let credential: string | undefined;
    if (endpoint.credential === 'clientSideId') {
      credential = (request.params as { clientSideId?: string }).clientSideId;
    } else {
      credential = headerValue(request, 'authorization')?.replace(/^api_key\s+/i, '');
    }
    const where = CREDENTIAL_SOURCES[endpoint.credential];
    if (!credential) throw new RejectedRequest(401, 'unauthorized', `missing ${endpoint.credential}: send it ${where}`);
    const tenant = this.options.tenants().find(endpoint.credential, credential);
    if (!tenant) {
      throw new RejectedRequest(
        401,
        'unauthorized',
        `unknown ${endpoint.credential}: no environment has the one sent ${where}`,
      );
    }
    if (tenant.disabled) {
      // 429 rather than 401/403: SDKs stop sending for good after those, and a kill switch is meant to be lifted.
      throw new RejectedRequest(429, 'disabled', 'events are disabled for this environment', 60);
    }
    return tenant;
  }

  private handleDiagnostic(endpoint: Endpoint, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    return this.handlePayload(endpoint, request, reply, (body) => {
      this.options.metrics.counters.diagnosticPayloads++;
      return {
        events: [{ creationDateMs: this.now(), diagnostic: { bodyJson: readDiagnostic(body) } }],
        eventIndexes: [0],
        dropped: [],
      };
    });
  }

  private handleEvents(endpoint: Endpoint, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    return this.handlePayload(endpoint, request, reply, (body) => this.parse(body, payloadProtocol(request)));
  }

  private async handlePayload(
    endpoint: Endpoint,
    request: FastifyRequest,
    reply: FastifyReply,
    read: (body: Buffer) => ParsedPayload,
  ): Promise<void> {
    let eventCount = 0;
    let settlePayload: ((accepted: boolean) => void) | undefined;
    let reservedBytes = 0;
    try {
      if (this.draining) throw new RejectedRequest(503, 'draining', 'this server is shutting down; retry', 1);
      const tenant = this.authenticate(endpoint, request);
      // A tenant already over its rate is refused before its payload costs any unpacking or parsing.
      this.checkRate(tenant, 1, Buffer.isBuffer(request.body) ? request.body.length : 0, false);
      reservedBytes = this.reserveRequestBytes(request);
      const payloadId = boundedPayloadId(headerValue(request, 'x-launchdarkly-payload-id'));
      if (payloadId) {
        const claim = await this.dedupe.claim(tenant.environmentId, payloadId);
        if (claim === 'duplicate') {
          this.options.metrics.counters.duplicatePayloads++;
          return await this.answer(endpoint, reply, 202, { accepted: 0, duplicate: true });
        }
        settlePayload = claim;
      }
      const body = await this.decompress(request);
      const payload = read(body);
      eventCount = payload.events.length;

      this.checkRate(tenant, eventCount, body.length, true);
      const envelope = encodeEnvelope({
        environmentId: tenant.environmentId,
        receivedAtMs: this.now(),
        payloadId: payloadId ?? randomUUID(),
        endpoint: endpoint.endpoint,
        ...sdkIdentity(request),
        tags: headerValue(request, 'x-launchdarkly-tags')?.slice(0, MAX_KEPT_HEADER_LENGTH) ?? '',
        wrapper: headerValue(request, 'x-launchdarkly-wrapper')?.slice(0, MAX_KEPT_HEADER_LENGTH) ?? '',
      });
      const { encoded, dropped } = this.withinRecordLimit(payload, envelope.length);
      eventCount = encoded.length;
      const result = this.options.writer.accept(envelope, encoded);
      if (result !== 'accepted') {
        throw new RejectedRequest(503, result, 'events are arriving faster than the stream takes them; retry', 2);
      }
      settlePayload?.(true);
      settlePayload = undefined;
      this.options.metrics.counters.payloadsAccepted++;
      this.options.metrics.counters.eventsAccepted += eventCount;
      const droppedByReason = countBy(dropped);
      for (const [reason, count] of droppedByReason) this.options.metrics.drop(reason, count);
      await this.answer(endpoint, reply, 202, {
        accepted: eventCount,
        ...(dropped.length > 0 && {
          dropped: Object.fromEntries(droppedByReason),
          problems: dropped.slice(0, PROBLEMS_LISTED),
        }),
      });
    } catch (error) {
      settlePayload?.(false);
      await this.fail(endpoint, reply, error, eventCount);
    } finally {
      this.inFlightBytes -= reservedBytes;
    }
  }

  private checkRate(tenant: Tenant, events: number, bytes: number, take: boolean): void {
    const { environmentId, limits } = tenant;
    const waitSeconds = take
      ? this.rateLimiter.tryTake(environmentId, limits, events, bytes)
      : this.rateLimiter.waitSeconds(environmentId, limits, events, bytes);
    if (waitSeconds > 0) {
      throw new RejectedRequest(429, 'rate_limited', 'this environment is over its event rate limit', waitSeconds);
    }
  }

  /** Holds room for the body and what it decompresses to, or refuses the payload before any of it is unpacked. */
  private reserveRequestBytes(request: FastifyRequest): number {
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const gzip = headerValue(request, 'content-encoding')?.toLowerCase() === 'gzip';
    const expanded = gzip ? Math.min(gzipExpandedSize(body), this.limits.maxDecompressedBytes) : 0;
    const bytes = body.length + expanded;
    if (this.inFlightBytes > 0 && this.inFlightBytes + bytes > this.limits.maxInFlightBytes) {
      throw new RejectedRequest(
        503,
        'overloaded',
        `this server is unpacking ${this.inFlightBytes} bytes of payloads, its limit is ${this.limits.maxInFlightBytes}; retry`,
        1,
      );
    }
    this.inFlightBytes += bytes;
    return bytes;
  }

  /** Encodes the payload's events and drops, with its reason, any event too big for even a record of its own. */
  private withinRecordLimit(payload: ParsedPayload, envelopeLength: number) {
    const largest = maxSingleEventBytes(envelopeLength, this.options.writer.recordDataByteCap);
    const dropped: DroppedEvent[] = [...payload.dropped];
    const encoded = encodePayloadEvents(payload.events).filter((bytes, i) => {
      if (bytes.length <= largest) return true;
      const message = `an event of ${bytes.length} bytes encoded is over the ${largest} bytes one record holds`;
      dropped.push({ index: payload.eventIndexes[i]!, reason: 'too_large', message });
      return false;
    });
    return { encoded, dropped };
  }

  private async decompress(request: FastifyRequest): Promise<Buffer> {
    const body = request.body;
    if (!Buffer.isBuffer(body))
      throw new RejectedRequest(400, 'invalid_payload', 'body: expected a JSON array of events');
    const encoding = headerValue(request, 'content-encoding')?.toLowerCase() ?? 'identity';
    if (encoding === 'identity') return body;
    if (encoding !== 'gzip') {
      throw new RejectedRequest(415, 'invalid_payload', `content-encoding ${encoding} is not supported; use gzip`);
    }
    if (gzipExpandedSize(body) > this.limits.maxDecompressedBytes) {
      throw new RejectedRequest(413, 'too_large', this.tooLargeWhenInflated());
    }
    try {
      return await gunzipAsync(body, { maxOutputLength: this.limits.maxDecompressedBytes });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
        throw new RejectedRequest(413, 'too_large', this.tooLargeWhenInflated());
      }
      throw new RejectedRequest(400, 'invalid_payload', `body: not valid gzip (${(error as Error).message})`);
    }
  }

  private tooLargeWhenInflated(): string {
    return `body: decompresses to more than ${this.limits.maxDecompressedBytes} bytes, the limit for a payload`;
  }

  private parse(body: Buffer, protocol: PayloadProtocol) {
    const parsed = parseJson(body);
    try {
      return readSdkPayload(parsed, this.limits.payload, protocol);
    } catch (error) {
      if (error instanceof PayloadError) {
        throw new RejectedRequest(error.status, error.status === 413 ? 'too_large' : 'invalid_payload', error.message);
      }
      throw error;
    }
  }

  private async answer(endpoint: Endpoint, reply: FastifyReply, status: number, body: object): Promise<void> {
    if (endpoint === CLIENT) void reply.headers(CORS_HEADERS);
    if (this.draining) void reply.header('connection', 'close');
    await reply.code(status).send(body);
  }

  private async fail(endpoint: Endpoint, reply: FastifyReply, error: unknown, eventCount: number): Promise<void> {
    if (!(error instanceof RejectedRequest)) throw error;
    this.options.metrics.reject(error.reason, eventCount);
    if (error.retryAfterSeconds !== undefined)
      void reply.header('retry-after', Math.max(1, Math.ceil(error.retryAfterSeconds)));
    await this.answer(endpoint, reply, error.status, { error: error.reason, message: error.message });
  }
}
