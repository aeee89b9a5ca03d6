import type { OcrCharResult, OcrLineResult, OcrPageResult, ReadingProfile } from '../../../common/contract/ocr';
import { encodeGrayPng } from '../../imaging/png';
import { unionBox } from '../box';
import { findGridCorners, gridLayout, type GridLayout } from '../grid';
import { binarize } from '../binarize';
import type { OcrClassifier, OcrSettings, Page } from '../types';
import { allowedClasses } from './profiles';
import { round4, topAllowed } from './read-lines';

/**
 * Reads a ruled grid cell by cell: one glyph or nothing per cell, rows top to bottom. A grid holds
 * one kind of content as a rule (a sudoku's digits, a form's letters): each cell's reading is weighed
 * by how much of the whole grid's probability falls on digits and on letters, so a 5 that looks like
 * an S among digits stays a 5. Null when the page has no grid (the caller reads it as text).
 */
export async function readGrid(page: Page, classifier: OcrClassifier, profile: ReadingProfile, settings: OcrSettings): Promise<OcrPageResult | null> {
  const t0 = performance.now();
  const { mask } = binarize(page, 'sauvola');
  const corners = findGridCorners(mask);
  if (!corners) return null;
  const grid: GridLayout | null = gridLayout(page, corners, classifier.inputSize);
  if (!grid) return null;
  const size = classifier.inputSize;
  const filled = grid.cells.filter((c) => c.tile);
  const nc = classifier.classes.length;
  const probs = filled.length ? (await classifier.classify(Float32Array.from(filled.flatMap((c) => [...c.tile!].map((v) => v / 255))), filled.length)).probs : new Float32Array(0);
  const allowed = allowedClasses(profile, classifier.classes);
  const isDigit = [...classifier.classes].map((c) => c >= '0' && c <= '9');
  // The grid's kind: the share of probability on digits over all filled cells.
  let digitMass = 0;
  for (let i = 0; i < filled.length; i++) for (let c = 0; c < nc; c++) if (isDigit[c]) digitMass += probs[i * nc + c]!;
  const digitShare = filled.length ? digitMass / filled.length : 0.5;
  // A grid clearly of one kind is read as that kind only; a mixed one leans to its majority.
  const kindWeight = (digit: boolean) => {
    const share = digit ? digitShare : 1 - digitShare;
    return share >= 0.65 ? 1 : share <= 0.35 ? 0 : share ** 2;
  };
  const prior = [...classifier.classes].map((_, c) => kindWeight(isDigit[c]!) + 1e-9);
  const text: string[][] = Array.from({ length: grid.rows }, () => Array(grid.cols).fill('.'));
  const chars: OcrCharResult[][] = Array.from({ length: grid.rows }, () => []);
  filled.forEach((cell, i) => {
    const row = Float32Array.from({ length: nc }, (_, c) => probs[i * nc + c]! * prior[c]!);
    const [best, ...rest] = topAllowed(row, classifier.classes, allowed, 3);
    if (!best) return;
    text[cell.row]![cell.col] = best.char;
    const r: OcrCharResult = { box: cell.box, char: best.char, confidence: round4(best.confidence), alternatives: [best, ...rest] };
    if (settings.crops) r.crop = encodeGrayPng(cell.tile!, size, size).toString('base64');
    chars[cell.row]!.push(r);
  });
  const lines: OcrLineResult[] = text.map((cells, ri) => {
    const rowChars = chars[ri]!;
    const conf = rowChars.length ? Math.min(...rowChars.map((c) => c.confidence)) : 1;
    const box = unionBox(grid.cells.filter((c) => c.row === ri).map((c) => c.box));
    return { text: cells.join(''), box, confidence: conf, words: [{ text: cells.join(''), box, confidence: conf }], chars: rowChars };
  });
  return {
    source: page.source,
    index: page.index,
    width: page.width,
    height: page.height,
    skewDegrees: 0,
    binarize: 'sauvola',
    profile: profile.name,
    text: lines.map((l) => l.text).join('\n'),
    lines,
    timings: { load: 0, total: Math.round((performance.now() - t0) * 100) / 100 },
  };
}
