/**
 * Plate reading: glyphlab (main line, the given model) against Tesseract (`--psm 7`, whitelist 0-9A-Z)
 * on the same plate photos of ../shared/data/plates. Prints, for each: plates read exactly, character
 * error rate, seconds per image.
 *
 *   nice -n 10 npx vite-node bench/ocr-plates.ts [--model <dir>] [--limit N] [--no-tesseract] [--verbose [--show N]]
 *
 * --model: a model folder; default: the bundled resources/models/default (what `glyphlab ocr` uses
 * without an active model). Needs ../shared/data/plates (skips, saying so, without it) and the
 * Debian `tesseract-ocr` package for the second half (run single-threaded: OMP_THREAD_LIMIT=1).
 * --verbose lists the first N misread plates (truth → read). All 751 plates take ~40 s for glyphlab
 * and ~20 min for Tesseract on the shared 2-core machine. Both read the same files in one run;
 * seconds per image include decoding (and, for Tesseract, starting its process).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { loadPages } from '../main/core/ocr/load-pages';
import { classifierFor, ocrModelDir } from '../main/core/ocr/model';
import { recognize } from '../main/core/ocr/recognize';
import { arg, cleanPlate, editDistance, pct, plateRows, requireData } from './ocr-bench-util';

const run = promisify(execFile);

interface Score {
  exact: number;
  errors: number;
  chars: number;
  seconds: number;
  n: number;
}

const clean = cleanPlate;

function add(score: Score, truth: string, read: string, seconds: number): void {
  score.n++;
  score.seconds += seconds;
  score.chars += truth.length;
  score.errors += editDistance(read, truth);
  if (read === truth) score.exact++;
}

function report(name: string, s: Score): void {
  console.log(
    `${name.padEnd(10)} exact ${pct(s.exact / s.n).padStart(6)} (${s.exact}/${s.n})   CER ${pct(s.errors / s.chars).padStart(6)}   ${(s.seconds / s.n).toFixed(3)} s/image`,
  );
}

async function main(): Promise<void> {
  const dir = requireData('plates');
  const limit = Number(arg('limit', '0'));
  const rows = plateRows(dir);
  const items = limit > 0 ? rows.slice(0, limit) : rows;
  const { dir: modelDir, classifier } = await classifierFor(ocrModelDir(null, arg('model')));
  console.log(`plates: ${items.length} images; model ${modelDir} (${classifier.runtime})`);

  const ours: Score = { exact: 0, errors: 0, chars: 0, seconds: 0, n: 0 };
  const misses: string[] = [];
  for (const it of items) {
    const t0 = performance.now();
    const [page] = await loadPages(it.file);
    const r = await recognize(page!, classifier, { profile: arg('profile', 'plate') as 'plate' });
    const read = clean(r.text);
    add(ours, it.plate, read, (performance.now() - t0) / 1000);
    if (read !== it.plate && misses.length < Number(arg("show", "15"))) misses.push(`${path.basename(it.file)} ${it.plate} → ${read}`);
  }
  report('glyphlab', ours);
  if (process.argv.includes("--verbose")) console.log(misses.join("\n"));

  if (!process.argv.includes('--no-tesseract')) {
    const tess: Score = { exact: 0, errors: 0, chars: 0, seconds: 0, n: 0 };
    for (const it of items) {
      const t0 = performance.now();
      let read = '';
      try {
        const { stdout } = await run('tesseract', [it.file, 'stdout', '--psm', '7', '-c', 'tessedit_char_whitelist=0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'], {
          env: { ...process.env, OMP_THREAD_LIMIT: '1' },
        });
        read = clean(stdout);
      } catch (e) {
        console.log(`tesseract failed on ${it.file}: ${(e as Error).message.split('\n')[0]}`);
        break;
      }
      add(tess, it.plate, read, (performance.now() - t0) / 1000);
    }
    if (tess.n) report('tesseract', tess);
  }
  await classifier.dispose?.();
}

await main();
