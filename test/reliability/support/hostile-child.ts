/**
 * One hostile file through one entry point, in its own process (hostile-input tests), then one JSON line:
 * {ok, error?, pages?, maxRSSMB}. `node hostile-child.mjs <correct|load-pages> <file> <dataDir>`:
 * - correct: the file's bytes as the crop of ocr.correct (through the contract's validation);
 * - load-pages: the OCR page loader on the file, page by page.
 */
import fs from 'node:fs';
import path from 'node:path';
import { dispatch } from '../../../main/common/rpc/server';
import { createCore } from '../../../main/core';
import { loadPages } from '../../../main/core/ocr/load-pages';

const [op, file, dataDir] = process.argv.slice(2) as [string, string, string];
let out: Record<string, unknown>;
try {
  if (op === 'correct') {
    const core = createCore({ dataDir });
    const crop = fs.readFileSync(file).toString('base64');
    try {
      await dispatch(core.handlers, 'ocr.correct', { crop, label: 'A', source: path.basename(file) }, { signal: new AbortController().signal });
    } finally {
      await core.close();
    }
    out = { ok: true };
  } else {
    const pages = await loadPages(file);
    out = { ok: true, pages: pages.length };
  }
} catch (e) {
  out = { ok: false, error: (e as Error).message };
}
console.log(JSON.stringify({ ...out, maxRSSMB: Math.round(process.resourceUsage().maxRSS / 1024) }));
