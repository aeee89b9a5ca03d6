import type { Glyph, TextLine } from './segment';

export interface OrderedLine {
  glyphs: Glyph[];
  height: number;
  /** Before glyph i (i ≥ 1): true when the gap is wide enough for a space. */
  spaceBefore: boolean[];
  /** The gap (pixels) above which this line's gaps are word spaces (`spaceThreshold`). */
  spaceGap: number;
}

const cy = (g: Glyph) => (g.y0 + g.y1) / 2;

/**
 * The gap above which a line's gaps are word spaces. The gaps are split in two classes where they
 * separate best (Otsu on the sorted gaps); the split counts when the wide class is clearly wider
 * (≥ 2× the narrow class's mean and ≥ `minRatio` × the character height). Otherwise a gap is a space
 * only beyond `fallbackRatio` × the character height.
 */
export function spaceThreshold(gaps: number[], height: number, minRatio = 0.3, fallbackRatio = 0.6): number {
  return splitGaps(gaps, height, minRatio) ?? fallbackRatio * height;
}

/** The word-space threshold of `spaceThreshold` when the gaps split clearly in two classes, else null. */
export function splitGaps(gaps: number[], height: number, minRatio = 0.3): number | null {
  if (gaps.length < 2) return null;
  const s = [...gaps].sort((a, b) => a - b);
  const total = s.reduce((a, b) => a + b, 0);
  let best = -1;
  let bestK = -1;
  let left = 0;
  for (let k = 1; k < s.length; k++) {
    left += s[k - 1]!;
    const m0 = left / k;
    const m1 = (total - left) / (s.length - k);
    const between = k * (s.length - k) * (m1 - m0) * (m1 - m0);
    if (between > best) {
      best = between;
      bestK = k;
    }
  }
  const narrow = s.slice(0, bestK);
  const wide = s.slice(bestK);
  const mNarrow = narrow.reduce((a, b) => a + b, 0) / narrow.length;
  const minWide = wide[0]!;
  if (minWide >= minRatio * height && minWide >= 2 * Math.max(1, mNarrow)) return (narrow[narrow.length - 1]! + minWide) / 2;
  return null;
}

/**
 * Reading order: lines top to bottom (by their glyphs' median centre), characters left to right,
 * spaces where the gap to the previous character is a word gap (`spaceThreshold`).
 */
export function orderLines(lines: TextLine[]): OrderedLine[] {
  const kept = lines.filter((l) => l.glyphs.length > 0);
  const sorted = kept.map((l) => [...l.glyphs].sort((a, b) => a.x0 - b.x0 || a.y0 - b.y0));
  const gapsOf = (glyphs: Glyph[]) => glyphs.slice(1).map((g, i) => g.x0 - glyphs[i]!.x1);
  // Gaps beside a narrow glyph (a 1 or an I, often set in a cell as wide as a digit) say little about
  // the font's spacing: the threshold is found without them when enough others remain.
  const telling = (glyphs: Glyph[], h: number) => {
    const narrow = (g: Glyph) => g.x1 - g.x0 < 0.42 * h;
    const all = gapsOf(glyphs);
    const some = all.filter((_, i) => !narrow(glyphs[i]!) && !narrow(glyphs[i + 1]!));
    return some.length >= Math.max(2, all.length / 2) ? some : all;
  };
  const own = sorted.map((glyphs, i) => splitGaps(telling(glyphs, kept[i]!.height), kept[i]!.height));
  // A line whose gaps do not split clearly (few words, uneven letter spacing) takes the threshold of
  // the page's other lines, over its height (one page, one or a few fonts); else the height rule.
  const ratios = own.flatMap((t, i) => (t === null ? [] : [t / Math.max(1, kept[i]!.height)])).sort((a, b) => a - b);
  const pageRatio = ratios.length ? ratios[Math.floor(ratios.length / 2)]! : null;
  const out = kept.map((l, li) => {
      const glyphs = sorted[li]!;
      const gaps = gapsOf(glyphs);
      const t = own[li] ?? (pageRatio !== null ? pageRatio * l.height : spaceThreshold(gaps, l.height));
      const spaceBefore = glyphs.map((_, i) => i > 0 && gaps[i - 1]! > t);
      const centres = glyphs.map(cy).sort((a, b) => a - b);
      return { glyphs, height: l.height, spaceBefore, spaceGap: t, y: centres[Math.floor(centres.length / 2)]! };
    });
  out.sort((a, b) => a.y - b.y);
  return out.map(({ glyphs, height, spaceBefore, spaceGap }) => ({ glyphs, height, spaceBefore, spaceGap }));
}
