import type { ReadingProfile } from '../../common/contract/ocr';
import type { LayoutResult } from './layout';
import type { MainLineResult } from './mainline';
import type { Band } from './mainline-band';
import { codesLanguageModel, defaultLanguageModel } from './reader/language';
import { classifyLines, searchLines, type ClassifiedLines } from './reader/read-lines';
import type { OcrClassifier } from './types';

/**
 * The main line chosen by reading it. The page's geometry proposes a few bands (mainline.ts); a band
 * through pictures, frames or pieces of characters reads as shapes the classifier is unsure of, the
 * plate's own characters read clearly. Each candidate is read under the profile, and the one with
 * the most clearly read characters, weighed by their height (the main line's characters are the
 * page's largest), wins.
 */

/**
 * How much a candidate reads like the main line: per character, 1 when the classifier is sure and
 * less as it is less sure (ln of its confidence, at worst -1), halved for one that does not stand
 * on both of the band's edges; the best 7 count (a plate's length), times the band's height to the
 * power 0.75 (taller text is likelier the main line, but a clear reading matters too: a band through
 * the characters and the picture they stand on is taller than theirs).
 */
export function readingScore(chars: { confidence: number; box: [number, number, number, number] }[], band: Band): number {
  const margin = 0.12 * band.height + Math.max(1, Math.round(0.04 * band.height));
  const per = chars
    .map((c) => {
      const [x, y, w, h] = c.box;
      const cx = x + w / 2;
      const standing = Math.abs(y - (band.topA + band.topB * cx)) <= margin && Math.abs(y + h - (band.botA + band.botB * cx)) <= margin;
      const q = 1 + Math.max(-2, Math.log(Math.max(c.confidence, 1e-6)));
      return standing || q < 0 ? q : 0.5 * q;
    })
    .sort((a, b) => b - a);
  return band.height ** 0.75 * per.slice(0, 7).reduce((a, b) => a + b, 0);
}

export async function chooseMainLine(
  layout: LayoutResult,
  classified: ClassifiedLines,
  candidates: MainLineResult[],
  classifier: OcrClassifier,
  profile: ReadingProfile,
): Promise<{ layout: LayoutResult; classified: ClassifiedLines }> {
  const { mainLineCandidates: _, ...plain } = layout;
  if (candidates.length < 2) return { layout: plain, classified };
  const lm = profile.language ? (profile.codes ? codesLanguageModel() : defaultLanguageModel()) : null;
  let best = { layout: plain, classified, score: -Infinity };
  for (const [i, cand] of candidates.entries()) {
    const c = i === 0 ? classified : await classifyLines([cand.line], cand.lab, classifier);
    const [line] = searchLines(c, profile, lm, { spaces: false, crops: false });
    const score = readingScore(line?.chars ?? [], cand.band);
    if (score > best.score) best = { layout: i === 0 ? plain : { ...plain, lines: [cand.line], lab: cand.lab }, classified: c, score };
  }
  return { layout: best.layout, classified: best.classified };
}
