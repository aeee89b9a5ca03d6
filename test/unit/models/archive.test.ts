import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readZip, writeZip } from '../../../main/core/models/zip';
import { tmpCore, tmpDir } from '../../helpers/tmp';

const BUNDLED = path.resolve('resources/models/default');
const FILES = ['model.json', 'metadata.json', 'model.onnx', 'weights.bin'];
const LIMITS = { maxEntries: 4, maxEntryBytes: 1000, maxTotalBytes: 1500 };
const has = (bin: string) => ['/usr/bin', '/bin', '/usr/local/bin'].some((d) => fs.existsSync(path.join(d, bin)));
const scratch = tmpDir();
afterAll(() => scratch.cleanup());

/** One entry by hand (stored or deflated), for archives other tools write and for damaged ones. */
function handZip(entries: { name: string; data: Buffer; deflate?: boolean; size?: number; crc?: number }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const packed = e.deflate ? zlib.deflateRawSync(e.data) : e.data;
    const crc = e.crc ?? zlib.crc32(e.data) >>> 0;
    const size = e.size ?? e.data.length;
    const l = Buffer.alloc(30);
    l.writeUInt32LE(0x04034b50, 0);
    l.writeUInt16LE(e.deflate ? 8 : 0, 8);
    l.writeUInt32LE(crc, 14);
    l.writeUInt32LE(packed.length, 18);
    l.writeUInt32LE(size, 22);
    l.writeUInt16LE(name.length, 26);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(e.deflate ? 8 : 0, 10);
    c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(packed.length, 20);
    c.writeUInt32LE(size, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(offset, 42);
    locals.push(l, name, packed);
    centrals.push(c, name);
    offset += 30 + name.length + packed.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

describe('zip reader and writer', () => {
  it('reads back what it writes, stored, and deflated entries other tools write', () => {
    const a = { name: 'a.txt', data: Buffer.from('hello '.repeat(50)) };
    const b = { name: 'b.bin', data: Buffer.from([0, 1, 2, 255]) };
    expect(readZip(writeZip([a, b]), 'x.zip', LIMITS)).toEqual([a, b]);
    expect(readZip(handZip([{ ...a, deflate: true }, b]), 'x.zip', LIMITS)).toEqual([a, b]);
  });

  it.skipIf(!has('unzip'))('writes archives unzip accepts', () => {
    const file = path.join(scratch.dir, 'w.zip');
    fs.writeFileSync(file, writeZip([{ name: 'model.json', data: Buffer.from('{}') }]));
    expect(execFileSync('unzip', ['-t', file], { encoding: 'utf8' })).toMatch(/No errors detected/);
  });

  it('refuses names outside the archive, too many or too large entries, bad CRCs and sizes, naming the file', () => {
    const d = Buffer.from('x');
    for (const name of ['../evil', '/abs', 'a/b/c', 'a\\b', 'C:x', 'a/../b']) {
      expect(() => readZip(handZip([{ name, data: d }]), 'up.zip', LIMITS)).toThrow(/up\.zip: entry name not allowed/);
    }
    expect(readZip(handZip([{ name: 'top/model.json', data: d }]), 'up.zip', LIMITS)[0]!.name).toBe('model.json');
    expect(() => readZip(handZip(Array.from({ length: 5 }, (_, i) => ({ name: `f${i}`, data: d }))), 'up.zip', LIMITS)).toThrow(/5 entries \(at most 4\)/);
    // A declared size over the bound is refused before inflating (a zip bomb says it is small or is refused).
    expect(() => readZip(handZip([{ name: 'big', data: Buffer.alloc(2000), deflate: true }]), 'up.zip', LIMITS)).toThrow(/big: 2000 bytes \(at most 1000\)/);
    expect(() => readZip(handZip([{ name: 'lie', data: Buffer.alloc(900), deflate: true, size: 10 }]), 'up.zip', LIMITS)).toThrow(/lie: cannot inflate|lie: \d+ bytes where/);
    expect(() => readZip(handZip([{ name: 'a', data: Buffer.alloc(800) }, { name: 'b', data: Buffer.alloc(800) }]), 'up.zip', LIMITS)).toThrow(/more than 1500 bytes/);
    expect(() => readZip(handZip([{ name: 'crc', data: d, crc: 1 }]), 'up.zip', LIMITS)).toThrow(/crc: CRC-32 mismatch/);
    expect(() => readZip(handZip([{ name: 'twice', data: d }, { name: 'twice', data: d }]), 'up.zip', LIMITS)).toThrow(/twice appears twice/);
    expect(() => readZip(Buffer.from('not a zip at all, just some text'), 'up.zip', LIMITS)).toThrow(/up\.zip: not a zip archive/);
    const cut = writeZip([{ name: 'a', data: Buffer.alloc(100) }]);
    expect(() => readZip(Buffer.concat([cut.subarray(0, 50), cut.subarray(cut.length - 68)]), 'up.zip', LIMITS)).toThrow(/up\.zip: /);
  });
});

describe('model archive', () => {
  it.skipIf(!fs.existsSync(path.join(BUNDLED, 'model.onnx')))('moves a model between two data folders as one file, byte for byte', async () => {
    const a = tmpCore();
    const b = tmpCore();
    try {
      const src = await a.call('models.import', { dir: BUNDLED, name: 'moved' });
      const archive = await a.call('models.exportArchive', { id: src.id });
      expect(archive.name).toBe('moved.glyphlab-model.zip');
      const names = readZip(Buffer.from(archive.data, 'base64'), archive.name, { maxEntries: 16, maxEntryBytes: 1e9, maxTotalBytes: 1e9 }).map((e) => e.name);
      expect(names.sort()).toEqual([...FILES].sort());
      const got = await b.call('models.importArchive', { file: archive.name, data: archive.data });
      expect(got.name).toBe('moved');
      expect(got.classes).toBe(src.classes);
      for (const f of FILES.filter((f) => f !== 'metadata.json')) {
        expect(fs.readFileSync(path.join(got.dir, f)).equals(fs.readFileSync(path.join(BUNDLED, f)))).toBe(true);
      }
      const meta = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'metadata.json'), 'utf8')) as Record<string, unknown>;
      expect({ ...meta(got.dir), name: null }).toEqual({ ...meta(BUNDLED), name: null });
    } finally {
      await a.close();
      await b.close();
    }
  });

  it.skipIf(!has('zip'))('imports a folder zipped by zip(1) (deflated, one folder inside); refuses other files and a missing model.json', async () => {
    const c = tmpCore();
    try {
      const work = path.join(scratch.dir, 'zipped');
      fs.cpSync(BUNDLED, path.join(work, 'default'), { recursive: true });
      execFileSync('zip', ['-qr', 'm.zip', 'default'], { cwd: work });
      const data = fs.readFileSync(path.join(work, 'm.zip')).toString('base64');
      const m = await c.call('models.importArchive', { file: 'm.zip', data, name: 'from zip' });
      expect(m.name).toBe('from zip');
      const evil = writeZip([{ name: 'model.json', data: Buffer.from('{}') }, { name: 'metadata.json', data: Buffer.from('{}') }, { name: 'run.sh', data: Buffer.from('x') }]);
      await expect(c.call('models.importArchive', { file: 'evil.zip', data: evil.toString('base64') })).rejects.toThrow(/evil\.zip: run\.sh is not a model file/);
      const half = writeZip([{ name: 'metadata.json', data: Buffer.from('{}') }]);
      await expect(c.call('models.importArchive', { file: 'half.zip', data: half.toString('base64') })).rejects.toThrow(/half\.zip: not a glyphlab model archive \(model\.json is missing\)/);
      const badMeta = writeZip([{ name: 'model.json', data: Buffer.from('{}') }, { name: 'metadata.json', data: Buffer.from('{"classes":"A"}') }]);
      await expect(c.call('models.importArchive', { file: 'meta.zip', data: badMeta.toString('base64') })).rejects.toThrow(/meta\.zip/);
      expect((await c.call('models.list', {})).models.length).toBe(1);
      expect(fs.readdirSync(path.join(c.dir, 'tmp')).length).toBe(0);
    } finally {
      await c.close();
    }
  });
});
