/** The Dataset view's keyboard map: a key press → what it means, independent of the DOM. */
import type { Split } from '$common/contract';
import type { Move } from './moves';

export type { Move } from './moves';

export type KeyAction =
  | { kind: 'move'; to: Move; extend: boolean }
  | { kind: 'label'; label: string }
  | { kind: 'unlabel' }
  | { kind: 'delete' }
  | { kind: 'split'; split: Split }
  | { kind: 'undo' }
  | { kind: 'redo' }
  | { kind: 'selectAll' }
  | { kind: 'help' }
  | { kind: 'escape' };

const MOVES: Record<string, Move> = {
  ArrowLeft: 'left',
  ArrowRight: 'right',
  ArrowUp: 'up',
  ArrowDown: 'down',
  PageUp: 'pageUp',
  PageDown: 'pageDown',
  Home: 'home',
  End: 'end',
};

const SPLIT_KEYS: Record<string, Split> = { KeyT: 'train', KeyV: 'validation', KeyE: 'test' };

/** The class a typed character stands for: itself, else its other case when that is a class. */
export function classForKey(key: string, classes: string): string | null {
  if ([...key].length !== 1) return null;
  if (classes.includes(key)) return key;
  const other = key === key.toUpperCase() ? key.toLowerCase() : key.toUpperCase();
  return other !== key && classes.includes(other) ? other : null;
}

/** Typing goes to text fields and menus, never to the grid. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'range', 'color'].includes(type);
}

export function keyAction(e: KeyboardEvent, classes: string): KeyAction | null {
  const mod = e.ctrlKey || e.metaKey;
  const move = MOVES[e.key];
  if (move && !mod && !e.altKey) return { kind: 'move', to: move, extend: e.shiftKey };
  if (mod && !e.altKey) {
    const k = e.key.toLowerCase();
    if (k === 'z') return e.shiftKey ? { kind: 'redo' } : { kind: 'undo' };
    if (k === 'y') return { kind: 'redo' };
    if (k === 'a') return { kind: 'selectAll' };
    return null;
  }
  if (e.altKey) {
    const split = SPLIT_KEYS[e.code];
    return split && !e.shiftKey ? { kind: 'split', split } : null;
  }
  if (e.key === 'Delete' || e.key === 'Backspace') return { kind: 'delete' };
  if (e.key === 'Escape') return { kind: 'escape' };
  const label = classForKey(e.key, classes);
  if (label !== null) return { kind: 'label', label };
  if (e.key === '?') return { kind: 'help' };
  if (e.key === '_') return { kind: 'unlabel' };
  return null;
}

/** For the help overlay: the same map, as a person reads it. */
export const KEY_HELP: [string, string][] = [
  ['←  →  ↑  ↓', 'Move the selection (PageUp/PageDown, Home/End jump)'],
  ['Shift + arrows / Shift + click', 'Select a range'],
  ['Ctrl/⌘ + click', 'Add or remove one sample'],
  ['Ctrl/⌘ + A', 'Select every sample the filter shows'],
  ['a character of the class set', 'Label the selection and move to the next sample'],
  ['_', 'Mark the selection unlabeled'],
  ['Delete / Backspace', 'Delete the selection (restore it in the “Deleted” filter)'],
  ['Alt + T / V / E', 'Move the selection to train / validation / test'],
  ['Ctrl/⌘ + Z', 'Undo (edits are kept across sessions)'],
  ['Ctrl/⌘ + Shift + Z, Ctrl/⌘ + Y', 'Redo'],
  ['Esc', 'Clear the selection, close this help'],
  ['?', 'Show or hide this help'],
];
