/**
 * The person's edits on the page shown (correct, delete, merge, split, add a box), the new boxes read
 * by the core (ocr.readBoxes), and review order: Tab visits the least certain glyph not corrected yet,
 * Enter the least certain word; both are worked out again from the page after every edit.
 */
import { core } from '../../lib/core.svelte';
import type { DocumentController } from './document.svelte';
import { edit, type ViewDoc } from './doc-state.svelte';
import { addBox, deleteChar, fillChars, findChar, mergeWithNext, setChar, split } from './page-edits';
import type { Box, CharRef, DocPage } from './page-types';
import { charsInWord, nextGlyph, nextWord, wordCertainty, type ReviewMark, type WordRef } from './review';

export class Edits {
  /** Where Tab (glyphs) and Enter (words) stand; null: from the least certain. */
  private glyphMark: ReviewMark | null = null;
  private wordMark: ReviewMark | null = null;
  /** How the selection was reached: a correction then moves on the same way. */
  private mode: 'glyph' | 'word' | null = null;

  constructor(private readonly ctl: DocumentController) {}

  resetReview(): void {
    this.mode = null;
  }

  /** Tab / Shift+Tab. */
  nextGlyph(dir: 1 | -1 = 1): void {
    const page = this.ctl.page;
    if (!page) return;
    const next = nextGlyph(page, this.mode === 'glyph' ? this.glyphMark : null, dir);
    this.ctl.word = null;
    this.ctl.selected = next?.ref ?? null;
    this.glyphMark = next?.mark ?? null;
    this.mode = next ? 'glyph' : null;
    if (!next) this.ctl.notice = 'Every glyph on this page is corrected.';
  }

  /** Enter / Shift+Enter: the least certain word, its least certain glyph selected. */
  nextWord(dir: 1 | -1 = 1): void {
    const page = this.ctl.page;
    if (!page) return;
    const next = nextWord(page, this.mode === 'word' ? this.wordMark : null, dir);
    if (!next) {
      this.mode = null;
      this.ctl.word = null;
      this.ctl.selected = null;
      this.ctl.notice = 'Every word on this page is corrected.';
      return;
    }
    this.visitWord(next.ref, next.mark);
  }

  /** Outlines a word and selects its first glyph not corrected yet; typing then walks through the word. */
  visitWord(ref: WordRef, mark: ReviewMark | null = null): void {
    const line = this.ctl.page?.lines[ref.line];
    const word = line?.words[ref.word];
    if (!line || !word) return;
    const chars = charsInWord(line, word);
    this.ctl.word = ref;
    this.ctl.selected = { line: ref.line, char: chars.find((i) => !line.chars[i]!.corrected) ?? chars[0] ?? 0 };
    this.mode = 'word';
    this.wordMark = mark ?? { confidence: wordCertainty(line, word), key: line.chars[chars[0] ?? 0]?.key ?? 0 };
  }

  /** Left/right arrows: reading order. */
  move(delta: number): void {
    const page = this.ctl.page;
    if (!page) return;
    const flat: CharRef[] = [];
    page.lines.forEach((l, line) => l.chars.forEach((_, char) => flat.push({ line, char })));
    if (flat.length === 0) return;
    const sel = this.ctl.selected;
    const at = sel ? flat.findIndex((r) => r.line === sel.line && r.char === sel.char) : -1;
    this.ctl.selected = flat[Math.max(0, Math.min(flat.length - 1, at + delta))] ?? null;
    this.mode = null;
  }

  /** After a correction: the next glyph the same way the person came (Tab, Enter, or reading order). */
  private advance(page: DocPage, ref: CharRef): void {
    if (this.mode === 'glyph') return this.nextGlyph(1);
    if (this.mode === 'word' && this.ctl.word) {
      const line = page.lines[this.ctl.word.line];
      const word = line?.words[this.ctl.word.word];
      const rest = line && word ? charsInWord(line, word).filter((i) => i > ref.char && !line.chars[i]!.corrected) : [];
      if (rest.length) this.ctl.selected = { line: ref.line, char: rest[0]! };
      return;
    }
    this.move(1);
  }

  async correct(ref: CharRef, label: string): Promise<void> {
    const { doc, page } = this.ctl;
    const c = page?.lines[ref.line]?.chars[ref.char];
    if (!doc || !page || !c) return;
    edit(doc, page, (p) => setChar(p, ref, label));
    this.ctl.bump();
    this.advance(page, ref);
    if (!c.crop) {
      this.ctl.notice = `“${label}” set; this box has no crop from the reader, so it was not added to the dataset.`;
      return;
    }
    try {
      const r = await core.call('ocr.correct', { crop: c.crop, label, source: doc.file, page: page.index, box: $state.snapshot(c.box) });
      this.ctl.notice = `Added to the dataset as “${label}” (sample ${r.sampleId}${r.created ? '' : ', already there: relabeled'}).`;
    } catch (e) {
      this.ctl.fail('Adding the correction to the dataset', e);
    }
  }

  deleteSelected(): void {
    const { doc, page, selected } = this.ctl;
    if (!doc || !page || !selected) return;
    edit(doc, page, (p) => deleteChar(p, selected));
    this.ctl.selected = null;
    this.ctl.word = null;
    this.ctl.bump();
  }

  mergeSelected(): void {
    this.reshape((p, ref) => mergeWithNext(p, ref));
  }

  splitSelected(): void {
    this.reshape((p, ref) => split(p, ref));
  }

  addBox(box: Box): void {
    const { doc, page } = this.ctl;
    if (!doc || !page) return;
    let ref: CharRef = { line: 0, char: 0 };
    edit(doc, page, (p) => {
      ref = addBox(p, box);
    });
    const key = page.lines[ref.line]!.chars[ref.char]!.key;
    this.ctl.selected = ref;
    this.ctl.word = null;
    this.ctl.bump();
    void this.readBoxes(doc, page, [key]);
  }

  /** Merge or split the selected glyph, select the first new box, and have the core read the new boxes. */
  private reshape(fn: (p: DocPage, ref: CharRef) => number[]): void {
    const { doc, page, selected } = this.ctl;
    if (!doc || !page || !selected) return;
    let keys: number[] = [];
    edit(doc, page, (p) => {
      keys = fn(p, selected);
    });
    if (!keys.length) {
      doc.undo.pop();
      return;
    }
    this.ctl.selected = findChar(page, keys[0]!);
    this.ctl.word = null;
    this.ctl.bump();
    void this.readBoxes(doc, page, keys);
  }

  /** Classifies new boxes from the page's cached layout; without one they stay `?` for the person to type. */
  private async readBoxes(doc: ViewDoc, page: DocPage, keys: number[]): Promise<void> {
    const boxes = keys.map((k) => findChar(page, k)).map((r) => (r ? page.lines[r.line]!.chars[r.char]!.box : null));
    if (!page.pageKey) {
      this.ctl.notice = 'The core did not keep this page’s layout: type the new boxes’ characters.';
      return;
    }
    if (boxes.some((b) => b === null)) return;
    try {
      const { chars } = await core.call('ocr.readBoxes', { pageKey: page.pageKey, boxes: $state.snapshot(boxes as Box[]), crops: true, profile: $state.snapshot(doc.readWith) });
      fillChars(page, keys, chars);
      this.ctl.notice = `Read the new box${keys.length === 1 ? '' : 'es'}: ${chars.map((c) => c.char).join(' ')}`;
      this.ctl.bump();
    } catch (e) {
      this.ctl.notice = `The new boxes could not be read (${e instanceof Error ? e.message : String(e)}): type their characters.`;
    }
  }
}
