import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpillStore } from '../../producer/spill-store';

/** The spill file format read independently: per record a 32-bit big-endian length, an event count, the bytes. */
function framesOf(file: Buffer): { data: string; eventCount: number }[] {
  const frames: { data: string; eventCount: number }[] = [];
  for (let at = 0; at < file.length;) {
    const length = file.readUInt32BE(at);
    frames.push({ eventCount: file.readUInt32BE(at + 4), data: file.subarray(at + 8, at + 8 + length).toString() });
    at += 8 + length;
  }
  return frames;
}

const frame = (data: string, eventCount: number) => {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(Buffer.byteLength(data), 0);
  header.writeUInt32BE(eventCount, 4);
  return Buffer.concat([header, Buffer.from(data)]);
};

describe('the spill store', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'spill-store-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('writes each record framed by its length and event count, and reads back exactly what it wrote', async () => {
    // given
    const store = new SpillStore(join(directory, 'spill'));
    const records = [
      { data: Buffer.from('first record'), eventCount: 3 },
      { data: Buffer.from(''), eventCount: 0 },
      { data: Buffer.from('third'), eventCount: 70_000 },
    ];

    // when
    const name = await store.write(records);

    // then
    expect(framesOf(await readFile(join(directory, 'spill', name)))).toEqual([
      { data: 'first record', eventCount: 3 },
      { data: '', eventCount: 0 },
      { data: 'third', eventCount: 70_000 },
    ]);
    expect(await store.read(name)).toEqual({ records });
    expect(await readdir(join(directory, 'spill'))).toEqual([name]);
  });

  it('lists spill files oldest first, by time then sequence as numbers, whatever their names sort to as text', async () => {
    // given: names as other runs and processes left them
    const names = [
      'spill-1700000000000-7-10.bin',
      'spill-999999999999-9-0.bin',
      'spill-1700000000000-7-9.bin',
      'spill-1700000000000-8-9.bin',
      'spill-1700000000000-3-9.bin',
      '.spill-1700000000000-7-11.bin.tmp',
      'notes.txt',
    ];
    for (const name of names) await writeFile(join(directory, name), frame('x', 1));

    // when
    const listed = await new SpillStore(directory).list();

    // then: equal time and sequence fall back to the name, so the order is total
    expect(listed).toEqual([
      'spill-999999999999-9-0.bin',
      'spill-1700000000000-3-9.bin',
      'spill-1700000000000-7-9.bin',
      'spill-1700000000000-8-9.bin',
      'spill-1700000000000-7-10.bin',
    ]);
    expect(await new SpillStore(directory).temporaryFiles()).toEqual(['.spill-1700000000000-7-11.bin.tmp']);
  });

  it('keeps the whole records of a file cut short, and says where it ends, wherever the cut falls', async () => {
    // given: one whole record, then a cut in the next record's header, in its data, or after an empty record
    const whole = frame('whole', 2);
    const cuts = {
      'in a header': Buffer.concat([whole, frame('next', 1).subarray(0, 2)]),
      'in the data': Buffer.concat([whole, frame('next', 1).subarray(0, 10)]),
      'after an empty record': Buffer.concat([whole, frame('', 0)]),
    };
    const store = new SpillStore(directory);
    for (const [cut, bytes] of Object.entries(cuts)) await writeFile(join(directory, cut), bytes);

    // when
    const read = await Promise.all(Object.keys(cuts).map((cut) => store.read(cut)));

    // then
    const [inHeader, inData, afterEmpty] = read;
    expect(inHeader).toEqual({
      records: [{ data: Buffer.from('whole'), eventCount: 2 }],
      damage: `spill file in a header is truncated at byte 13 of 15`,
    });
    expect(inData).toEqual({
      records: [{ data: Buffer.from('whole'), eventCount: 2 }],
      damage: `spill file in the data is truncated at byte 13 of 23`,
    });
    expect(afterEmpty).toEqual({
      records: [
        { data: Buffer.from('whole'), eventCount: 2 },
        { data: Buffer.from(''), eventCount: 0 },
      ],
    });
  });

  it('quarantines a damaged file whole, keeping its salvaged records in a new file and writing none when there are none', async () => {
    // given
    const store = new SpillStore(directory);
    const salvageable = await store.adopt(Buffer.concat([frame('kept', 4), frame('lost', 1).subarray(0, 5)]));
    const hopeless = await store.adopt(frame('lost', 1).subarray(0, 5));
    expect(await store.quarantined()).toEqual([]);

    // when
    const kept = await store.quarantine(salvageable, (await store.read(salvageable)).records);
    const none = await store.quarantine(hopeless, (await store.read(hopeless)).records);

    // then
    expect(none).toBeUndefined();
    expect(await store.list()).toEqual([kept]);
    expect(await store.read(kept!)).toEqual({ records: [{ data: Buffer.from('kept'), eventCount: 4 }] });
    expect((await store.quarantined()).sort()).toEqual([salvageable, hopeless].sort());
  });

  it('has nothing to list in a folder never made, and fails on one that is not a folder', async () => {
    // given
    await writeFile(join(directory, 'a-file'), 'not a folder');

    // when / then
    expect(await new SpillStore(join(directory, 'never-made')).list()).toEqual([]);
    await expect(new SpillStore(join(directory, 'a-file')).list()).rejects.toThrow(/ENOTDIR/);
    await expect(new SpillStore(join(directory, 'a-file')).quarantined()).rejects.toThrow(/ENOTDIR/);
  });
});
