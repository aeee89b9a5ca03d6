import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { GlyphError } from '../../common/errors';
import type { Migration } from './migration';
import { LATEST_VERSION, MIGRATIONS } from './migrations';

export type DB = Database.Database;

export interface OpenOptions {
  /** For tests: migrate only up to this version. */
  targetVersion?: number;
  migrations?: readonly Migration[];
}

/** Reads `user_version` without writing anything to the file (no WAL switch, no migration). */
export function readSchemaVersion(file: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
}

/**
 * Opens (or creates) a glyphlab database: WAL, foreign keys on, migrated to the latest schema.
 * A database written by a newer glyphlab is refused before anything is written to it.
 */
export function openDatabase(file: string, opts: OpenOptions = {}): DB {
  const migrations = opts.migrations ?? MIGRATIONS;
  const latest = opts.targetVersion ?? (opts.migrations ? migrations.length : LATEST_VERSION);
  const exists = file !== ':memory:' && fs.existsSync(file);
  if (exists) {
    let version: number;
    try {
      version = readSchemaVersion(file);
    } catch (e) {
      throw new GlyphError('bad_input', `${file}: not a glyphlab database (${(e as Error).message})`);
    }
    if (version > latest) {
      throw new GlyphError(
        'unsupported',
        `${file}: written by a newer glyphlab (schema v${version}; this version knows up to v${latest}). It was left unchanged.`,
        { version, latest },
      );
    }
  } else if (file !== ':memory:') {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  }
  const db = new Database(file, nativeBindingOption());
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    migrate(db, migrations, latest);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

/**
 * better-sqlite3 is not an N-API module: under Electron (`npm start` from a checkout) it needs a
 * build for Electron's ABI, which scripts/start.mjs makes beside the Node one and names here.
 */
function nativeBindingOption(): Database.Options {
  const binding = process.env.GLYPHLAB_SQLITE_BINDING;
  return binding ? { nativeBinding: binding } : {};
}

function migrate(db: DB, migrations: readonly Migration[], target: number): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const m of migrations) {
    if (m.version <= current || m.version > target) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}

/** The schema as text (tables, indexes), for comparing a fresh database with a migrated one. */
export function dumpSchema(db: DB): string {
  const rows = db
    .prepare(`SELECT type, name, sql FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type, name`)
    .all() as { type: string; name: string; sql: string }[];
  return rows.map((r) => `${r.sql.replace(/\s+/g, ' ').trim()};`).join('\n');
}
