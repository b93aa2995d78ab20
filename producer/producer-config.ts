import { zstdCompressSync } from 'node:zlib';
import {
  DEFAULT_RECORD_BYTE_CAP,
  MAX_RECORD_BYTE_CAP,
  RECORD_COMPRESSIONS,
  RecordCompression,
} from '../codec/event-codec';
import { parseHandoffUri, SpillHandoffLocation } from './spill-handoff';

export interface ProducerConfig {
  readonly host: string;
  readonly port: number;
  readonly streamName: string;
  readonly tenantConfig: { readonly file: string } | { readonly s3Bucket: string; readonly s3Key: string };
  readonly tenantRefreshMs: number;
  readonly spillDirectory: string;
  /** Processes sharing the port, one per vCPU on the fleet; each spills to a worker folder of its own. */
  readonly workers: number;
  /** Where spill goes when an instance terminates, and where running instances look for it. */
  readonly spillHandoff?: SpillHandoffLocation;
  readonly drainDeadlineMs: number;
  readonly maxBufferBytes: number;
  /** Payload bytes being decompressed and parsed at once, past which payloads get 503. */
  readonly maxInFlightBytes: number;
  readonly recordByteCap: number;
  readonly recordCompression: RecordCompression;
  readonly lingerMs: number;
  readonly maxPutsInFlight: number;
  readonly maxAttempts: number;
  readonly retryBaseBackoffMs: number;
  readonly retryMaxBackoffMs: number;
  readonly spillRetryIntervalMs: number;
  readonly metricsIntervalMs: number;
  readonly metricsNamespace: string;
}

type Environment = Record<string, string | undefined>;

function required(env: Environment, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} environment variable is not set`);
  return value;
}

function integer(env: Environment, name: string, fallback: number, minimum: number, maximum: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < minimum || value > maximum) {
    throw new Error(`${name} must be an integer from ${minimum} to ${maximum}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function recordCompression(env: Environment): RecordCompression {
  const raw = env.RECORD_COMPRESSION || 'deflate-raw';
  const known = RECORD_COMPRESSIONS.find((compression) => compression === raw);
  if (!known)
    throw new Error(`RECORD_COMPRESSION must be one of ${RECORD_COMPRESSIONS.join(', ')}, got ${JSON.stringify(raw)}`);
  // zstd in node:zlib is still marked experimental: refuse at start, not at the first record, where it is missing.
  if (known === 'zstd' && typeof zstdCompressSync !== 'function')
    throw new Error(
      `RECORD_COMPRESSION zstd needs node:zlib's zstd (Node 22.15 or 24), and this is Node ${process.version}`,
    );
  return known;
}

function tenantConfig(env: Environment): ProducerConfig['tenantConfig'] {
  const uri = env.TENANT_CONFIG_S3_URI;
  if (uri) {
    const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
    if (!match) throw new Error(`TENANT_CONFIG_S3_URI must look like s3://bucket/key, got ${JSON.stringify(uri)}`);
    return { s3Bucket: match[1]!, s3Key: match[2]! };
  }
  return { file: env.TENANT_CONFIG_FILE ?? 'config/local-tenants.json' };
}

/** Reads the producer's settings from environment variables; every error names its variable. */
export function readProducerConfig(env: Environment): ProducerConfig {
  return {
    host: env.HOST ?? '127.0.0.1',
    port: integer(env, 'PORT', 8080, 0, 65_535),
    streamName: required(env, 'STREAM_NAME'),
    tenantConfig: tenantConfig(env),
    tenantRefreshMs: 1000 * integer(env, 'TENANT_CONFIG_REFRESH_SECONDS', 30, 1, 86_400),
    spillDirectory: env.SPILL_DIR ?? '.local/spill',
    workers: integer(env, 'WORKERS', 1, 1, 256),
    spillHandoff: env.SPILL_HANDOFF_S3_URI ? parseHandoffUri(env.SPILL_HANDOFF_S3_URI) : undefined,
    drainDeadlineMs: 1000 * integer(env, 'DRAIN_DEADLINE_SECONDS', 25, 1, 3_600),
    maxBufferBytes: 1024 * 1024 * integer(env, 'BUFFER_MAX_MIB', 256, 1, 65_536),
    maxInFlightBytes: 1024 * 1024 * integer(env, 'IN_FLIGHT_MAX_MIB', 128, 1, 4_096),
    recordByteCap: integer(env, 'RECORD_BYTE_CAP', DEFAULT_RECORD_BYTE_CAP, 1_000, MAX_RECORD_BYTE_CAP),
    recordCompression: recordCompression(env),
    lingerMs: integer(env, 'LINGER_MS', 50, 1, 10_000),
    maxPutsInFlight: integer(env, 'MAX_PUTS_IN_FLIGHT', 8, 1, 256),
    maxAttempts: integer(env, 'PUT_MAX_ATTEMPTS', 10, 1, 100),
    retryBaseBackoffMs: integer(env, 'PUT_RETRY_BASE_MS', 100, 1, 60_000),
    retryMaxBackoffMs: integer(env, 'PUT_RETRY_MAX_MS', 5_000, 1, 600_000),
    spillRetryIntervalMs: 1000 * integer(env, 'SPILL_RETRY_SECONDS', 5, 1, 3_600),
    metricsIntervalMs: 1000 * integer(env, 'METRICS_INTERVAL_SECONDS', 60, 1, 3_600),
    metricsNamespace: env.METRICS_NAMESPACE ?? 'EventsPipeline/Producer',
  };
}
