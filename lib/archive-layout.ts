/** Where archived events land under the bucket: by environment, then arrival day and hour. */
export const archiveDataPrefix = (environment: string) =>
  `events/environment=${environment}/dt=!{timestamp:yyyy-MM-dd}/hour=!{timestamp:HH}/`;
export const archiveErrorPrefix = (environment: string) =>
  `errors/environment=${environment}/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/`;

/** The same prefixes with Firehose's expressions filled in, for the local archive. */
export function resolveArchivePrefix(prefix: string, at: Date, errorOutputType = 'processing-failed'): string {
  const iso = at.toISOString();
  return prefix
    .replace('!{timestamp:yyyy-MM-dd}', iso.slice(0, 10))
    .replace('!{timestamp:HH}', iso.slice(11, 13))
    .replace('!{firehose:error-output-type}', errorOutputType);
}

/** How much Firehose hands the transform at once: 1 MB keeps its JSON (about 2.5× the protobuf) under 6 MB. */
export const TRANSFORM_BUFFER_BYTES = 1024 * 1024;
