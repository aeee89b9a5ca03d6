import type { Split } from '../../common/contract/dataset';
import type { DB } from '../db/open';
import { resizeArea } from '../imaging/glyph';
import { encodeGrayPng } from '../imaging/png';
import type { Encoded } from './encode';
import { sampleHash, splitFromHash } from './hash';

/**
 * Storage decision: canonical images live as PNG blobs in `sample_images`, in the database itself, not as
 * content-addressed files. Tiles are tiny (28×28 PNG ≈ 150-400 bytes), where SQLite reads and writes blobs
 * faster than the file system opens files; the sample row and its image are written in the same
 * transaction (a crash never leaves a sample without its image or an orphan file); and the dataset is one
 * file to back up, copy or delete.
 *
 * Every sample is stored as a TILE×TILE canonical tile (white ink on black): imported photos are normalized
 * with `normalizeGlyph`, so training, evaluation and OCR see the same kind of image.
 *
 * Thumbnails: a 28×28 tile is smaller than any thumbnail the grid shows, so its PNG is its own thumbnail;
 * `thumb` then holds an empty blob meaning "same as png" (saves ~50 MB on EMNIST). Larger images (none
 * today) get a real thumbnail of at most THUMB_MAX px. Either way the grid never decodes an image.
 */
export const TILE = 28;
export const THUMB_MAX = 64;

export interface NewSample {
  /** Canonical pixels (white on black), width×height. */
  px: Uint8Array;
  width: number;
  height: number;
  label: string | null;
  source: string;
}

/** Where importers put samples. `ready` (when there) resolves once there is room for more. */
export interface SampleSink {
  add(s: NewSample): void;
  ready?(): Promise<void>;
}

/**
 * Writes samples in transactions: each batch's sample rows and images commit together. Synchronous: `add`
 * commits every `batchSize` samples, `flush` the rest. (Imports use PipelinedWriter, which feeds `commit`.)
 */
export class SampleWriter implements SampleSink {
  imported = 0;
  duplicates = 0;
  /** Ids of the samples inserted so far. */
  readonly insertedIds: number[] = [];
  private pending: NewSample[] = [];
  private readonly insertSample;
  private readonly insertImage;
  private readonly updateBatch;
  private readonly flushTx;

  constructor(
    db: DB,
    private readonly opts: { batchId: number; split?: Split; batchSize?: number },
  ) {
    this.insertSample = db.prepare(
      `INSERT INTO samples (hash, width, height, label, split, source, batch_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(hash) DO NOTHING`,
    );
    this.insertImage = db.prepare(`INSERT INTO sample_images (sample_id, png, thumb) VALUES (?, ?, ?)`);
    this.updateBatch = db.prepare(`UPDATE import_batches SET imported = imported + ?, duplicates = duplicates + ? WHERE id = ?`);
    this.flushTx = db.transaction((items: readonly NewSample[], enc: Encoded | undefined) => {
      let imported = 0;
      let duplicates = 0;
      const now = Date.now();
      for (let i = 0; i < items.length; i++) {
        const s = items[i]!;
        const hash = enc ? enc.hashes[i]! : sampleHash(s.px, s.width, s.height);
        const split = this.opts.split ?? splitFromHash(hash);
        const info = this.insertSample.run(hash, s.width, s.height, s.label, split, s.source, this.opts.batchId, now);
        if (info.changes === 0) {
          duplicates++;
          continue;
        }
        // Inline, the PNG is encoded only for new samples: re-imports cost a hash and an index lookup each.
        const id = Number(info.lastInsertRowid);
        this.insertImage.run(id, enc ? enc.pngs[i]! : encodeGrayPng(s.px, s.width, s.height), thumbnail(s));
        this.insertedIds.push(id);
        imported++;
      }
      this.updateBatch.run(imported, duplicates, this.opts.batchId);
      return { imported, duplicates };
    });
  }

  add(s: NewSample): void {
    this.pending.push(s);
    if (this.pending.length >= (this.opts.batchSize ?? 2000)) this.flush();
  }

  /** Commits the pending samples in one transaction (sample rows and images together). */
  flush(): void {
    if (this.pending.length === 0) return;
    const items = this.pending;
    this.pending = [];
    this.commit(items);
  }

  /** Commits these samples in one transaction, with their hashes and PNGs when already encoded. */
  commit(items: readonly NewSample[], encoded?: Encoded): void {
    if (encoded && (encoded.hashes.length !== items.length || encoded.pngs.length !== items.length)) {
      throw new RangeError(`commit: ${items.length} samples but ${encoded.hashes.length} encoded`);
    }
    const r = this.flushTx(items, encoded);
    this.imported += r.imported;
    this.duplicates += r.duplicates;
  }

  get pendingCount(): number {
    return this.pending.length;
  }
}

/** "Same as png" (see above): one empty buffer for every small sample. */
const SAME_AS_PNG = Buffer.alloc(0);

function thumbnail(s: NewSample): Buffer {
  if (s.width <= THUMB_MAX && s.height <= THUMB_MAX) return SAME_AS_PNG;
  const k = THUMB_MAX / Math.max(s.width, s.height);
  const tw = Math.max(1, Math.round(s.width * k));
  const th = Math.max(1, Math.round(s.height * k));
  const f = resizeArea(s.px, s.width, s.height, tw, th);
  const px = new Uint8Array(f.length);
  for (let i = 0; i < f.length; i++) px[i] = Math.round(f[i]!);
  return encodeGrayPng(px, tw, th);
}
