import { join } from 'node:path';
import measured from './measured-sizes.json';

/**
 * Bytes per event of the realistic corpus as the producer writes it (compressed records), in the planner's terms:
 * what the stacks size shards from. `npm run bench -- compression` measures it;
 * `npm run sizing -- --accept` takes it into this file.
 */
export const MEASURED_EVENT_BYTES: typeof measured = measured;
export const MEASURED_EVENT_BYTES_FILE = join(__dirname, 'measured-sizes.json');
