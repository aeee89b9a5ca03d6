import type { EditReason } from '../../../common/contract/dataset';
import type { DB } from '../../db/open';
import { relabelEach } from '../../datasets/edits';
import { sampleHash } from '../../datasets/hash';
import { SampleWriter, TILE } from '../../datasets/store';

/** Import batches of documents (corrections and transcripts) have this format. */
export const DOCUMENT_FORMAT = 'ocr';

/**
 * The import batch of a document: every sample taken from one document (glyphs labeled by its
 * transcript, characters corrected by hand) goes into one batch, found by the document's source.
 */
export function documentBatch(db: DB, source: string): number {
  const found = db.prepare(`SELECT id FROM import_batches WHERE source = ? AND format = ? ORDER BY id DESC LIMIT 1`).pluck().get(source, DOCUMENT_FORMAT) as number | undefined;
  if (found !== undefined) {
    db.prepare(`UPDATE import_batches SET finished_at = ? WHERE id = ?`).run(Date.now(), found);
    return found;
  }
  const now = Date.now();
  return Number(
    db.prepare(`INSERT INTO import_batches (source, format, started_at, finished_at, status) VALUES (?, ?, ?, ?, 'done')`).run(source, DOCUMENT_FORMAT, now, now).lastInsertRowid,
  );
}

export interface GlyphToStore {
  px: Uint8Array;
  label: string;
  /** Where it came from, e.g. `file#page=1&box=x,y,w,h`. */
  source: string;
}

/**
 * Stores labeled glyphs of one document: new tiles go into the document's batch, tiles already in the
 * dataset are relabeled; every label is set by one undoable edit with `reason`. One transaction.
 */
export function storeDocumentGlyphs(db: DB, document: string, glyphs: GlyphToStore[], reason: EditReason): { sampleIds: number[]; glyphIds: number[]; created: number; batchId: number; editId: number | null } {
  return db.transaction(() => {
    const batchId = documentBatch(db, document);
    const writer = new SampleWriter(db, { batchId });
    for (const g of glyphs) writer.add({ px: g.px, width: TILE, height: TILE, label: null, source: g.source });
    writer.flush();
    const byHash = db.prepare(`SELECT id FROM samples WHERE hash = ?`).pluck();
    const labels = new Map<number, string>();
    const glyphIds = glyphs.map((g) => {
      const id = (byHash.get(sampleHash(g.px, TILE, TILE)) as number | undefined) ?? 0;
      if (id) labels.set(id, g.label);
      return id;
    });
    const edit = labels.size ? relabelEach(db, labels, reason) : { editId: null };
    return { sampleIds: [...labels.keys()], glyphIds, created: writer.insertedIds.length, batchId, editId: edit.editId };
  })();
}
