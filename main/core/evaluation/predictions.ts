import type { DB } from '../db/open';
import type { SamplePrediction } from './evaluate';

/**
 * Stores per-sample predictions of a model (label, confidence, top-3 as JSON `[{label, confidence}]`)
 * in the `predictions` table, replacing older ones of the same model; one transaction per call.
 * Samples without an id (read from files) are ignored.
 */
export function storePredictions(db: DB, modelId: number, classes: string, batch: SamplePrediction[]): number {
  const labels = [...classes];
  const stmt = db.prepare(
    `INSERT INTO predictions (sample_id, model_id, label, confidence, top3) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(sample_id, model_id) DO UPDATE SET label = excluded.label, confidence = excluded.confidence, top3 = excluded.top3`,
  );
  let stored = 0;
  db.transaction(() => {
    for (const p of batch) {
      if (p.id === null) continue;
      const top3 = p.top3.map((t) => ({ label: t.label, confidence: Math.round(t.confidence * 1e6) / 1e6 }));
      stmt.run(p.id, modelId, labels[p.predicted]!, p.confidence, JSON.stringify(top3));
      stored++;
    }
  })();
  return stored;
}
