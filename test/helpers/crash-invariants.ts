import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/** What a database must satisfy after any crash; returns the problems found (empty: all good). */
export interface CrashReport {
  problems: string[];
  samples: number;
  edits: number;
}

function all<T>(db: Database.Database, sql: string, ...params: unknown[]): T[] {
  return db.prepare(sql).all(...params) as T[];
}

/**
 * Checks a database file left by a killed process (open it read-write first, as the app would, so the
 * WAL is recovered): integrity and foreign keys, no sample without its image, every import batch's
 * counter equal to the samples it holds, every edit complete with its history rows.
 */
export function checkAfterCrash(file: string): CrashReport {
  const problems: string[] = [];
  const db = new Database(file, { fileMustExist: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') problems.push(`integrity_check: ${String(integrity)}`);
    const fk = all<{ table: string; rowid: number; parent: string }>(db, 'PRAGMA foreign_key_check');
    if (fk.length) problems.push(`foreign keys: ${fk.length} rows point nowhere (first: ${JSON.stringify(fk[0])})`);
    const noImage = db.prepare('SELECT count(*) FROM samples s LEFT JOIN sample_images i ON i.sample_id = s.id WHERE i.sample_id IS NULL').pluck().get() as number;
    if (noImage) problems.push(`${noImage} samples without their image`);
    const emptyImage = db.prepare('SELECT count(*) FROM sample_images WHERE length(png) = 0').pluck().get() as number;
    if (emptyImage) problems.push(`${emptyImage} empty images`);
    for (const b of all<{ id: number; imported: number; n: number; status: string }>(
      db,
      `SELECT b.id, b.imported, b.status, (SELECT count(*) FROM samples s WHERE s.batch_id = b.id) AS n FROM import_batches b`,
    )) {
      if (b.imported !== b.n) problems.push(`import batch ${b.id} (${b.status}) says ${b.imported} imported but holds ${b.n} samples`);
    }
    for (const e of all<{ id: number; kind: string; n: number }>(
      db,
      `SELECT e.id, e.kind, (SELECT count(*) FROM sample_history h WHERE h.edit_id = e.id) AS n FROM edits e`,
    )) {
      if (e.n === 0) problems.push(`edit ${e.id} (${e.kind}) has no history rows`);
    }
    return {
      problems,
      samples: db.prepare('SELECT count(*) FROM samples').pluck().get() as number,
      edits: db.prepare('SELECT count(*) FROM edits').pluck().get() as number,
    };
  } finally {
    db.close();
  }
}

/** Counts samples through a read-only connection (readers never block the writer in WAL mode). */
export function committedSamples(file: string): number {
  if (!fs.existsSync(file)) return 0;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT count(*) FROM samples').pluck().get() as number;
  } catch {
    return 0; // not created yet
  } finally {
    db.close();
  }
}

/** Backups in a folder that are named like backups but are not intact databases. */
export function brokenBackups(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const bad: string[] = [];
  for (const name of fs.readdirSync(dir)) {
    if (!/^glyphlab-.*\.db$/.test(name)) continue;
    try {
      const db = new Database(path.join(dir, name), { readonly: true, fileMustExist: true });
      try {
        if (db.pragma('integrity_check', { simple: true }) !== 'ok') bad.push(name);
      } finally {
        db.close();
      }
    } catch {
      bad.push(name);
    }
  }
  return bad;
}
