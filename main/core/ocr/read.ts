import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { OcrDocument } from '../../common/contract/ocr';
import { GlyphError } from '../../common/errors';
import { loadPages } from './load-pages';
import { recognize } from './recognize';
import type { OcrClassifier, OcrSettings } from './types';

export type OcrInput = { path: string } | { name: string; data: Buffer };

/**
 * Reads documents one after another (pages in order), calling `onPage` after each page. Stops at the
 * first unreadable file with a GlyphError naming it.
 */
export async function readDocuments(
  inputs: OcrInput[],
  classifier: OcrClassifier,
  settings: OcrSettings,
  opts: { signal?: AbortSignal; onPage?: (doc: number, page: number, pages: number) => void } = {},
): Promise<OcrDocument[]> {
  const docs: OcrDocument[] = [];
  for (const [i, input] of inputs.entries()) {
    if (opts.signal?.aborted) throw new GlyphError('cancelled', 'OCR cancelled');
    const t0 = performance.now();
    const file = 'path' in input ? input.path : input.name;
    const pages = 'path' in input ? await loadPages(path.resolve(input.path), input.path) : await loadPages(input.data, input.name);
    const results = [];
    for (const [j, page] of pages.entries()) {
      if (opts.signal?.aborted) throw new GlyphError('cancelled', 'OCR cancelled');
      const tp = performance.now();
      const r = await recognize(page, classifier, settings);
      r.timings.load = j === 0 ? Math.round((tp - t0) * 100) / 100 : 0;
      results.push(r);
      opts.onPage?.(i, j, pages.length);
    }
    docs.push({ file, pages: results, ms: Math.round(performance.now() - t0) });
  }
  return docs;
}
