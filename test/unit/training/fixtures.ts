import { createHash } from 'node:crypto';
import { openDatabase } from '../../../main/core/db/open';
import { encodeGrayPng } from '../../../main/core/imaging/png';
import { Rng } from '../../../main/core/training/rng';

export type ToySplit = 'train' | 'validation' | 'test';

/** One toy glyph (white on black): 'O' a ring, 'X' a diagonal cross, 'I' a vertical bar, jittered. */
export function toyGlyph(kind: string, size: number, rng: Rng): Uint8Array {
  const img = new Uint8Array(size * size);
  const cx = size / 2 + rng.sym(size * 0.08);
  const cy = size / 2 + rng.sym(size * 0.08);
  const r = size * (0.3 + rng.sym(0.05));
  const t = size * (0.07 + rng.next() * 0.03);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = x + 0.5 - cx;
      const dy = y + 0.5 - cy;
      let on = false;
      if (kind === 'O') on = Math.abs(Math.hypot(dx, dy) - r) < t;
      else if (kind === 'X') on = (Math.abs(dx - dy) < t * 1.4 || Math.abs(dx + dy) < t * 1.4) && Math.abs(dx) < r && Math.abs(dy) < r;
      else on = Math.abs(dx) < t && Math.abs(dy) < r;
      if (on) img[y * size + x] = 255;
    }
  }
  return img;
}

/**
 * A glyphlab database with `perClass` toy samples per class and split ('OXI' by default), written
 * straight into the schema (samples + sample_images) so the training tests do not depend on import.
 */
export function makeToyDb(
  file: string,
  opts: { classes?: string; size?: number; perClass?: Partial<Record<ToySplit, number>>; seed?: number } = {},
): { ids: number[] } {
  const classes = opts.classes ?? 'OXI';
  const size = opts.size ?? 16;
  const perClass = { train: 40, validation: 10, test: 0, ...opts.perClass };
  const rng = new Rng(opts.seed ?? 7);
  const db = openDatabase(file);
  const ids: number[] = [];
  try {
    db.prepare(`INSERT INTO meta (key, value) VALUES ('classes', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(classes);
    const sample = db.prepare(
      `INSERT INTO samples (hash, width, height, label, split, source, created_at) VALUES (?, ?, ?, ?, ?, 'toy', ?)`,
    );
    const image = db.prepare(`INSERT INTO sample_images (sample_id, png, thumb) VALUES (?, ?, ?)`);
    db.transaction(() => {
      for (const split of ['train', 'validation', 'test'] as const) {
        for (let i = 0; i < perClass[split]; i++) {
          for (const c of classes) {
            const png = encodeGrayPng(toyGlyph(c, size, rng), size, size);
            const hash = createHash('sha256').update(png).update(`${split}${i}${c}`).digest('hex');
            const id = Number(sample.run(hash, size, size, c, split, Date.now()).lastInsertRowid);
            image.run(id, png, png);
            ids.push(id);
          }
        }
      }
    })();
  } finally {
    db.close();
  }
  return { ids };
}
