import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';

const SPILL_FILE = /^spill-\d+-\d+-\d+\.bin$/;
// Each record is framed by its length and its event count, both 32-bit big-endian.
const HEADER_BYTES = 8;

export interface SpilledRecord {
  readonly data: Buffer;
  readonly eventCount: number;
}

/**
 * Records that could not reach Kinesis in time, kept on local disk and sent first at the next start.
 * A file is written whole (temporary name, fsync, rename) so a crash never leaves a half file behind.
 */
export class SpillStore {
  private sequence = 0;

  constructor(readonly directory: string) {}

  /** Writes the records as one file; resolves only once they are durable on disk. */
  async write(records: readonly SpilledRecord[]): Promise<string> {
    await mkdir(this.directory, { recursive: true });
    const name = `spill-${Date.now()}-${process.pid}-${this.sequence++}.bin`;
    const temporary = join(this.directory, `.${name}.tmp`);
    const headers = Buffer.allocUnsafe(HEADER_BYTES * records.length);
    const parts: Uint8Array[] = [];
    records.forEach((record, i) => {
      const header = headers.subarray(HEADER_BYTES * i, HEADER_BYTES * (i + 1));
      header.writeUInt32BE(record.data.length, 0);
      header.writeUInt32BE(record.eventCount, 4);
      parts.push(header, record.data);
    });
    const handle = await open(temporary, 'w');
    try {
      await handle.writev(parts);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, join(this.directory, name));
    return name;
  }

  /** Spill files, oldest first. */
  async list(): Promise<string[]> {
    try {
      return (await readdir(this.directory)).filter((name) => SPILL_FILE.test(name)).sort(bySpillOrder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  async read(name: string): Promise<SpilledRecord[]> {
    const content = await readFile(join(this.directory, name));
    const records: SpilledRecord[] = [];
    for (let offset = 0; offset < content.length;) {
      const length = offset + HEADER_BYTES <= content.length ? content.readUInt32BE(offset) : Infinity;
      if (offset + HEADER_BYTES + length > content.length) {
        throw new Error(`spill file ${name} is truncated at byte ${offset}`);
      }
      const eventCount = content.readUInt32BE(offset + 4);
      records.push({ data: content.subarray(offset + HEADER_BYTES, offset + HEADER_BYTES + length), eventCount });
      offset += HEADER_BYTES + length;
    }
    return records;
  }

  async remove(name: string): Promise<void> {
    await unlink(join(this.directory, name));
  }
}

function bySpillOrder(a: string, b: string): number {
  const [, timeA, , sequenceA] = a.split(/[-.]/).map(Number);
  const [, timeB, , sequenceB] = b.split(/[-.]/).map(Number);
  return timeA! - timeB! || sequenceA! - sequenceB! || a.localeCompare(b);
}
