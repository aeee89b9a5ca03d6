import { randomUUID } from 'node:crypto';
import { GlyphError } from '../../../common/errors';
import type { ReadState } from '../recognize';

/**
 * The last pages read, by key, so a profile change or a re-read of edited boxes needs no new layout
 * (a page's labels take width × height × 4 bytes: a few are kept, the oldest goes first).
 */
const MAX_PAGES = 6;
const pages = new Map<string, ReadState>();
const keys = new WeakMap<ReadState, string>();

export function rememberPage(state: ReadState): string {
  const key = keys.get(state) ?? randomUUID();
  keys.set(state, key);
  pages.delete(key);
  pages.set(key, state);
  while (pages.size > MAX_PAGES) pages.delete(pages.keys().next().value!);
  return key;
}

export function recallPage(key: string): ReadState {
  const s = pages.get(key);
  if (!s) throw new GlyphError('not_found', 'that page is no longer in memory: read the file again');
  return s;
}
