import type { ReadingProfile } from '../../common/contract/ocr';
import type { LayoutResult } from './layout';
import type { MainLineResult } from './mainline';
import type { Band } from './mainline-band';
import { profileLanguageModel } from './reader/language';
import { classifyLines, searchLines, type ClassifiedLines } from './reader/read-lines';
import { orderLines, type OrderedLine } from './order';
import { median, type Glyph } from './segment';
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

type Read = { confidence: number; box: [number, number, number, number] };

/**
 * Characters of a reading that are pictures beside or inside the number. At either end (a
 * wheelchair sign, a torch, a bird): the classifier is unsure of it (under 0.35) and it is far
 * wider than the line's characters or set apart by a gap far wider than the line's (a narrow one
 * alone may be a 1 the classifier took for an I). Inside the number (a lighthouse, a palm, a tree
 * between its halves): the classifier is not sure (under 0.8) and it is far wider than the
 * characters or set apart on both sides. Their indices.
 */
export function pictureChars(chars: Read[]): number[] {
  if (chars.length < 4) return [];
  const widths = chars.map((c) => c.box[2]);
  const medW = median(widths);
  const gaps = chars.slice(1).map((c, i) => c.box[0] - (chars[i]!.box[0] + chars[i]!.box[2]));
  const medGap = Math.max(median(gaps), 0.1 * medW, 1);
  const wide = (i: number) => widths[i]! > (i === 0 || i === chars.length - 1 ? 1.5 : 1.45) * medW;
  const apart = (gap: number) => gap > 2.5 * medGap;
  const out: number[] = [];
  chars.forEach((c, i) => {
    const end = i === 0 || i === chars.length - 1;
    if (end && c.confidence < 0.35 && (wide(i) || apart(i === 0 ? gaps[0]! : gaps[i - 1]!))) out.push(i);
    if (!end && c.confidence < 0.8 && (wide(i) || (apart(gaps[i - 1]!) && apart(gaps[i]!)))) out.push(i);
  });
  return out;
}

/** The line without the glyphs whose centres lie in the given boxes, its spaces found again. */
function without(line: OrderedLine, boxes: Read['box'][]): OrderedLine | null {
  const inside = (g: Glyph) => boxes.some(([x, , w]) => (g.x0 + g.x1) / 2 >= x && (g.x0 + g.x1) / 2 < x + w);
  const glyphs = line.glyphs.filter((g) => !inside(g));
  if (!glyphs.length || glyphs.length === line.glyphs.length) return null;
  return orderLines([{ glyphs, height: median(glyphs.map((g) => g.y1 - g.y0)) }])[0] ?? null;
}

/**
 * Per candidate: whether it may be the main line. Print less than 0.4 as tall as the tallest band
 * with three or more characters standing on its edges is not (a state's motto read more surely
 * than a number that holds an emblem).
 */
export function tallEnough(candidates: Pick<MainLineResult, 'band' | 'score'>[]): boolean[] {
  const tallest = Math.max(0, ...candidates.filter((c) => c.score >= 3 * c.band.height).map((c) => c.band.height));
  return candidates.map((c) => c.band.height >= 0.4 * tallest);
}

export async function chooseMainLine(
  layout: LayoutResult,
  classified: ClassifiedLines,
  candidates: MainLineResult[],
  classifier: OcrClassifier,
  profile: ReadingProfile,
): Promise<{ layout: LayoutResult; classified: ClassifiedLines }> {
  const { mainLineCandidates: _, ...plain } = layout;
  const lm = profileLanguageModel(profile);
  if (candidates.length < 2) return dropPictures(plain, classified, classifier, profile, lm);
  let best = { layout: plain, classified, score: -Infinity };
  const tall = tallEnough(candidates);
  for (const [i, cand] of candidates.entries()) {
    if (!tall[i]) continue;
    const c = i === 0 ? classified : await classifyLines([cand.line], cand.lab, classifier);
    const [line] = searchLines(c, profile, lm, { spaces: false, crops: false });
    const score = readingScore(line?.chars ?? [], cand.band);
    if (score > best.score) best = { layout: i === 0 ? plain : { ...plain, lines: [cand.line], lab: cand.lab }, classified: c, score };
  }
  return dropPictures(best.layout, best.classified, classifier, profile, lm);
}

/** The chosen reading without pictures (`pictureChars`), read again when there were some. */
async function dropPictures(
  layout: LayoutResult,
  classified: ClassifiedLines,
  classifier: OcrClassifier,
  profile: ReadingProfile,
  lm: ReturnType<typeof profileLanguageModel>,
): Promise<{ layout: LayoutResult; classified: ClassifiedLines }> {
  const line = layout.lines[0];
  const [read] = searchLines(classified, profile, lm, { spaces: false, crops: false });
  if (!line || !read) return { layout, classified };
  const ends = pictureChars(read.chars);
  const kept = ends.length ? without(line, ends.map((i) => read.chars[i]!.box)) : null;
  if (!kept) return { layout, classified };
  return { layout: { ...layout, lines: [kept] }, classified: await classifyLines([kept], layout.lab, classifier) };
}
