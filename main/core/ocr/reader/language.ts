import fs from 'node:fs';
import zlib from 'node:zlib';
import type { ReadingProfile } from '../../../common/contract/ocr';
import { findResource } from '../../resources';
import { CharLm, type NgramCounts } from './lm';

let shipped: CharLm | null | undefined;
/** The shipped counts with the person's transcripts added (learn/texts.ts sets it); null: the shipped model alone. */
let learned: CharLm | null = null;

/** The person's texts alone, for codes (plates, ids: learn/texts.ts sets it); null: the kind model only. */
let learnedCodes: CharLm | null = null;

export function setLearnedLanguageModel(lm: CharLm | null, codesLm: CharLm | null = null): void {
  learned = lm;
  learnedCodes = codesLm;
}

/**
 * The language model the reader uses by default: the shipped counts (resources/lm/default.json.gz,
 * built by scripts/build-language-model.ts from word lists), loaded once. Null when the file is missing
 * or unreadable: the reader then reads each glyph on its own, and says so nowhere worse than that.
 */
export function defaultLanguageModel(): CharLm | null {
  if (learned) return learned;
  return shippedLanguageModel();
}

/** The shipped counts alone. */
export function shippedLanguageModel(): CharLm | null {
  if (shipped !== undefined) return shipped;
  const file = findResource('lm/default.json.gz');
  try {
    shipped = file ? CharLm.fromJson(JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString('utf8')) as NgramCounts) : null;
  } catch {
    shipped = null;
  }
  return shipped;
}

let codes: CharLm | null | undefined;

/** The shipped model weighing only runs of letters, of digits and spaces (codes, plates). */
export function codesLanguageModel(): CharLm | null {
  if (learnedCodes) return learnedCodes;
  if (codes === undefined) codes = defaultLanguageModel()?.withKindShare(1) ?? null;
  return codes;
}

/** The language model a profile reads with: none, the codes model (`codes`), or the default one. */
export function profileLanguageModel(profile: Pick<ReadingProfile, 'language' | 'codes'>): CharLm | null {
  if (!profile.language) return null;
  return profile.codes ? codesLanguageModel() : defaultLanguageModel();
}
