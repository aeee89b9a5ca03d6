/**
 * Edits of a page as the person makes them: correct, delete, merge, split, add a box; the new boxes
 * filled in when the core has read them; corrections kept over a new reading. Each edit works the
 * line's text, words and confidences out again. Plain TypeScript, tested in Node.
 */
import type { Box, CharRef, DocChar, DocLine, DocPage } from './page-types';
import { lineConfidence, lineText, unionBox, wordsOf } from './review';

let nextKey = 1;

/** A key no glyph has had in this session. */
export function newKey(): number {
  return nextKey++;
}

/** After an edit: reading order, text, words and confidences from the line's characters. */
function refreshLine(line: DocLine): void {
  line.chars.sort((a, b) => a.box[0] - b.box[0]);
  line.words = wordsOf(line.chars);
  line.text = lineText(line.chars, line.tail);
  line.confidence = lineConfidence(line.words);
  if (line.chars.length) line.box = line.chars.map((c) => c.box).reduce(unionBox);
}

export function setChar(page: DocPage, ref: CharRef, char: string): void {
  const line = page.lines[ref.line];
  const c = line?.chars[ref.char];
  if (!line || !c) return;
  c.char = char;
  c.corrected = true;
  c.confidence = 1;
  refreshLine(line);
}

export function deleteChar(page: DocPage, ref: CharRef): void {
  const line = page.lines[ref.line];
  if (!line) return;
  const [gone] = line.chars.splice(ref.char, 1);
  if (line.chars.length === 0) return void page.lines.splice(ref.line, 1);
  // The text around it stays: a word break before it moves to the next glyph; a grid's cell stays, empty.
  const around = line.chars.map((c) => c.sep ?? '').join('') + (gone?.sep ?? '') + (line.tail ?? '');
  const grid = around.includes('.') && !/\s/.test(around);
  const carried = (gone?.sep ?? '') + (grid ? '.' : '');
  const next = line.chars[ref.char];
  if (next && next.sep !== undefined) next.sep = grid ? carried + next.sep : next.sep || carried;
  else if (!next && grid) line.tail = carried + (line.tail ?? '');
  refreshLine(line);
}

/** A box not read yet (`?` until ocr.readBoxes answers). */
function unread(box: Box): DocChar {
  return { key: newKey(), box, char: '?', confidence: 0, alternatives: [] };
}

/** Merges a character with the next one on its line (one character broken in two); returns the new box's key. */
export function mergeWithNext(page: DocPage, ref: CharRef): number[] {
  const line = page.lines[ref.line];
  const a = line?.chars[ref.char];
  const b = line?.chars[ref.char + 1];
  if (!line || !a || !b) return [];
  const merged = unread(unionBox(a.box, b.box));
  if (a.sep !== undefined) merged.sep = a.sep;
  line.chars.splice(ref.char, 2, merged);
  refreshLine(line);
  return [merged.key];
}

/** Splits a character's box into two halves (two touching characters read as one); returns their keys. */
export function split(page: DocPage, ref: CharRef): number[] {
  const line = page.lines[ref.line];
  const c = line?.chars[ref.char];
  if (!line || !c || c.box[2] < 2) return [];
  const [x, y, w, h] = c.box;
  const left = Math.floor(w / 2);
  const a = unread([x, y, left, h]);
  const b = unread([x + left, y, w - left, h]);
  if (c.sep !== undefined) {
    a.sep = c.sep;
    b.sep = '';
  }
  line.chars.splice(ref.char, 1, a, b);
  refreshLine(line);
  return [a.key, b.key];
}

/** Where a character is now (edits move characters between indices). */
export function findChar(page: DocPage, key: number): CharRef | null {
  for (let li = 0; li < page.lines.length; li++) {
    const ci = page.lines[li]!.chars.findIndex((c) => c.key === key);
    if (ci >= 0) return { line: li, char: ci };
  }
  return null;
}

/** Fills boxes with what ocr.readBoxes read in them (boxes gone since, by undo or another edit, are skipped). */
export function fillChars(page: DocPage, keys: number[], read: Pick<DocChar, 'char' | 'confidence' | 'alternatives' | 'crop'>[]): void {
  keys.forEach((key, i) => {
    const at = findChar(page, key);
    const r = read[i];
    if (!at || !r) return;
    const line = page.lines[at.line]!;
    const c = line.chars[at.char]!;
    if (c.corrected) return;
    c.char = r.char;
    c.confidence = r.confidence;
    c.alternatives = r.alternatives;
    if (r.crop) c.crop = r.crop;
    else delete c.crop;
    refreshLine(line);
  });
}

/**
 * A page read again (another profile) in place of the old one: a glyph the person corrected keeps its
 * correction where the new reading has a box at the same place.
 */
export function carryCorrections(old: DocPage, fresh: DocPage): number {
  const corrected = new Map<string, DocChar>();
  for (const c of old.lines.flatMap((l) => l.chars)) if (c.corrected) corrected.set(c.box.join(','), c);
  let kept = 0;
  for (const line of fresh.lines) {
    let touched = false;
    for (const c of line.chars) {
      const was = corrected.get(c.box.join(','));
      if (!was) continue;
      c.char = was.char;
      c.corrected = true;
      c.confidence = 1;
      touched = true;
      kept++;
    }
    if (touched) refreshLine(line);
  }
  return kept;
}

/** Adds a box the reader missed, to the line it overlaps most (or a new line). */
export function addBox(page: DocPage, box: Box): CharRef {
  const c = unread(box);
  const cy = box[1] + box[3] / 2;
  let best = -1;
  for (let i = 0; i < page.lines.length; i++) {
    const lb = page.lines[i]!.box;
    if (cy >= lb[1] && cy <= lb[1] + lb[3]) {
      best = i;
      break;
    }
  }
  if (best < 0) {
    const line: DocLine = { box, text: '?', confidence: 0, words: [], chars: [c] };
    refreshLine(line);
    const at = page.lines.findIndex((l) => l.box[1] > box[1]);
    best = at < 0 ? page.lines.length : at;
    page.lines.splice(best, 0, line);
  } else {
    page.lines[best]!.chars.push(c);
    refreshLine(page.lines[best]!);
  }
  const line = page.lines[best]!;
  return { line: best, char: line.chars.indexOf(c) };
}
