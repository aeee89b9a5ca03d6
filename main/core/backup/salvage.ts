import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { SalvageResult } from '../../common/contract/backup';
import { GlyphError } from '../../common/errors';
import { LATEST_VERSION } from '../db/migrations';
import { openDatabase, type DB } from '../db/open';
import { checkDatabaseFile } from './check';
import { backupInfo, fsyncPath, newBackupName, PARTIAL_FILE_SUFFIXES, rotateBackups, TMP_SUFFIX } from './files';

const PAGE_ROWS = 500;
/** Largest rowid jump when skipping an unreadable stretch. */
const MAX_JUMP = 2 ** 52;

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Reads every row of `table` it can, in rowid order, skipping unreadable stretches (a damaged b-tree
 * page makes SQLite fail for the rowids it covers: the reader jumps ahead, doubling the jump).
 */
function* readableRows(src: DB, table: string, cols: string[]): Generator<{ row: unknown[] } | { skipped: true }> {
  const list = cols.map(q).join(', ');
  const page = src.prepare(`SELECT rowid, ${list} FROM ${q(table)} WHERE rowid > ? ORDER BY rowid LIMIT ${PAGE_ROWS}`).raw();
  const one = src.prepare(`SELECT rowid, ${list} FROM ${q(table)} WHERE rowid > ? ORDER BY rowid LIMIT 1`).raw();
  let after = Number.MIN_SAFE_INTEGER;
  for (;;) {
    let rows: unknown[][];
    try {
      rows = page.all(after) as unknown[][];
    } catch {
      // Go one row at a time through the bad stretch.
      let jump = 1;
      let next: unknown[] | undefined;
      for (;;) {
        try {
          next = one.get(after) as unknown[] | undefined;
          break;
        } catch {
          yield { skipped: true };
          if (jump > MAX_JUMP) return;
          after += jump;
          jump *= 2;
        }
      }
      if (!next) return;
      rows = [next];
    }
    if (rows.length === 0) return;
    for (const r of rows) yield { row: r.slice(1) };
    after = Number(rows[rows.length - 1]![0]);
  }
}

function columns(db: DB, table: string): string[] {
  return (db.pragma(`table_info(${q(table)})`) as { name: string }[]).map((c) => c.name);
}

/**
 * Best-effort export of a damaged database: every readable row of every known table is copied into a
 * fresh database of the same schema; rows whose parent was lost are dropped (an image without its
 * sample, history without its edit), and so is a sample without its image. The result is written as
 * a 'salvage' backup (never rotated away), to be restored with `backup.restore`. The damaged file is
 * only read.
 */
export function salvageDatabase(dbPath: string, dir: string): SalvageResult {
  if (!fs.existsSync(dbPath)) throw new GlyphError('not_found', `${dbPath}: no database to salvage`);
  fs.mkdirSync(dir, { recursive: true });
  let src: DB;
  try {
    src = new Database(dbPath, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new GlyphError('bad_input', `${dbPath}: cannot be opened at all (${(e as Error).message})`);
  }
  const name = newBackupName(dir, 'salvage');
  const tmp = path.join(dir, name + TMP_SUFFIX);
  const rows: Record<string, number> = {};
  let skipped = 0;
  let dropped = 0;
  try {
    let version: number;
    try {
      version = src.pragma('user_version', { simple: true }) as number;
    } catch {
      version = LATEST_VERSION;
    }
    if (version < 1 || version > LATEST_VERSION) version = LATEST_VERSION;
    const dst = openDatabase(tmp, { targetVersion: version });
    try {
      dst.pragma('foreign_keys = OFF');
      const tables = (dst.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).pluck().all() as string[]);
      for (const table of tables) {
        let srcCols: string[];
        try {
          srcCols = columns(src, table);
        } catch {
          skipped++;
          continue;
        }
        const cols = columns(dst, table).filter((c) => srcCols.includes(c));
        if (cols.length === 0) continue;
        const insert = dst.prepare(`INSERT OR REPLACE INTO ${q(table)} (${cols.map(q).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
        let n = 0;
        const write = dst.transaction((batch: unknown[][]) => {
          for (const r of batch) {
            try {
              insert.run(...r);
              n++;
            } catch {
              dropped++; // a value the schema refuses (damaged bytes read back as text, ...)
            }
          }
        });
        let batch: unknown[][] = [];
        for (const item of readableRows(src, table, cols)) {
          if ('skipped' in item) {
            skipped++;
            continue;
          }
          batch.push(item.row);
          if (batch.length >= PAGE_ROWS) {
            write(batch);
            batch = [];
          }
        }
        write(batch);
        rows[table] = n;
      }
      dropped += dropOrphans(dst, rows);
    } finally {
      dst.close();
    }
    openDatabase(tmp).close(); // migrate an older database to the current schema
    const db = new Database(tmp);
    try {
      db.pragma('journal_mode = DELETE');
    } finally {
      db.close();
    }
    const check = checkDatabaseFile(tmp);
    if (!check.ok) throw new GlyphError('internal', `The salvaged copy failed its check (${check.problem})`);
    fsyncPath(tmp);
    fs.renameSync(tmp, path.join(dir, name));
    fsyncPath(dir);
  } catch (e) {
    for (const s of PARTIAL_FILE_SUFFIXES) fs.rmSync(tmp + s, { force: true });
    throw e;
  } finally {
    src.close();
  }
  rotateBackups(dir);
  const info = backupInfo(dir, name);
  if (!info) throw new GlyphError('internal', `Salvaged copy ${name} vanished after writing`);
  return { ...info, rows, skipped, dropped };
}

/** Deletes rows whose foreign keys point nowhere, and samples without an image; returns how many. */
function dropOrphans(db: DB, rows: Record<string, number>): number {
  let dropped = 0;
  for (let round = 0; round < 10; round++) {
    const bad = db.pragma('foreign_key_check') as { table: string; rowid: number | null }[];
    if (bad.length === 0) break;
    const del = db.transaction(() => {
      for (const b of bad) {
        if (b.rowid === null) continue;
        dropped += db.prepare(`DELETE FROM ${q(b.table)} WHERE rowid = ?`).run(b.rowid).changes;
        if (rows[b.table] !== undefined) rows[b.table]!--;
      }
    });
    del();
  }
  const hasImages = db.prepare(`SELECT 1 FROM sqlite_schema WHERE name = 'sample_images'`).get();
  if (hasImages) {
    const lost = db.prepare(`DELETE FROM samples WHERE id NOT IN (SELECT sample_id FROM sample_images)`).run().changes;
    if (lost > 0) {
      // Their history and predictions go with them.
      db.prepare(`DELETE FROM sample_history WHERE sample_id NOT IN (SELECT id FROM samples)`).run();
      if (db.prepare(`SELECT 1 FROM sqlite_schema WHERE name = 'predictions'`).get()) {
        db.prepare(`DELETE FROM predictions WHERE sample_id NOT IN (SELECT id FROM samples)`).run();
      }
      if (rows.samples !== undefined) rows.samples -= lost;
      dropped += lost;
    }
  }
  return dropped;
}
