import type { DB } from '../../db/open';
import { CharLm, countNgrams } from '../reader/lm';
import { setLearnedLanguageModel, shippedLanguageModel } from '../reader/language';

/** Each character of a person's text counts like this many entries of the shipped word lists. */
export const TEXT_WEIGHT = 20;
/** For codes: the share of the kind model (letter, digit, space) mixed with the person's own n-grams. */
export const CODES_KIND_SHARE = 0.25;

/** Keeps a document's transcript or corrected text (the latest one per document) and teaches the reader's language model. */
export function rememberText(db: DB, source: string, text: string): void {
  db.prepare(
    `INSERT INTO document_texts (source, text, updated_at) VALUES (?, ?, ?) ON CONFLICT(source) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at`,
  ).run(source, text.slice(0, 100_000), Date.now());
  useLearnedTexts(db);
}

/** Every kept text, oldest first. */
export function documentTexts(db: DB): string[] {
  return db.prepare(`SELECT text FROM document_texts ORDER BY updated_at, source`).pluck().all() as string[];
}

/**
 * The reader's language model from now on: the shipped counts plus the n-grams of the person's texts
 * (names, codes, the words of their documents), weighted by TEXT_WEIGHT. Without texts, the shipped one.
 */
export function useLearnedTexts(db: DB): void {
  const shipped = shippedLanguageModel();
  const texts = documentTexts(db).map((t) => t.toUpperCase());
  if (!shipped || texts.length === 0) {
    setLearnedLanguageModel(null);
    return;
  }
  // Codes (plates, ids) learn from the person's texts alone, half and half with the letter/digit kind model.
  const own = new CharLm(shipped.order, countNgrams(texts, shipped.order), CODES_KIND_SHARE);
  setLearnedLanguageModel(shipped.merged(countNgrams(texts, shipped.order), TEXT_WEIGHT), own);
}
