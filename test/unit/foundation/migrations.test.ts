import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { dumpSchema, openDatabase, readSchemaVersion } from '../../../main/core/db/open';
import { LATEST_VERSION, MIGRATIONS } from '../../../main/core/db/migrations';
import { GlyphError } from '../../../main/common/errors';
import { tmpDir } from '../../helpers/tmp';

const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Rows a database at each version can hold, to prove later migrations keep them. */
const SEED: Record<number, (db: Database.Database) => void> = {
  1: (db) => {
    db.prepare(`INSERT INTO import_batches (id, source, format, started_at) VALUES (1, 'a.idx', 'idx', 1)`).run();
    const ins = db.prepare(`INSERT INTO samples (id, hash, width, height, label, split, source, batch_id, created_at) VALUES (?, ?, 28, 28, ?, 'train', 'a.idx#0', 1, 1)`);
    ins.run(1, 'h1', 'A');
    ins.run(2, 'h2', null);
    db.prepare(`INSERT INTO sample_images (sample_id, png, thumb) VALUES (1, x'00', x'00'), (2, x'01', x'01')`).run();
  },
  2: (db) => {
    db.prepare(`INSERT INTO models (id, name, dir, classes, input_size, config, backend, created_at) VALUES (1, 'm', '/m', 'AB', 28, '{}', 'wasm', 1)`).run();
    db.prepare(`INSERT INTO predictions (sample_id, model_id, label, confidence, top3) VALUES (1, 1, 'A', 0.9, '[]')`).run();
  },
  3: (db) => {
    db.prepare(`INSERT INTO reading_profiles (name, profile, updated_at) VALUES ('invoices', '{"charset":"0-9"}', 1)`).run();
    db.prepare(`INSERT INTO edits (id, kind, reason, created_at) VALUES (1, 'label', 'ocr', 1)`).run();
    db.prepare(`INSERT INTO sample_history (edit_id, sample_id, field, old_value, new_value) VALUES (1, 1, 'label', NULL, 'A')`).run();
  },
  4: (db) => {
    db.prepare(`INSERT INTO edits (id, kind, reason, created_at) VALUES (2, 'label', 'transcript', 2)`).run();
    db.prepare(`INSERT INTO sample_history (edit_id, sample_id, field, old_value, new_value) VALUES (2, 2, 'label', NULL, 'B')`).run();
    db.prepare(`INSERT INTO document_texts (source, text, updated_at) VALUES ('page.png', 'ROOM 2041', 1)`).run();
    expect(db.prepare(`SELECT count(*) FROM sample_history WHERE edit_id = 1`).pluck().get()).toBe(1);
  },
};

describe('migrations', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());
  const fresh = () => {
    const t = tmpDir();
    cleanup = t.cleanup;
    return t.dir;
  };

  it('are numbered 1..N without gaps, each with a seed for its test', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    for (const m of MIGRATIONS) expect(SEED[m.version], `seed for migration ${m.version}`).toBeTypeOf('function');
  });

  it('give a new database WAL, foreign keys and the latest user_version', () => {
    const db = openDatabase(path.join(fresh(), 'new.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(db.prepare(`SELECT value FROM meta WHERE key = 'classes'`).pluck().get()).toBe('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ');
    db.close();
  });

  for (const m of MIGRATIONS) {
    it(`${String(m.version).padStart(4, '0')}-${m.name}: migrates a database of the previous version with data to the same schema as a fresh one`, () => {
      const dir = fresh();
      const reference = openDatabase(path.join(dir, 'fresh.db'));
      const expected = dumpSchema(reference);
      reference.close();

      const file = path.join(dir, 'old.db');
      const old = openDatabase(file, { targetVersion: m.version - 1 });
      for (let v = 1; v < m.version; v++) SEED[v]!(old);
      old.close();
      expect(readSchemaVersion(file)).toBe(m.version - 1);

      const migrated = openDatabase(file);
      expect(dumpSchema(migrated)).toBe(expected);
      // Data written before the migration is still there, and this version's tables take data.
      if (m.version > 1) expect(migrated.prepare('SELECT count(*) FROM samples').pluck().get()).toBe(2);
      SEED[m.version]!(migrated);
      expect(migrated.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(migrated.pragma('foreign_key_check')).toEqual([]);
      migrated.close();
    });
  }

  it('refuses a database from a newer glyphlab and leaves the file byte-for-byte unchanged', () => {
    const file = path.join(fresh(), 'future.db');
    const db = openDatabase(file);
    db.pragma(`user_version = ${LATEST_VERSION + 5}`);
    db.pragma('journal_mode = DELETE');
    db.close();
    const before = sha(file);
    const names = fs.readdirSync(path.dirname(file)).sort();
    let err: unknown;
    try {
      openDatabase(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GlyphError);
    expect(err).toMatchObject({ type: 'unsupported', message: expect.stringContaining('newer glyphlab') });
    expect(sha(file)).toBe(before);
    expect(fs.readdirSync(path.dirname(file)).sort()).toEqual(names);
  });

  it('refuses a file that is not a database, naming it', () => {
    const file = path.join(fresh(), 'photo.db');
    fs.writeFileSync(file, 'this is not sqlite '.repeat(100));
    const before = sha(file);
    expect(() => openDatabase(file)).toThrow(/photo\.db: not a glyphlab database/);
    expect(sha(file)).toBe(before);
  });

  it('rolls back a migration that fails halfway, keeping the previous version', () => {
    const file = path.join(fresh(), 'fail.db');
    openDatabase(file, { targetVersion: 1 }).close();
    const broken = [
      ...MIGRATIONS.slice(0, 1),
      { version: 2, name: 'broken', up: (db: Database.Database) => db.exec('CREATE TABLE half (x); SELECT * FROM no_such_table;') },
    ];
    expect(() => openDatabase(file, { migrations: broken })).toThrow(/no_such_table/);
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare(`SELECT count(*) FROM sqlite_schema WHERE name = 'half'`).pluck().get()).toBe(0);
    db.close();
  });
});
