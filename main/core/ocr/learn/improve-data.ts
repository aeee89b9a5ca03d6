import fs from 'node:fs';
import path from 'node:path';
import { GlyphError } from '../../../common/errors';
import type { DB } from '../../db/open';
import { openDatabase } from '../../db/open';
import { SampleWriter, TILE } from '../../datasets/store';
import { decodeGrayPng } from '../../imaging/png';
import type { LabeledTile } from './measure';
import type { ReplaySet } from './replay';
import { DOCUMENT_FORMAT } from './store';

/** A sample taken from a document (a correction or a transcript's glyph). */
export interface DocumentSample extends LabeledTile {
  id: number;
  /** Kept out of the fine-tune (the samples' validation and test splits): before/after is measured on them. */
  heldOut: boolean;
}

/** The labeled, live samples of the person's documents, with their tiles. */
export function documentSamples(db: DB, classes: string): DocumentSample[] {
  const rows = db
    .prepare(
      `SELECT s.id, s.label, s.split, i.png FROM samples s JOIN import_batches b ON b.id = s.batch_id JOIN sample_images i ON i.sample_id = s.id
       WHERE b.format = ? AND s.deleted_at IS NULL AND s.label IS NOT NULL ORDER BY s.id`,
    )
    .all(DOCUMENT_FORMAT) as { id: number; label: string; split: string; png: Buffer }[];
  return rows
    .filter((r) => classes.includes(r.label))
    .map((r) => {
      const img = decodeGrayPng(r.png);
      if (img.width !== TILE || img.height !== TILE) throw new GlyphError('bad_input', `sample ${r.id}: its image is not a ${TILE}x${TILE} tile`);
      return { id: r.id, label: r.label, px: img.px, heldOut: r.split !== 'train' };
    });
}

/**
 * The fine-tune's own database (a scratch file the training worker reads): the replay tiles and the
 * document samples not held out, the latter repeated `repeat` times (stored under distinct hashes) so
 * the few glyphs of the person's documents weigh against the replayed thousands.
 */
export function buildImproveDb(file: string, classes: string, replay: ReplaySet | null, docs: DocumentSample[], repeat: number): { replay: number; documents: number } {
  fs.rmSync(file, { force: true });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = openDatabase(file);
  try {
    db.prepare(`INSERT INTO meta (key, value) VALUES ('classes', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(classes);
    const batchId = Number(db.prepare(`INSERT INTO import_batches (source, format, started_at, status) VALUES ('improve', 'improve', ?, 'done')`).run(Date.now()).lastInsertRowid);
    const writer = new SampleWriter(db, { batchId, split: 'train' });
    let nReplay = 0;
    if (replay) {
      for (const t of replay.train) {
        const label = replay.classes[t.y]!;
        if (!classes.includes(label)) continue;
        writer.add({ px: t.px, width: TILE, height: TILE, label, source: 'replay' });
        nReplay++;
      }
    }
    writer.flush();
    // Repeats of one tile differ by hash only (the scratch database is never shown or imported).
    const insert = db.prepare(`INSERT INTO samples (hash, width, height, label, split, source, batch_id, created_at) VALUES (?, ?, ?, ?, 'train', ?, ?, ?)`);
    const image = db.prepare(`INSERT INTO sample_images (sample_id, png, thumb) VALUES (?, ?, ?)`);
    const png = db.prepare(`SELECT png, thumb FROM sample_images WHERE sample_id = ?`);
    let nDocs = 0;
    db.transaction(() => {
      const firstWriter = new SampleWriter(db, { batchId, split: 'train' });
      for (const d of docs) if (!d.heldOut) firstWriter.add({ px: d.px, width: TILE, height: TILE, label: d.label, source: `document#${d.id}` });
      firstWriter.flush();
      for (const id of firstWriter.insertedIds) {
        const row = db.prepare(`SELECT hash, label, source FROM samples WHERE id = ?`).get(id) as { hash: string; label: string; source: string };
        const img = png.get(id) as { png: Buffer; thumb: Buffer };
        nDocs++;
        for (let k = 1; k < repeat; k++) {
          const newId = Number(insert.run(`${row.hash}#${k}`, TILE, TILE, row.label, row.source, batchId, Date.now()).lastInsertRowid);
          image.run(newId, img.png, img.thumb);
        }
      }
    })();
    return { replay: nReplay, documents: nDocs };
  } finally {
    db.close();
  }
}
