import { RESPONSE_BUDGET_BYTES } from '../lambdas/archive-transform/handler';

/** Where archived events land under the bucket: by environment, then arrival day and hour. */
export const archiveDataPrefix = (environment: string) =>
  `events/environment=${environment}/dt=!{timestamp:yyyy-MM-dd}/hour=!{timestamp:HH}/`;
export const archiveErrorPrefix = (environment: string) =>
  `errors/environment=${environment}/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/`;

/** Archive objects are series of GZIP members of newline-delimited JSON, one member per record. */
export const ARCHIVE_FILE_EXTENSION = '.ndjson.gz';

/** The same prefixes with Firehose's expressions filled in, for the local archive. */
export function resolveArchivePrefix(prefix: string, at: Date, errorOutputType = 'processing-failed'): string {
  const iso = at.toISOString();
  return prefix
    .replace('!{timestamp:yyyy-MM-dd}', iso.slice(0, 10))
    .replace('!{timestamp:HH}', iso.slice(11, 13))
    .replace('!{firehose:error-output-type}', errorOutputType);
}

/** The transform function's settings, deployed by the archive stack and run by the local archive. */
export const ARCHIVE_TRANSFORM = { memoryMb: 1024, timeoutSeconds: 60, retries: 3 } as const;

/**
 * The most a record's answer (its newline-delimited JSON as a GZIP member) outgrows the record: 2.63 for zstd
 * records of custom data in control characters, which JSON writes six bytes each, measured by a test (zstd packs
 * such records far tighter than GZIP packs their JSON; deflated records outgrow at most 1.02 times). Uncompressed
 * JSON would outgrow a compressed record up to 40 times, which no buffer hint Firehose takes could hold.
 */
export const WORST_TRANSFORM_EXPANSION = 2.8;
/** How far past its buffer hint Firehose has been seen to hand a transform (1.16 MB at a 1 MB hint), with margin. */
export const FIREHOSE_BUFFER_OVERSHOOT = 1.25;
/** Firehose takes a processor buffer hint of 0.2 to 3 MB. */
const MAX_TRANSFORM_BUFFER_MB = 3;

/**
 * The processor's buffer hint, in MB to a tenth: small enough that the largest input Firehose hands over, expanded
 * at worst and base64-encoded in the answer, stays under Lambda's 6 MB response.
 */
export const TRANSFORM_BUFFER_MB = Math.min(
  MAX_TRANSFORM_BUFFER_MB,
  Math.floor(
    (10 * RESPONSE_BUDGET_BYTES) / ((4 / 3) * WORST_TRANSFORM_EXPANSION * FIREHOSE_BUFFER_OVERSHOOT) / (1024 * 1024),
  ) / 10,
);
export const TRANSFORM_BUFFER_BYTES = Math.floor(TRANSFORM_BUFFER_MB * 1024 * 1024);
