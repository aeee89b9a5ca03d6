import path from 'node:path';
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '../../../../main/core/db/open';
import { addCorrection } from '../../../../main/core/ocr/correct';
import { learnFromTranscript, readPagesForLearning } from '../../../../main/core/ocr/learn/learn-document';
import { documentTexts } from '../../../../main/core/ocr/learn/texts';
import { classifierFor, ocrModelDir } from '../../../../main/core/ocr/model';
import { BUILTIN } from '../../../../main/core/ocr/reader/profiles';
import { encodeGrayPng } from '../../../../main/core/imaging/png';
import { tmpDir } from '../../../helpers/tmp';
import { pageSvg, renderPng, type RenderedPage } from '../fixtures';

let cleanup = () => {};
afterEach(() => cleanup());

async function setup(lines: string[]): Promise<{ db: DB; file: string; page: RenderedPage }> {
  const t = tmpDir();
  const db = openDatabase(path.join(t.dir, 'g.db'));
  cleanup = () => {
    db.close();
    t.cleanup();
  };
  const page = pageSvg({ lines, fontSize: 40, font: 'DejaVu Sans' });
  const file = path.join(t.dir, 'page.png');
  fs.writeFileSync(file, await renderPng(page));
  return { db, file, page };
}

async function learn(db: DB, file: string, text: string) {
  const { classifier } = await classifierFor(ocrModelDir(null));
  const pages = await readPagesForLearning(file, classifier, BUILTIN.text);
  return learnFromTranscript(db, file, pages, text, BUILTIN.text);
}

const stored = (db: DB) =>
  db.prepare(`SELECT s.id, s.label, s.batch_id AS batch, s.source FROM samples s ORDER BY s.id`).all() as { id: number; label: string; batch: number; source: string }[];

describe('learning from a transcript', () => {
  it('labels only the glyphs a partial transcript covers (a name beside its printed label), on the right line', async () => {
    const { db, file, page } = await setup(['NAME: HWK 7Q', 'DATE 2041']);
    const r = await learn(db, file, 'HWK 7Q');
    expect(r.unaligned).toBe(0);
    expect(r.glyphs.map((g) => g.char).join('')).toBe('HWK7Q');
    // Each labeled glyph is the cell of that character on the first line, not NAME's or DATE's.
    const cells = page.cells.filter((c) => c.line === 0 && c.x > page.cells.find((k) => k.char === ':')!.x);
    r.glyphs.forEach((g, i) => {
      expect(cells[i]!.char).toBe(g.char);
      expect(Math.abs(g.box[0] - cells[i]!.x)).toBeLessThan(page.fontSize * 0.5);
      expect(g.box[1]).toBeLessThan(page.cells.find((c) => c.line === 1)!.y - page.fontSize);
    });
    const rows = stored(db);
    expect(rows.map((x) => x.label).join('')).toBe('HWK7Q');
    expect(new Set(rows.map((x) => x.batch)).size).toBe(1);
    expect(db.prepare(`SELECT DISTINCT reason FROM edits`).pluck().all()).toEqual(['transcript']);
    expect(documentTexts(db)).toEqual(['HWK 7Q']);
  }, 60_000);

  it('a wrong transcript leaves its characters unaligned instead of labeling glyphs with them', async () => {
    const { db, file } = await setup(['ROOM 2041']);
    const r = await learn(db, file, 'XYLK BHPW');
    expect(r.samples).toBe(0);
    expect(r.unaligned).toBe(8);
    expect(stored(db)).toEqual([]);
    // A transcript with one line right and one that is on no line: the right one is stored, the other reported.
    const r2 = await learn(db, file, 'ROOM 2041\nZZZZ 8888');
    expect(r2.glyphs.map((g) => g.char).join('')).toBe('ROOM2041');
    expect(r2.unaligned).toBe(8);
    expect(r2.unalignedText[0]).toMatchObject({ text: 'ZZZZ 8888' });
  }, 60_000);

  it("a document's transcript and its per-glyph corrections form one import batch", async () => {
    const { db, file } = await setup(['WORK 2041']);
    await learn(db, file, 'WORK 2041');
    const crop = encodeGrayPng(new Uint8Array(28 * 28).map((_, i) => ((i % 28) > 10 && (i % 28) < 16 ? 255 : 0)), 28, 28).toString('base64');
    addCorrection(db, { crop, label: 'I', source: file, page: 0 });
    const rows = stored(db);
    expect(rows).toHaveLength(9);
    expect(new Set(rows.map((x) => x.batch)).size).toBe(1);
    expect(db.prepare(`SELECT count(*) FROM import_batches`).pluck().get()).toBe(1);
  }, 60_000);
});
