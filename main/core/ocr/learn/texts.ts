import type { DB } from '../../db/open';

/** Keeps a document's transcript or corrected text (the latest one per document) for the language model. */
export function rememberText(db: DB, source: string, text: string): void {
  db.prepare(
    `INSERT INTO document_texts (source, text, updated_at) VALUES (?, ?, ?) ON CONFLICT(source) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at`,
  ).run(source, text.slice(0, 100_000), Date.now());
}

/** Every kept text, oldest first. */
export function documentTexts(db: DB): string[] {
  return db.prepare(`SELECT text FROM document_texts ORDER BY updated_at, source`).pluck().all() as string[];
}
