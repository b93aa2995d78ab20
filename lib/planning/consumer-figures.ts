import { join } from 'node:path';
import type { EnvironmentConfig } from '../config/environment-config';
import { vcpusOf } from './fleet';
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

/** The vCPUs of the contexts domain's data nodes. */
export function contextsDomainVcpus(config: EnvironmentConfig): number {
  return config.openSearch.dataNodes * vcpusOf(config.openSearch.dataNodeInstanceType.replace(/\.search$/, ''));
}

/** The cores the contexts store spends at the declared peak with its headroom, at the measured CPU an event. */
export function contextsStoreCoresAtPeak(config: EnvironmentConfig, consumers = MEASURED_CONSUMERS): number {
  return (config.load.peakEventsPerSecond * config.load.headroom * consumers.contextsStoreCpuMsPerEvent) / 1000;
}
