import { rename, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeRecordWithId } from '../../codec/event-codec';
import { SpilledRecord, SpillStore } from '../../producer/spill-store';
import { mixedPayload } from './sdk-payloads';
import { packPayloads } from './stream-events';

/**
 * What a crash leaves in a spill folder: five records of 40 events each, the first three in a file cut 10 bytes short
 * (inside its third record), the last two in a temporary file that was never renamed.
 */
export async function writeDamagedSpillFiles(directory: string, environmentId: string) {
  const records: SpilledRecord[] = packPayloads(
    Array.from({ length: 5 }, (_, p) => ({ environmentId, events: mixedPayload(p * 40, 40) })),
  ).map((data) => ({ data, eventCount: decodeRecordWithId(data).events.length }));
  const store = new SpillStore(directory);
  const truncated = await store.write(records.slice(0, 3));
  const truncatedBytes = (await stat(join(directory, truncated))).size - 10;
  await truncate(join(directory, truncated), truncatedBytes);
  const crashed = await store.write(records.slice(3));
  await rename(join(directory, crashed), join(directory, `.${crashed}.tmp`));
  return { records, truncated, truncatedBytes, crashed };
}
