import { join } from 'node:path';
import archive from './measured-archive.json';
import consumers from './measured-consumers.json';

/**
 * What each function and the contexts store take, as `npm run bench -- consumers` measured them on the realistic
 * corpus (contexts-indexer on contexts in sessions, against one local OpenSearch node), accepted into this file by
 * `npm run sizing -- --accept`: the bill prices the functions and the store from it.
 */
export const MEASURED_CONSUMERS: typeof consumers = consumers;
export const MEASURED_CONSUMERS_FILE = join(__dirname, 'measured-consumers.json');

/** Bytes the archive stores an event (GZIP JSON lines), as `npm run bench -- archive` measured them. */
export const MEASURED_ARCHIVE: typeof archive = archive;
export const MEASURED_ARCHIVE_FILE = join(__dirname, 'measured-archive.json');
