import type { OcrCharResult, OcrLineResult, OcrPageResult, ReadingProfile } from '../../../common/contract/ocr';
import { encodeGrayPng } from '../../imaging/png';
import { unionBox } from '../box';
import { findGridCorners, gridLayout, type GridLayout } from '../grid';
import { binarize } from '../binarize';
import type { OcrClassifier, OcrSettings, Page } from '../types';
import { allowedClasses } from './profiles';
import { uprightGrid } from './grid-orientation';
import { round4, topAllowed } from './read-lines';
import { sudokuDigits, sudokuShaped } from './sudoku';

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
  const found = gridLayout(page, corners, classifier.inputSize);
  if (!found) return null;
  const { grid, text, chars } = await readCells(found, classifier, profile, settings.crops);
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

/** Each cell's reading (one character or '.') and its characters per row, in the grid's order. */
export async function readCells(found: GridLayout, classifier: OcrClassifier, profile: ReadingProfile, crops: boolean): Promise<{ grid: GridLayout; text: string[][]; chars: OcrCharResult[][] }> {
  const size = classifier.inputSize;
  const nc = classifier.classes.length;
  const allowed = allowedClasses(profile, classifier.classes);
  const { grid, probs } = await uprightGrid(found, classifier, allowed);
  const filled = grid.cells.filter((c) => c.tile);
  const { weights: prior, kind } = kindPrior(probs, filled.length, classifier.classes, allowed);
  const rows = filled.map((_, i) => Float32Array.from({ length: nc }, (_, c) => probs[i * nc + c]! * prior[c]!));
  // A 9 × 9 grid of digits is a sudoku: its digits 1-9 are read jointly, each at most once per row, column and box.
  const digits = [...'123456789'].map((d) => classifier.classes.indexOf(d));
  const sudoku = kind === 'digits' && sudokuShaped(grid.rows, grid.cols) && digits.every((c) => c >= 0 && allowed[c]);
  const allowedHere = sudoku ? allowed.map((a, c) => a && digits.includes(c)) : allowed;
  const joint = sudoku ? sudokuDigits(filled.map((cell, i) => ({ row: cell.row, col: cell.col, probs: digits.map((c) => rows[i]![c]!) }))) : null;
  const text: string[][] = Array.from({ length: grid.rows }, () => Array(grid.cols).fill('.'));
  const chars: OcrCharResult[][] = Array.from({ length: grid.rows }, () => []);
  filled.forEach((cell, i) => {
    const ranked = topAllowed(rows[i]!, classifier.classes, allowedHere, joint ? 9 : 3);
    // The joint reading's digit first, then the cell's own best ones.
    const pick = joint ? ranked.findIndex((a) => a.char === String(joint[i])) : 0;
    const best = ranked[pick];
    if (!best) return;
    const alternatives = [best, ...ranked.filter((_, k) => k !== pick)].slice(0, 3);
    text[cell.row]![cell.col] = best.char;
    const r: OcrCharResult = { box: cell.box, char: best.char, confidence: round4(best.confidence), alternatives };
    if (crops) r.crop = encodeGrayPng(cell.tile!, size, size).toString('base64');
    chars[cell.row]!.push(r);
  });
  return { grid, text, chars };
}

/** A grid read as one kind only costs at most this much log-probability per filled cell against reading each cell freely. */
const ONE_KIND_COST = 1;

/**
 * A grid holds one kind of content as a rule (a sudoku's digits, a form's letters). Per filled cell,
 * the best digit's and the best letter's log-probability are summed over the grid: the kind that
 * explains the whole grid better is read alone when it costs little against reading every cell
 * freely (a blurred 3 that looks like a J among clear 7s and 4s is a 3), else the grid is mixed and
 * each kind is weighed by its share of the probability, squared. A weight per class of the model,
 * and the kind the grid was found to hold.
 */
export function kindPrior(probs: Float32Array, n: number, classes: string, allowed: boolean[]): { weights: number[]; kind: 'digits' | 'letters' | 'mixed' } {
  const nc = classes.length;
  const isDigit = [...classes].map((c) => c >= '0' && c <= '9');
  let lDigit = 0;
  let lLetter = 0;
  let lAny = 0;
  let digitMass = 0;
  for (let i = 0; i < n; i++) {
    let d = 0;
    let l = 0;
    for (let c = 0; c < nc; c++) {
      const p = probs[i * nc + c]!;
      if (isDigit[c]) digitMass += p;
      if (!allowed[c]) continue;
      if (isDigit[c]) d = Math.max(d, p);
      else l = Math.max(l, p);
    }
    lDigit += Math.log(d + 1e-6);
    lLetter += Math.log(l + 1e-6);
    lAny += Math.log(Math.max(d, l) + 1e-6);
  }
  const digits = lDigit >= lLetter;
  if (n > 0 && Math.max(lDigit, lLetter) >= lAny - ONE_KIND_COST * n) return { weights: isDigit.map((d) => (d === digits ? 1 : 1e-9)), kind: digits ? 'digits' : 'letters' };
  const share = n ? digitMass / n : 0.5;
  return { weights: isDigit.map((d) => (d ? share : 1 - share) ** 2 + 1e-9), kind: 'mixed' };
}
