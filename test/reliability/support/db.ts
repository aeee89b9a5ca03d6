import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import Database from 'better-sqlite3';

/** sha256 of a file's bytes ('' when absent). */
export function hashFile(file: string): string {
  if (!fs.existsSync(file)) return '';
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Moves the WAL into the main file so that hashing the main file sees every committed change. */
export function checkpoint(db: Database.Database): void {
  db.pragma('wal_checkpoint(TRUNCATE)');
}

/**
 * Adds `n` labelled samples with their images in one import batch, straight through SQL (the schema
 * of migration 0001), so reliability tests do not depend on the importers. Images are random bytes:
 * each sample is unique and pages fill up.
 */
export function seedSamples(db: Database.Database, n: number, opts: { label?: string; imageBytes?: number } = {}): number[] {
  const now = Date.now();
  const batch = db
    .prepare(`INSERT INTO import_batches (source, format, started_at, finished_at, status) VALUES ('seed', 'test', ?, ?, 'done')`)
    .run(now, now).lastInsertRowid;
  const ins = db.prepare(
    `INSERT INTO samples (hash, width, height, label, split, source, batch_id, created_at) VALUES (?, 28, 28, ?, 'train', 'seed', ?, ?)`,
  );
  const img = db.prepare(`INSERT INTO sample_images (sample_id, png, thumb) VALUES (?, ?, x'')`);
  const upd = db.prepare(`UPDATE import_batches SET imported = imported + ? WHERE id = ?`);
  const ids: number[] = [];
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const png = randomBytes(opts.imageBytes ?? 200);
      const hash = createHash('sha256').update(png).digest('hex');
      const id = Number(ins.run(hash, opts.label ?? String.fromCharCode(65 + (i % 26)), batch, now).lastInsertRowid);
      img.run(id, png);
      ids.push(id);
    }
    upd.run(n, batch);
  })();
  return ids;
}

export function countRows(file: string, table: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  } finally {
    db.close();
  }
}

/** Overwrites `pages` whole pages in the middle of the file with random bytes (the header page stays). */
export function corruptMiddle(file: string, pages = 8, pageSize = 4096): void {
  const size = fs.statSync(file).size;
  const total = Math.floor(size / pageSize);
  if (total < pages + 4) throw new Error(`${file}: too small to corrupt (${total} pages)`);
  const start = Math.floor(total / 2) - Math.floor(pages / 2);
  const fd = fs.openSync(file, 'r+');
  try {
    fs.writeSync(fd, randomBytes(pages * pageSize), 0, pages * pageSize, start * pageSize);
  } finally {
    fs.closeSync(fd);
  }
}
