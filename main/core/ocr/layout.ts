import { performance } from 'node:perf_hooks';
import { binarize } from './binarize';
import { connectedComponents, typicalHeight, type Labeling } from './components';
import { mainLineCandidates, type MainLineResult } from './mainline';
import { orderLines, type OrderedLine } from './order';
import { removeRulingLines } from './rulings';
import { segment } from './segment';
import { deskewMask, estimateSkew } from './skew';
import type { Gray, OcrSettings } from './types';

export interface LayoutResult {
  skewDegrees: number;
  binarize: 'otsu' | 'sauvola';
  lines: OrderedLine[];
  /** The labelled (deskewed, cleaned) page the lines' glyphs refer to. */
  lab: Labeling;
  timings: { binarize: number; deskew: number; lines: number; components: number; segment: number; order: number };
  /** Main line only: the candidates for it, likeliest first (the first is `lines`); the reader chooses (mainline-pick.ts). */
  mainLineCandidates?: MainLineResult[];
}

/** Everything before reading: binarize, deskew, remove rulings, components, lines, reading order; `mainLine` keeps one line. */
export function layoutPage(gray: Gray, settings: Pick<OcrSettings, 'binarize' | 'deskew' | 'maxSkewDegrees' | 'removeLines'>, mainLine: boolean): LayoutResult {
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
  let candidates: MainLineResult[] | undefined;
  if (mainLine) {
    // The band is found on the deskewed mask: the gray page it re-thresholds is turned alike.
    const grayAligned = Math.abs(skew) >= 0.05 ? { ...deskewMask(gray, skew) } : gray;
    candidates = mainLineCandidates(mask, lab, lines, grayAligned);
    if (candidates[0]) {
      lab = candidates[0].lab;
      lines = [candidates[0].line];
    } else lines = pickMainLine(lines);
  }
  const tOrder = lap();
  return {
    skewDegrees: skew,
    binarize: method,
    lines,
    lab,
    timings: { binarize: tBin, deskew: tSkew, lines: tLines, components: tComp, segment: tSeg, order: tOrder },
    ...(candidates ? { mainLineCandidates: candidates } : {}),
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
