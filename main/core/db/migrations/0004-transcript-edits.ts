import type { Migration } from '../migration';

/**
 * Edits may have the reason 'transcript' (glyphs labeled from a page's transcript). SQLite cannot change
 * a CHECK in place: `edits` and `sample_history` (which refers to it) are built anew and copied, inside
 * the migration's transaction (foreign keys stay on: the new history refers to the new edits table,
 * and the rename carries the reference over). `document_texts` keeps each document's transcript (or
 * corrected text), which the reader's language model learns from.
 */
export const migration0004: Migration = {
  version: 4,
  name: 'transcript-edits-and-texts',
  up(db) {
    db.exec(`
      CREATE TABLE edits_new (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('label', 'split', 'delete', 'restore')),
        reason TEXT NOT NULL CHECK (reason IN ('manual', 'bulk', 'ocr', 'review', 'transcript')),
        created_at INTEGER NOT NULL,
        undone_at INTEGER
      ) STRICT;
      INSERT INTO edits_new (id, kind, reason, created_at, undone_at) SELECT id, kind, reason, created_at, undone_at FROM edits;
      CREATE TABLE sample_history_new (
        id INTEGER PRIMARY KEY,
        edit_id INTEGER NOT NULL REFERENCES edits_new(id),
        sample_id INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
        field TEXT NOT NULL CHECK (field IN ('label', 'split', 'deleted')),
        old_value TEXT,
        new_value TEXT
      ) STRICT;
      INSERT INTO sample_history_new (id, edit_id, sample_id, field, old_value, new_value)
        SELECT id, edit_id, sample_id, field, old_value, new_value FROM sample_history;
      DROP TABLE sample_history;
      DROP TABLE edits;
      ALTER TABLE edits_new RENAME TO edits;
      ALTER TABLE sample_history_new RENAME TO sample_history;
      CREATE INDEX sample_history_sample ON sample_history(sample_id);
      CREATE INDEX sample_history_edit ON sample_history(edit_id);

      CREATE TABLE document_texts (
        source TEXT PRIMARY KEY,
        text TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
