import type { Migration } from '../migration';

/** Reading profiles the person saved (charset, patterns, word list...): the profile as JSON, by name. */
export const migration0003: Migration = {
  version: 3,
  name: 'reading-profiles',
  up(db) {
    db.exec(`
      CREATE TABLE reading_profiles (
        name TEXT PRIMARY KEY,
        profile TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
