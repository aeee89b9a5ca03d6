import type { OcrBox, ReadingProfile } from '../../../common/contract/ocr';
import { TILE } from '../../datasets/store';
import type { LayoutResult } from '../layout';
import type { ClassifiedLines } from '../reader/read-lines';
import { allowedClasses } from '../reader/profiles';
import { glyphTile, lineStretch } from '../tiles';
import { alignLine, type LineAlignment } from './align';

/** One glyph of the page that the transcript names, with its dataset tile. */
export interface LabeledGlyph {
  char: string;
  box: OcrBox;
  /** TILE×TILE canonical tile (white on black), as the dataset stores it. */
  px: Uint8Array;
  /** The classifier already read it so (among its best three). */
  agree: boolean;
  line: number;
}

export interface UnalignedText {
  /** The transcript line it belongs to, and the characters that were not stored. */
  text: string;
  chars: string;
  reason: string;
}

export interface PageAlignment {
  glyphs: LabeledGlyph[];
  /** Parts of matched lines that were not stored. */
  unaligned: UnalignedText[];
  /** Transcript lines that fit no line of this page. */
  unmatched: string[];
  /** Class characters of matched lines that were not stored. */
  unalignedCount: number;
}

/** Longest transcript line aligned (a page line holds far fewer; the alignment's table grows with it). */
export const MAX_LINE_CHARS = 1000;

/** The transcript's lines: one per line of text (blank lines dropped). */
export function transcriptLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

/**
 * Aligns a page's transcript with its lines: each transcript line goes to the page line (not taken
 * yet) where it aligns best; the characters judged safe become labeled glyphs, the rest is reported.
 */
export function alignPage(layout: Pick<LayoutResult, 'lines' | 'lab'>, classified: ClassifiedLines, text: string, profile: ReadingProfile): PageAlignment {
  const allowed = allowedClasses(profile, classified.classes);
  const glyphs: LabeledGlyph[] = [];
  const unaligned: UnalignedText[] = [];
  const unmatched: string[] = [];
  let unalignedCount = 0;
  const taken = new Set<number>();
  for (const t of transcriptLines(text)) {
    if (t.length > MAX_LINE_CHARS) {
      const chars = [...t].filter((c) => classified.classes.includes(c.toUpperCase())).join('');
      unalignedCount += chars.length;
      unaligned.push({ text: t.slice(0, 64), chars, reason: `a transcript line longer than ${MAX_LINE_CHARS} characters is not aligned` });
      continue;
    }
    let best: { li: number; a: LineAlignment } | null = null;
    classified.lattices.forEach((lattice, li) => {
      if (taken.has(li) || lattice.atoms.length === 0) return;
      const a = alignLine({ lattice, probs: classified.probs[li]!, classes: classified.classes, allowed, text: t });
      const score = a.glyphs.length > 0 ? a.cost : a.cost + 1000;
      if (!best || score < (best.a.glyphs.length > 0 ? best.a.cost : best.a.cost + 1000)) best = { li, a };
    });
    const found = best as { li: number; a: LineAlignment } | null;
    if (!found || found.a.glyphs.length === 0) {
      unmatched.push(t);
      continue;
    }
    taken.add(found.li);
    const line = layout.lines[found.li]!;
    const lattice = classified.lattices[found.li]!;
    const stretch = lineStretch(line.glyphs, line.height);
    for (const g of found.a.glyphs) {
      const e = lattice.edges[g.edge]!;
      glyphs.push({
        char: g.char,
        box: [e.glyph.x0, e.glyph.y0, e.glyph.x1 - e.glyph.x0, e.glyph.y1 - e.glyph.y0],
        px: glyphTile(e.glyph, layout.lab, TILE, stretch),
        agree: g.agree,
        line: found.li,
      });
    }
    if (found.a.unaligned.length) {
      unalignedCount += found.a.unaligned.length;
      const reasons = [...new Set(found.a.unaligned.map((u) => u.reason))].join(', ');
      unaligned.push({ text: t, chars: found.a.unaligned.map((u) => u.char).join(''), reason: reasons });
    }
  }
  return { glyphs, unaligned, unmatched, unalignedCount };
}
