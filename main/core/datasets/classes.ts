import { GlyphError } from '../../common/errors';
import type { DB } from '../db/open';

export const DEFAULT_CLASSES = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The class set: one character per class, in order (index = class id for IDX/CSV numeric labels). */
export function getClasses(db: DB): string {
  const row = db.prepare(`SELECT value FROM meta WHERE key = 'classes'`).get() as { value: string } | undefined;
  return row?.value ?? DEFAULT_CLASSES;
}

export function classList(classes: string): string[] {
  return Array.from(classes);
}

/** Checks a new class set: at least two classes, single characters, no repeats, no whitespace or path separators. */
export function validateClasses(classes: string): string[] {
  const list = classList(classes);
  if (list.length < 2) throw new GlyphError('validation', 'The class set needs at least two classes');
  const seen = new Set<string>();
  for (const c of list) {
    if (/\s/.test(c) || c === '/' || c === '\\') throw new GlyphError('validation', `Class '${c}' cannot be used (whitespace or a path separator)`);
    if (seen.has(c)) throw new GlyphError('validation', `Class '${c}' appears twice in the class set`);
    seen.add(c);
  }
  return list;
}

export function setClasses(db: DB, classes: string): void {
  validateClasses(classes);
  db.prepare(`INSERT INTO meta (key, value) VALUES ('classes', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(classes);
}

/** Throws a validation error naming the label and the class set when the label is not a class. */
export function assertLabel(classes: string, label: string | null): void {
  if (label === null) return;
  if (!classList(classes).includes(label)) {
    throw new GlyphError('validation', `Label '${label}' is not in the class set '${classes}'`, { label, classes });
  }
}
