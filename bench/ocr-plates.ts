/**
 * Plate reading: glyphlab (main line, the given model) against Tesseract (`--psm 7`, whitelist 0-9A-Z)
 * on the same plate photos of ../shared/data/plates. Prints, for each: plates read exactly, character
 * error rate, seconds per image.
 *
 *   nice -n 10 npx vite-node bench/ocr-plates.ts [--profile P] [--model <dir>] [--limit N] [--half odd|even]
 *     [--no-tesseract] [--tesseract-limit N] [--verbose [--show N]] [--dump FILE.json]
 *
 * Plates are numbered 1.. in the file order of groundtruth.csv; figures are printed for the odd-numbered
 * (the half to tune on), the even-numbered (held back) and all. --half reads one half only.
 * --tesseract-limit N: Tesseract reads every k-th plate of the chosen ones, N in all (its figures are then
 * on that sample, and glyphlab's on the same plates follow). --dump writes every reading (number, file,
 * truth, read, seconds) as JSON for analysis.
 *
 * --model: a model folder; default: the bundled resources/models/default (what `glyphlab ocr` uses
 * without an active model). Needs ../shared/data/plates (skips, saying so, without it) and the
 * Debian `tesseract-ocr` package for the second half (run single-threaded: OMP_THREAD_LIMIT=1).
 * --verbose lists the first N misread plates (truth → read). All 751 plates take ~1.5 min for glyphlab
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

const empty = (): Score => ({ exact: 0, errors: 0, chars: 0, seconds: 0, n: 0 });

function report(name: string, s: Score): void {
  if (!s.n) return;
  console.log(
    `${name.padEnd(16)} exact ${pct(s.exact / s.n).padStart(6)} (${s.exact}/${s.n})   CER ${pct(s.errors / s.chars).padStart(6)}   ${(s.seconds / s.n).toFixed(3)} s/image`,
  );
}

/** Scores per half (odd / even plate numbers) and over all. */
function halves(): { odd: Score; even: Score; all: Score; add: (n: number, truth: string, read: string, s: number) => void; report: (name: string) => void } {
  const h = { odd: empty(), even: empty(), all: empty() };
  return {
    ...h,
    add: (n, truth, read, sec) => {
      add(n % 2 ? h.odd : h.even, truth, read, sec);
      add(h.all, truth, read, sec);
    },
    report: (name) => {
      report(`${name} odd`, h.odd);
      report(`${name} even`, h.even);
      report(`${name} all`, h.all);
    },
  };
}

async function main(): Promise<void> {
  const dir = requireData('plates');
  const limit = Number(arg('limit', '0'));
  const rows = plateRows(dir);
  const half = arg('half');
  const numbered = rows.map((r, i) => ({ ...r, n: i + 1 }));
  const chosen = half === 'odd' || half === 'even' ? numbered.filter((r) => r.n % 2 === (half === 'odd' ? 1 : 0)) : numbered;
  const items = limit > 0 ? chosen.slice(0, limit) : chosen;
  const { dir: modelDir, classifier } = await classifierFor(ocrModelDir(null, arg('model')));
  console.log(`plates: ${items.length} images; model ${modelDir} (${classifier.runtime})`);

  const ours = halves();
  const misses: string[] = [];
  const dump: { n: number; file: string; truth: string; read: string; seconds: number }[] = [];
  for (const it of items) {
    const t0 = performance.now();
    const [page] = await loadPages(it.file);
    const r = await recognize(page!, classifier, { profile: arg('profile', 'plate') as 'plate' });
    const read = clean(r.text);
    const seconds = (performance.now() - t0) / 1000;
    ours.add(it.n, it.plate, read, seconds);
    dump.push({ n: it.n, file: path.basename(it.file), truth: it.plate, read, seconds });
    if (read !== it.plate && misses.length < Number(arg("show", "15"))) misses.push(`${path.basename(it.file)} ${it.plate} → ${read}`);
  }
  ours.report('glyphlab');
  const dumpFile = arg('dump');
  if (dumpFile) fs.writeFileSync(dumpFile, JSON.stringify(dump, null, 1));
  if (process.argv.includes("--verbose")) console.log(misses.join("\n"));

  if (!process.argv.includes('--no-tesseract')) {
    const tess = halves();
    const tl = Number(arg('tesseract-limit', '0'));
    const step = tl > 0 && tl < items.length ? items.length / tl : 1;
    const sample = step > 1 ? Array.from({ length: tl }, (_, k) => items[Math.floor(k * step)]!) : items;
    const mine = halves();
    for (const it of sample) {
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
      tess.add(it.n, it.plate, read, (performance.now() - t0) / 1000);
      const d = dump.find((r) => r.n === it.n)!;
      mine.add(it.n, it.plate, d.read, d.seconds);
    }
    if (tess.all.n) tess.report('tesseract');
    if (step > 1) mine.report('glyphlab, same');
  }
  await classifier.dispose?.();
}

await main();
