import type { Migration } from '../migration';

/** The dataset: samples with their canonical image, import batches, and an undoable edit history. */
export const migration0001: Migration = {
  version: 1,
  name: 'dataset',
  up(db) {
    db.exec(`
      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE import_batches (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        format TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        finished_at INTEGER,
        status TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed', 'cancelled')),
        imported INTEGER NOT NULL DEFAULT 0,
        duplicates INTEGER NOT NULL DEFAULT 0,
        errors TEXT NOT NULL DEFAULT '[]'
      ) STRICT;

      CREATE TABLE samples (
        id INTEGER PRIMARY KEY,
        hash TEXT NOT NULL UNIQUE,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        label TEXT,
        split TEXT NOT NULL CHECK (split IN ('train', 'validation', 'test')),
        source TEXT NOT NULL,
        batch_id INTEGER REFERENCES import_batches(id),
        created_at INTEGER NOT NULL,
        deleted_at INTEGER
      ) STRICT;
      -- Live samples (the grid's default): partial indexes keep deep windows (offset 150,000) index-only.
      CREATE INDEX samples_live ON samples(id) WHERE deleted_at IS NULL;
      CREATE INDEX samples_live_label ON samples(label, id) WHERE deleted_at IS NULL;
      CREATE INDEX samples_split ON samples(split, label);
      CREATE INDEX samples_batch ON samples(batch_id);

      CREATE TABLE sample_images (
        sample_id INTEGER PRIMARY KEY REFERENCES samples(id) ON DELETE CASCADE,
        png BLOB NOT NULL,
        thumb BLOB NOT NULL
      ) STRICT;

      CREATE TABLE edits (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('label', 'split', 'delete', 'restore')),
        reason TEXT NOT NULL CHECK (reason IN ('manual', 'bulk', 'ocr', 'review')),
        created_at INTEGER NOT NULL,
        undone_at INTEGER
      ) STRICT;

      CREATE TABLE sample_history (
        id INTEGER PRIMARY KEY,
        edit_id INTEGER NOT NULL REFERENCES edits(id),
        sample_id INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
        field TEXT NOT NULL CHECK (field IN ('label', 'split', 'deleted')),
        old_value TEXT,
        new_value TEXT
      ) STRICT;
      CREATE INDEX sample_history_sample ON sample_history(sample_id);
      CREATE INDEX sample_history_edit ON sample_history(edit_id);
    `);
    db.prepare(`INSERT INTO meta (key, value) VALUES ('classes', '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ')`).run();
  },
};
