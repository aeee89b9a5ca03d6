import { GlyphError } from '../../common/errors';
import type { DB } from '../db/open';
import { relabel } from '../datasets/edits';
import { sampleHash } from '../datasets/hash';
import { SampleWriter } from '../datasets/store';
import { getClasses } from '../datasets/classes';
import { decodeGrayPng } from '../imaging/png';

export interface Correction {
  crop: string;
  label: string;
  source: string;
  page: number;
  box?: [number, number, number, number];
}

/**
 * Stores a corrected OCR character as a labeled sample: the crop (already the canonical tile) goes in
 * through the dataset's SampleWriter in an import batch of format 'ocr' whose source is the document,
 * then the label is set by an undoable edit with reason 'ocr'. A crop already in the dataset is
 * relabeled instead of duplicated.
 */
export function addCorrection(db: DB, c: Correction): { sampleId: number; created: boolean; editId: number | null } {
  return db.transaction(() => addCorrectionTx(db, c))();
}

function addCorrectionTx(db: DB, c: Correction): { sampleId: number; created: boolean; editId: number | null } {
  const classes = [...getClasses(db)];
  if (!classes.includes(c.label)) {
    throw new GlyphError('validation', `Label '${c.label}' is not in the class set (${classes.join('')})`);
  }
  let img;
  try {
    img = decodeGrayPng(Buffer.from(c.crop, 'base64'));
  } catch (e) {
    throw new GlyphError('bad_input', `${c.source}: the crop is not an 8-bit grayscale PNG (${(e as Error).message})`);
  }
  const source = c.box ? `${c.source}#page=${c.page + 1}&box=${c.box.join(',')}` : c.source;
  const hash = sampleHash(img.px, img.width, img.height);
  const existing = db.prepare(`SELECT id FROM samples WHERE hash = ?`).pluck().get(hash) as number | undefined;
  let sampleId = existing;
  let created = false;
  if (sampleId === undefined) {
    const batchId = Number(
      db
        .prepare(`INSERT INTO import_batches (source, format, started_at, finished_at, status) VALUES (?, 'ocr', ?, ?, 'done')`)
        .run(c.source, Date.now(), Date.now()).lastInsertRowid,
    );
    const writer = new SampleWriter(db, { batchId });
    writer.add({ px: img.px, width: img.width, height: img.height, label: null, source });
    writer.flush();
    sampleId = writer.insertedIds[0];
    if (sampleId === undefined) throw new GlyphError('internal', `${c.source}: the corrected character was not stored`);
    created = true;
  }
  const edit = relabel(db, [sampleId], c.label, 'ocr');
  return { sampleId, created, editId: edit.editId };
}
