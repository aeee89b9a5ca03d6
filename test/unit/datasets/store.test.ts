import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '../../../main/core/db/open';
import { sampleHash, splitFromHash } from '../../../main/core/datasets/hash';
import { SampleWriter } from '../../../main/core/datasets/store';
import { tmpDir } from '../../helpers/tmp';
import { tile } from './fixtures';

let tmp: ReturnType<typeof tmpDir>;
let db: DB;
let batchId: number;
beforeEach(() => {
  tmp = tmpDir();
  db = openDatabase(`${tmp.dir}/s.db`);
  batchId = Number(db.prepare(`INSERT INTO import_batches (source, format, started_at) VALUES ('t', 'idx', 0)`).run().lastInsertRowid);
});
afterEach(() => {
  db.close();
  tmp.cleanup();
});

const count = (sql: string) => db.prepare(sql).pluck().get() as number;

describe('SampleWriter', () => {
  it('commits in batches; a failure inside a batch rolls back that batch only (no sample without its image)', () => {
    const w = new SampleWriter(db, { batchId, batchSize: 3 });
    for (let i = 0; i < 3; i++) w.add({ px: tile(i), width: 28, height: 28, label: 'A', source: `s${i}` }); // flushed
    w.add({ px: tile(10), width: 28, height: 28, label: 'A', source: 'ok' });
    w.add({ px: tile(11), width: 28, height: 28, label: 'A', source: 'ok2' });
    expect(() => w.add({ px: new Uint8Array(10), width: 28, height: 28, label: 'A', source: 'broken' })).toThrow();
    expect(count(`SELECT count(*) FROM samples`)).toBe(3);
    expect(count(`SELECT count(*) FROM sample_images`)).toBe(3);
    expect(count(`SELECT imported FROM import_batches WHERE id = ${batchId}`)).toBe(3);
  });

  it('stores an image once: the same pixels are a duplicate whatever the label or source', () => {
    const w = new SampleWriter(db, { batchId });
    w.add({ px: tile(1), width: 28, height: 28, label: 'A', source: 'a' });
    w.add({ px: tile(1), width: 28, height: 28, label: 'B', source: 'b' });
    w.add({ px: tile(2), width: 28, height: 28, label: null, source: 'c' });
    w.flush();
    expect([w.imported, w.duplicates]).toEqual([2, 1]);
    expect(count(`SELECT count(*) FROM samples`)).toBe(2);
  });
});

describe('hash and split', () => {
  it('hashes pixels and size; splits about 80/10/10, deterministically', () => {
    expect(sampleHash(tile(1), 28, 28)).toBe(sampleHash(tile(1), 28, 28));
    expect(sampleHash(new Uint8Array(28 * 28), 28, 28)).not.toBe(sampleHash(new Uint8Array(28 * 28), 14, 56));
    const counts = { train: 0, validation: 0, test: 0 };
    for (let i = 0; i < 5000; i++) counts[splitFromHash(sampleHash(tile(i), 28, 28))]++;
    expect(counts.train / 5000).toBeGreaterThan(0.77);
    expect(counts.train / 5000).toBeLessThan(0.83);
    expect(counts.validation / 5000).toBeGreaterThan(0.08);
    expect(counts.test / 5000).toBeGreaterThan(0.08);
  });
});
