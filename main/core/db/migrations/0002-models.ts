import type { Migration } from '../migration';

/** Trained models, training runs and per-sample predictions (for confidence and disagreement filters). */
export const migration0002: Migration = {
  version: 2,
  name: 'models',
  up(db) {
    db.exec(`
      CREATE TABLE models (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        dir TEXT NOT NULL,
        classes TEXT NOT NULL,
        input_size INTEGER NOT NULL,
        config TEXT NOT NULL,
        backend TEXT NOT NULL,
        metrics TEXT,
        dataset_snapshot TEXT,
        created_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE training_runs (
        id INTEGER PRIMARY KEY,
        model_id INTEGER REFERENCES models(id) ON DELETE SET NULL,
        status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'cancelled', 'interrupted')),
        config TEXT NOT NULL,
        backend TEXT NOT NULL,
        history TEXT NOT NULL DEFAULT '[]',
        checkpoint_dir TEXT,
        message TEXT,
        started_at INTEGER NOT NULL,
        ended_at INTEGER
      ) STRICT;

      CREATE TABLE predictions (
        sample_id INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
        model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
        label TEXT NOT NULL,
        confidence REAL NOT NULL,
        top3 TEXT NOT NULL,
        PRIMARY KEY (sample_id, model_id)
      ) STRICT;
      CREATE INDEX predictions_model_conf ON predictions(model_id, confidence);
    `);
  },
};
