import fs from 'node:fs';
import path from 'node:path';
import type { SamplePage } from '../../common/contract/samples';
import { findResource } from '../resources';

/** Small on purpose: the pages are ~10-20 kB each. */
const MAX_PAGE_BYTES = 2 * 1024 * 1024;
const MAX_PAGES = 8;

/** resources/samples' pages, first the one a new person should read first, with the README's one-line descriptions. */
export function samplePages(dir = findResource('samples')): SamplePage[] {
  if (!dir) return [];
  const readme = safeRead(path.join(dir, 'README.md')) ?? '';
  const described = new Map([...readme.matchAll(/^- `([^`]+\.png)`: (.+)$/gm)].map((m) => [m[1]!, m[2]!.trim()]));
  const names = fs
    .readdirSync(dir)
    .filter((n) => /^[\w.-]+\.png$/.test(n))
    .sort((a, b) => Number(b === 'printed-dejavu.png') - Number(a === 'printed-dejavu.png') || a.localeCompare(b))
    .slice(0, MAX_PAGES);
  const pages: SamplePage[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    const st = fs.statSync(file);
    if (!st.isFile() || st.size > MAX_PAGE_BYTES) continue;
    pages.push({
      name,
      data: fs.readFileSync(file).toString('base64'),
      truth: safeRead(file.replace(/\.png$/, '.txt')) ?? '',
      description: described.get(name) ?? '',
    });
  }
  return pages;
}

function safeRead(file: string): string | null {
  try {
    const st = fs.statSync(file);
    return st.isFile() && st.size <= 64 * 1024 ? fs.readFileSync(file, 'utf8') : null;
  } catch {
    return null;
  }
}

/** app.samplePages. */
export function createSampleHandlers(): { 'app.samplePages': () => { pages: SamplePage[] } } {
  return { 'app.samplePages': () => ({ pages: samplePages() }) };
}
