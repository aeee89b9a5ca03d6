import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportProgress } from '../../../main/common/contract/dataset';
import { openDatabase, type DB } from '../../../main/core/db/open';
import { encodeSamples, packEncoded, packPixels, unpackEncoded, unpackPixels } from '../../../main/core/datasets/encode';
import { locateEncoderWorker } from '../../../main/core/datasets/encoder';
import { runImport } from '../../../main/core/datasets/import/run';
import { PipelinedWriter } from '../../../main/core/datasets/pipeline';
import { SampleWriter } from '../../../main/core/datasets/store';
import { tmpDir } from '../../helpers/tmp';
import { tile, writeIdx } from './fixtures';

let tmp: ReturnType<typeof tmpDir>;
const dbs: DB[] = [];
beforeEach(() => {
  tmp = tmpDir();
});
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
  tmp.cleanup();
});

function freshDb(name: string): { db: DB; batchId: number } {
  const db = openDatabase(path.join(tmp.dir, `${name}.db`));
  dbs.push(db);
  const batchId = Number(db.prepare(`INSERT INTO import_batches (source, format, started_at) VALUES ('t', 'idx', 0)`).run().lastInsertRowid);
  return { db, batchId };
}

function rows(db: DB): { hash: string; label: string | null; split: string; source: string; png: Buffer }[] {
  return db
    .prepare(`SELECT s.hash, s.label, s.split, s.source, i.png FROM samples s JOIN sample_images i ON i.sample_id = s.id ORDER BY s.id`)
    .all() as { hash: string; label: string | null; split: string; source: string; png: Buffer }[];
}

const worker = locateEncoderWorker();
const noWorker = worker ? false : (console.log('worker cases skipped: dist/main/import-encode.worker.js is not built (node scripts/build.mjs main)'), true);

describe('encoding off the main thread', () => {
  it('packs and unpacks pixels and encodings without changing a byte', () => {
    const items = [tile(1), tile(2), new Uint8Array(6).fill(9)].map((px, i) => ({ px, width: i === 2 ? 3 : 28, height: i === 2 ? 2 : 28 }));
    const back = unpackPixels(packPixels(items));
    expect(back.map((b) => [b.width, b.height, Buffer.from(b.px).toString('hex')])).toEqual(items.map((b) => [b.width, b.height, Buffer.from(b.px).toString('hex')]));
    const enc = encodeSamples(items);
    const round = unpackEncoded(packEncoded(enc));
    expect(round.hashes).toEqual(enc.hashes);
    expect(round.pngs.map((p) => Buffer.from(p).toString('hex'))).toEqual(enc.pngs.map((p) => Buffer.from(p).toString('hex')));
    expect(() => packPixels([{ px: new Uint8Array(5), width: 28, height: 28 }])).toThrow(/5 bytes for 28x28/);
  });

  it.skipIf(noWorker)('stores exactly what the inline path stores, in order, with in-import duplicates counted once', async () => {
    const samples = Array.from({ length: 2500 }, (_, i) => ({ px: tile(i % 2200), width: 28, height: 28, label: 'ABC'[i % 3]!, source: `s${i}` }));
    const a = freshDb('worker');
    const piped = new PipelinedWriter(new SampleWriter(a.db, { batchId: a.batchId }), { encoder: 'worker', firstBatch: 100, maxBatch: 400 });
    try {
      for (const s of samples) {
        piped.add(s);
        await piped.ready();
      }
      await piped.flush();
      expect(piped.encoderKind).toBe('worker');
    } finally {
      await piped.close();
    }
    const b = freshDb('inline');
    const plain = new SampleWriter(b.db, { batchId: b.batchId, batchSize: 700 });
    for (const s of samples) plain.add(s);
    plain.flush();
    expect([piped.imported, piped.duplicates]).toEqual([2200, 300]);
    expect([plain.imported, plain.duplicates]).toEqual([2200, 300]);
    const ra = rows(a.db);
    const rb = rows(b.db);
    expect(ra.length).toBe(2200);
    expect(ra.map((r) => [r.hash, r.label, r.split, r.source, r.png.toString('base64')])).toEqual(rb.map((r) => [r.hash, r.label, r.split, r.source, r.png.toString('base64')]));
  });

  it.skipIf(noWorker)('progress reports only settled items (what it reports is committed), and the last event carries the summary', async () => {
    const n = 6000;
    const f = writeIdx(path.join(tmp.dir, 'in'), 'p', Array.from({ length: n }, (_, i) => tile(i)), Array.from({ length: n }, (_, i) => i % 36));
    const { db } = freshDb('progress');
    const seen: { done: number; committed: number; data: ImportProgress }[] = [];
    const job = {
      signal: new AbortController().signal,
      progress: (done: number, _t: number | null, _m?: string, data?: unknown) =>
        seen.push({ done, committed: db.prepare(`SELECT count(*) FROM samples`).pluck().get() as number, data: data as ImportProgress }),
    };
    const r = await runImport(db, { paths: [f.images], format: 'auto', transposed: false, pipeline: { encoder: 'worker', firstBatch: 250, maxBatch: 1000 } }, job);
    expect(r).toMatchObject({ imported: n, duplicates: 0, cancelled: false });
    expect(seen.length).toBeGreaterThan(3);
    for (const s of seen) expect(s.committed).toBeGreaterThanOrEqual(s.done);
    expect(seen.some((s) => s.done > 0 && s.done < n)).toBe(true);
    expect(seen.at(-1)).toMatchObject({ done: n, data: { imported: n, summary: { imported: n, duplicates: 0, errors: [], cancelled: false } } });
  });
});

describe('cancelled import', () => {
  it('keeps the committed samples and reports a partial summary (imported, duplicates, errors) in its last progress event', async () => {
    const n = 12_000;
    const dir = path.join(tmp.dir, 'c');
    // 500 already stored (duplicates), one labels file entry outside the class set (an error).
    const labels = Array.from({ length: n }, (_, i) => (i === 3 ? 200 : i % 36));
    const f = writeIdx(dir, 'c', Array.from({ length: n }, (_, i) => tile(i)), labels);
    const pre = writeIdx(path.join(tmp.dir, 'pre'), 'pre', Array.from({ length: 500 }, (_, i) => tile(i + 10)), null);
    const { db } = freshDb('cancel');
    const quiet = { signal: new AbortController().signal, progress: () => undefined };
    await runImport(db, { paths: [pre.images], format: 'auto', transposed: false }, quiet);
    const ac = new AbortController();
    const events: { done: number; data: ImportProgress }[] = [];
    const job = {
      signal: ac.signal,
      progress: (done: number, _t: number | null, _m?: string, data?: unknown) => {
        events.push({ done, data: data as ImportProgress });
        if (done >= 1000) ac.abort();
      },
    };
    const r = await runImport(db, { paths: [f.images], format: 'auto', transposed: false, pipeline: { firstBatch: 500, maxBatch: 500, encoder: 'inline' } }, job);
    expect(r.cancelled).toBe(true);
    const stored = db.prepare(`SELECT count(*) FROM samples WHERE batch_id = ?`).pluck().get(r.batchId) as number;
    expect(r.imported).toBe(stored);
    expect(r.imported + r.duplicates + 1).toBeLessThan(n);
    expect(r.duplicates).toBe(500);
    expect(r.errors).toEqual([{ file: expect.stringMatching(/c-images-idx3-ubyte#3$/), reason: expect.stringMatching(/label 200 has no class/) }]);
    expect(events.at(-1)!.data.summary).toEqual({ ...r });
    const batch = db.prepare(`SELECT status, imported, duplicates FROM import_batches WHERE id = ?`).get(r.batchId);
    expect(batch).toEqual({ status: 'cancelled', imported: r.imported, duplicates: 500 });
  });
});
