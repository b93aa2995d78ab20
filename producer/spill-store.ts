import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';

const SPILL_FILE = /^spill-\d+-\d+-\d+\.bin$/;
const TEMPORARY_FILE = /^\.spill-\d+-\d+-\d+\.bin\.tmp$/;
/** Where a damaged file goes, whole, once the records it still holds are in a new spill file. */
const QUARANTINE = 'quarantine';
// Each record is framed by its length and its event count, both 32-bit big-endian.
const HEADER_BYTES = 8;

export interface SpilledRecord {
  readonly data: Buffer;
  readonly eventCount: number;
}

/** A spill file as read back: its whole records, and what was wrong past them, if anything. */
export interface SpillFileContent {
  readonly records: SpilledRecord[];
  /** Set when the file ends inside a record: the records before it are whole and kept. */
  readonly damage?: string;
}

/**
 * Records that could not reach Kinesis in time, kept on local disk and sent first at the next start.
 * A file is written whole (temporary name, every byte checked, fsync, rename, directory fsync) so a crash or a full
 * disk never leaves a half file under a spill file's name.
 */
export class SpillStore {
  private sequence = 0;

  constructor(readonly directory: string) {}

  /** Writes the records as one file; resolves only once they are durable on disk, and throws otherwise. */
  async write(records: readonly SpilledRecord[]): Promise<string> {
    const headers = Buffer.allocUnsafe(HEADER_BYTES * records.length);
    const parts: Uint8Array[] = [];
    records.forEach((record, i) => {
      const header = headers.subarray(HEADER_BYTES * i, HEADER_BYTES * (i + 1));
      header.writeUInt32BE(record.data.length, 0);
      header.writeUInt32BE(record.eventCount, 4);
      parts.push(header, record.data);
    });
    return this.writeFile(parts);
  }

  /** Takes in a spill file another instance wrote, as it is; it is read (and quarantined if damaged) like any. */
  async adopt(content: Buffer): Promise<string> {
    return this.writeFile([content]);
  }

  async bytes(name: string): Promise<Buffer> {
    return readFile(join(this.directory, name));
  }

  private async writeFile(parts: readonly Uint8Array[]): Promise<string> {
    await mkdir(this.directory, { recursive: true });
    const name = `spill-${Date.now()}-${process.pid}-${this.sequence++}.bin`;
    const temporary = join(this.directory, `.${name}.tmp`);
    const totalBytes = parts.reduce((sum, part) => sum + part.length, 0);
    let complete = false;
    const handle = await open(temporary, 'w');
    try {
      // A full disk can end a write short without an error: only every byte written counts.
      const { bytesWritten } = await handle.writev(parts);
      if (bytesWritten !== totalBytes) {
        throw Object.assign(new Error(`spill file ${name}: wrote ${bytesWritten} of ${totalBytes} bytes`), {
          code: 'ENOSPC',
        });
      }
      await handle.sync();
      complete = true;
    } finally {
      await handle.close();
      // The records are still held in memory; a half file would only be quarantined at the next start.
      if (!complete) await unlink(temporary).catch(() => undefined);
    }
    await rename(temporary, join(this.directory, name));
    await syncDirectory(this.directory);
    return name;
  }

  /** Temporary files a crash left behind mid-write: their whole records are worth sending. */
  async temporaryFiles(): Promise<string[]> {
    return (await this.names()).filter((name) => TEMPORARY_FILE.test(name));
  }

  /**
   * Keeps a damaged file's whole records in a new spill file, then moves the file itself to the quarantine folder
   * for a person to look at; returns the new file's name, if there were records to keep.
   */
  async quarantine(name: string, salvaged: readonly SpilledRecord[]): Promise<string | undefined> {
    const kept = salvaged.length > 0 ? await this.write(salvaged) : undefined;
    await mkdir(join(this.directory, QUARANTINE), { recursive: true });
    await rename(join(this.directory, name), join(this.directory, QUARANTINE, name));
    await syncDirectory(this.directory);
    return kept;
  }

  async quarantined(): Promise<string[]> {
    try {
      return await readdir(join(this.directory, QUARANTINE));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  /** Spill files, oldest first. */
  async list(): Promise<string[]> {
    return (await this.names()).filter((name) => SPILL_FILE.test(name)).sort(bySpillOrder);
  }

  async read(name: string): Promise<SpillFileContent> {
    const content = await readFile(join(this.directory, name));
    const records: SpilledRecord[] = [];
    for (let offset = 0; offset < content.length;) {
      const length = offset + HEADER_BYTES <= content.length ? content.readUInt32BE(offset) : Infinity;
      if (offset + HEADER_BYTES + length > content.length) {
        return { records, damage: `spill file ${name} is truncated at byte ${offset} of ${content.length}` };
      }
      const eventCount = content.readUInt32BE(offset + 4);
      records.push({ data: content.subarray(offset + HEADER_BYTES, offset + HEADER_BYTES + length), eventCount });
      offset += HEADER_BYTES + length;
    }
    return { records };
  }

  async remove(name: string): Promise<void> {
    await unlink(join(this.directory, name));
  }

  private async names(): Promise<string[]> {
    try {
      return await readdir(this.directory);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }
}

/** A rename is durable only once the directory holding it is synced. */
async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function bySpillOrder(a: string, b: string): number {
  const [, timeA, , sequenceA] = a.split(/[-.]/).map(Number);
  const [, timeB, , sequenceB] = b.split(/[-.]/).map(Number);
  return timeA! - timeB! || sequenceA! - sequenceB! || a.localeCompare(b);
}
