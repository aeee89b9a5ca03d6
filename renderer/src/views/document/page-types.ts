/** A page as the Document view holds it: lines, words and glyphs with boxes (page pixels) and confidences. Plain types, no imports, so the review logic is tested in Node. */

export type Box = [number, number, number, number];

export interface DocChar {
  key: number;
  box: Box;
  char: string;
  confidence: number;
  alternatives: { char: string; confidence: number }[];
  crop?: string;
  /** Set once the person typed the right character. */
  corrected?: boolean;
  /**
   * What the line's text holds before this glyph (a space, a grid's empty cells `..`), as the reader
   * wrote it; absent (a box the person added): a space where the gap is wide.
   */
  sep?: string;
}

export interface DocWord {
  text: string;
  box: Box;
  confidence: number;
}

export interface DocLine {
  box: Box;
  text: string;
  /** The least certain word's confidence. */
  confidence: number;
  words: DocWord[];
  chars: DocChar[];
  /** What the line's text holds after its last glyph (a grid row's empty cells). */
  tail?: string;
}

export interface DocPage {
  index: number;
  width: number;
  height: number;
  skewDegrees: number;
  binarize: string;
  timings: Record<string, number>;
  /** The reading profile's name. */
  profile: string;
  /** The page's layout in the core's cache (ocr.reread, ocr.readBoxes); absent from an older core. */
  pageKey?: string;
  lines: DocLine[];
}

/** A glyph by its line and place in the line. */
export interface CharRef {
  line: number;
  char: number;
}
