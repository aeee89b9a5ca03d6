import { performance } from 'node:perf_hooks';
import { encodeGrayPng } from '../imaging/png';
import { binarize } from './binarize';
import { connectedComponents, typicalHeight } from './components';
import { refineMainLine } from './mainline';
import { orderLines, type OrderedLine } from './order';
import { removeRulingLines } from './rulings';
import { segment, type Glyph } from './segment';
import { glyphTile, lineStretch } from './tiles';
import { deskewMask, estimateSkew } from './skew';
import { DEFAULT_SETTINGS, type CharResult, type Gray, type LineResult, type OcrClassifier, type OcrSettings, type Page, type PageResult, type StageTimings } from './types';

export interface LayoutResult {
  skewDegrees: number;
  binarize: 'otsu' | 'sauvola';
  lines: OrderedLine[];
  /** Normalized tiles (inputSize², 0..255): per glyph in reading order its own, then its pieces' if it has a split reading. */
  tiles: Uint8Array[];
  /** Per line, per glyph: the index of its tile, and of its pieces' tiles. */
  slots: { whole: number; pieces: number[] }[][];
  timings: Omit<StageTimings, 'decode' | 'classify' | 'total'>;
}

/** Everything before classification: binarize, deskew, remove rulings, components, segment, order, crop. */
export function layoutPage(gray: Gray, settings: OcrSettings, inputSize: number): LayoutResult {
  let t = performance.now();
  const lap = () => {
    const now = performance.now();
    const d = now - t;
    t = now;
    return Math.round(d * 100) / 100;
  };
  const { mask: raw, method } = binarize(gray, settings.binarize);
  const tBin = lap();
  const skew = settings.deskew ? estimateSkew(raw, settings.maxSkewDegrees) : 0;
  let mask = Math.abs(skew) >= 0.05 ? deskewMask(raw, skew) : raw;
  const tSkew = lap();
  let lab = connectedComponents(mask);
  const tComp = lap();
  if (settings.removeLines) {
    const hEst = typicalHeight(lab.components, mask.height) || 20;
    const cleaned = removeRulingLines(mask, Math.max(20, 1.6 * hEst));
    if (cleaned.removed > 0) {
      mask = cleaned.mask;
      lab = connectedComponents(mask);
    }
  }
  // Includes labelling the cleaned page again when lines were removed.
  const tLines = lap();
  const textLines = segment(lab);
  const tSeg = lap();
  let lines = orderLines(textLines);
  if (settings.mainLine) {
    lines = pickMainLine(lines);
    // The band is found on the deskewed mask: the gray page it re-thresholds is turned alike.
    const grayAligned = Math.abs(skew) >= 0.05 ? { ...deskewMask(gray, skew) } : gray;
    const refined = lines[0] ? refineMainLine(mask, lines[0], grayAligned) : null;
    if (refined) {
      lab = refined.lab;
      lines = [refined.line];
    }
  }
  const tiles: Uint8Array[] = [];
  const slots = lines.map((l) => {
    const stretch = lineStretch(l.glyphs, l.height);
    const tile = (g: Glyph) => tiles.push(glyphTile(g, lab, inputSize, stretch)) - 1;
    return l.glyphs.map((g) => ({ whole: tile(g), pieces: (g.split ?? []).map(tile) }));
  });
  const tOrder = lap();
  return {
    skewDegrees: skew,
    binarize: method,
    lines,
    tiles,
    slots,
    timings: { binarize: tBin, deskew: tSkew, lines: tLines, components: tComp, segment: tSeg, order: tOrder },
  };
}

/** The line with the tallest characters (ties: more characters); lines of one character only lose to longer ones. */
export function pickMainLine(lines: OrderedLine[]): OrderedLine[] {
  if (lines.length <= 1) return lines;
  const score = (l: OrderedLine) => l.height * (l.glyphs.length >= 2 ? 1 : 0.5) + l.glyphs.length * 1e-3;
  let best = lines[0]!;
  for (const l of lines) if (score(l) > score(best)) best = l;
  return [best];
}

/** Reads one page: layout, then one batch through the classifier, top-3 per character. */
export async function recognize(page: Page, classifier: OcrClassifier, settingsIn: Partial<OcrSettings> = {}): Promise<PageResult> {
  const settings = { ...DEFAULT_SETTINGS, ...settingsIn };
  const t0 = performance.now();
  const layout = layoutPage(page, settings, classifier.inputSize);
  const tc = performance.now();
  const size = classifier.inputSize;
  const n = layout.tiles.length;
  const batch = new Float32Array(n * size * size);
  layout.tiles.forEach((tile, i) => {
    for (let k = 0; k < tile.length; k++) batch[i * size * size + k] = tile[k]! / 255;
  });
  const cls = n ? await classifier.classify(batch, n) : null;
  const tClassify = performance.now() - tc;
  const lines: LineResult[] = [];
  const charAt = (g: Glyph, t: number): CharResult => {
    const top = cls!.top(t, 3);
    const best = top[0] ?? { label: '?', confidence: 0 };
    const c: CharResult = {
      box: boxOf(g),
      char: best.label,
      confidence: round4(best.confidence),
      alternatives: top.map((p) => ({ char: p.label, confidence: round4(p.confidence) })),
    };
    if (settings.crops) c.crop = encodeGrayPng(layout.tiles[t]!, size, size).toString('base64');
    return c;
  };
  layout.lines.forEach((l, li) => {
    const chars: CharResult[] = [];
    let text = '';
    l.glyphs.forEach((g, j) => {
      const slot = layout.slots[li]![j]!;
      const whole = charAt(g, slot.whole);
      let read = [whole];
      if (slot.pieces.length) {
        // Touching characters or one wide character: the reading the classifier is surer of wins.
        const pieces = slot.pieces.map((t, k) => charAt(g.split![k]!, t));
        const gm = Math.exp(pieces.reduce((a, c) => a + Math.log(Math.max(1e-6, c.confidence)), 0) / pieces.length);
        if (gm > whole.confidence) read = pieces;
      }
      if (settings.spaces && l.spaceBefore[j]) text += ' ';
      for (const c of read) {
        text += c.char;
        chars.push(c);
      }
    });
    lines.push({ text, box: unionBox(chars.map((c) => c.box)), chars });
  });
  const total = performance.now() - t0;
  const timings: StageTimings = { decode: 0, ...layout.timings, classify: Math.round(tClassify * 100) / 100, total: Math.round(total * 100) / 100 };
  return {
    source: page.source,
    index: page.index,
    width: page.width,
    height: page.height,
    skewDegrees: layout.skewDegrees,
    binarize: layout.binarize,
    text: lines.map((l) => l.text).join('\n'),
    lines,
    timings,
  };
}

function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

export function boxOf(g: Glyph): [number, number, number, number] {
  return [g.x0, g.y0, g.x1 - g.x0, g.y1 - g.y0];
}

function unionBox(boxes: [number, number, number, number][]): [number, number, number, number] {
  if (!boxes.length) return [0, 0, 0, 0];
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const [x, y, w, h] of boxes) {
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x + w);
    y1 = Math.max(y1, y + h);
  }
  return [x0, y0, x1 - x0, y1 - y0];
}

