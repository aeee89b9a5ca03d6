import { GlyphError } from '../../common/errors';
import type { DB } from '../db/open';
import { relabel } from '../datasets/edits';
import { sampleHash } from '../datasets/hash';
import { SampleWriter, TILE } from '../datasets/store';
import { getClasses } from '../datasets/classes';
import { resizeArea } from '../imaging/glyph';
import { decodeGrayPng } from '../imaging/png';
import { documentBatch } from './learn/store';

/** Model input sides the contract allows (training's inputSize): a crop is the tile of one of them. */
export const MIN_CROP_SIDE = 8;
export const MAX_CROP_SIDE = 128;

export interface Correction {
  crop: string;
  label: string;
  source: string;
  page: number;
  box?: [number, number, number, number];
}

/**
 * Stores a corrected OCR character as a labeled sample: the crop (the model's tile, see decodeCrop) goes in
 * through the dataset's SampleWriter in the document's import batch (format 'ocr', one per document: learn/store.ts),
 * then the label is set by an undoable edit with reason 'ocr'. A crop already in the dataset is
 * relabeled instead of duplicated.
 */
export function addCorrection(db: DB, c: Correction, opts: CropRule = {}): { sampleId: number; created: boolean; editId: number | null } {
  return db.transaction(() => addCorrectionTx(db, c, opts))();
}

export interface CropRule {
  /** The reading model's input size: the crop must be exactly this square (any side 8-128 when not given). */
  tileSize?: number;
}

/**
 * The crop's pixels, as a TILE×TILE canonical tile. Bounded: the PNG header must announce a square of the
 * model's tile size (checked before anything is inflated, and the inflate is capped to that size).
 */
export function decodeCrop(c: Pick<Correction, 'crop' | 'source'>, rule: CropRule = {}): Uint8Array {
  const max = rule.tileSize ?? MAX_CROP_SIDE;
  let img;
  try {
    img = decodeGrayPng(Buffer.from(c.crop, 'base64'), { maxPixels: max * max });
  } catch (e) {
    throw new GlyphError('bad_input', `${c.source}: the crop is not an 8-bit grayscale PNG of a character tile (${(e as Error).message})`);
  }
  const ok = img.width === img.height && (rule.tileSize ? img.width === rule.tileSize : img.width >= MIN_CROP_SIDE && img.width <= MAX_CROP_SIDE);
  if (!ok) {
    const want = rule.tileSize ? `${rule.tileSize}x${rule.tileSize}` : `a square of ${MIN_CROP_SIDE}-${MAX_CROP_SIDE} pixels`;
    throw new GlyphError('bad_input', `${c.source}: the crop is ${img.width}x${img.height}; a character tile is ${want}`);
  }
  if (img.width === TILE) return img.px;
  return Uint8Array.from(resizeArea(img.px, img.width, img.height, TILE, TILE), (v) => Math.round(v));
}

function addCorrectionTx(db: DB, c: Correction, rule: CropRule): { sampleId: number; created: boolean; editId: number | null } {
  const classes = [...getClasses(db)];
  if (!classes.includes(c.label)) {
    throw new GlyphError('validation', `Label '${c.label}' is not in the class set (${classes.join('')})`);
  }
  const px = decodeCrop(c, rule);
  const source = c.box ? `${c.source}#page=${c.page + 1}&box=${c.box.join(',')}` : c.source;
  const hash = sampleHash(px, TILE, TILE);
  const existing = db.prepare(`SELECT id FROM samples WHERE hash = ?`).pluck().get(hash) as number | undefined;
  let sampleId = existing;
  let created = false;
  if (sampleId === undefined) {
    const batchId = documentBatch(db, c.source);
    const writer = new SampleWriter(db, { batchId });
    writer.add({ px, width: TILE, height: TILE, label: null, source });
    writer.flush();
    sampleId = writer.insertedIds[0];
    if (sampleId === undefined) throw new GlyphError('internal', `${c.source}: the corrected character was not stored`);
    created = true;
  }
  const edit = relabel(db, [sampleId], c.label, 'ocr');
  return { sampleId, created, editId: edit.editId };
}
