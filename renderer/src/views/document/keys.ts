/**
 * The Document view's keys: type a character to correct the selected glyph, Tab / Shift+Tab for the
 * least certain glyph, Enter / Shift+Enter for the least certain word, arrows for reading order,
 * Del, + (merge with next), | (split), Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y.
 */
import type { DocumentController } from './document.svelte';

export function isTypingTarget(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (/^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName) || el.isContentEditable);
}

/** Handles a key press on the page; true when it was one of the view's keys. */
export function documentKey(ctl: DocumentController, e: KeyboardEvent): boolean {
  if (!ctl.doc || !ctl.page || isTypingTarget(e.target)) return false;
  // On one of the view's own controls, Enter and Space press it and Tab moves the focus on; on the page
  // (or a control outside the view, such as the sidebar's button) they review.
  const el = e.target as HTMLElement | null;
  const onControl = !!el?.closest?.('button, a, summary') && !!el.closest('section.view');
  if (onControl && (e.key === 'Enter' || e.key === ' ' || e.key === 'Tab')) return false;
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.toLowerCase();
  if (mod && key === 'z') {
    if (e.shiftKey) ctl.redo();
    else ctl.undo();
    return true;
  }
  if (mod && key === 'y') {
    ctl.redo();
    return true;
  }
  if (mod || e.altKey) return false;
  const ed = ctl.edits;
  switch (e.key) {
    case 'Tab':
      ed.nextGlyph(e.shiftKey ? -1 : 1);
      return true;
    case 'Enter':
      ed.nextWord(e.shiftKey ? -1 : 1);
      return true;
    case 'ArrowRight':
    case 'ArrowLeft':
      ed.move(e.key === 'ArrowRight' ? 1 : -1);
      return true;
    case 'Escape':
      ctl.select(null);
      return true;
  }
  const ref = ctl.selected;
  if (!ref) return false;
  if (e.key === 'Delete' || e.key === 'Backspace') ed.deleteSelected();
  else if (e.key === '+') ed.mergeSelected();
  else if (e.key === '|') ed.splitSelected();
  else if (e.key.length === 1 && /[0-9a-z]/i.test(e.key)) void ed.correct(ref, e.key.toUpperCase());
  else return false;
  return true;
}
