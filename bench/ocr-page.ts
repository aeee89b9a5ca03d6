/**
 * A page of ~1,000 printed characters read end to end (decode → layout → one classification batch):
 * prints the time per stage and in total (goal ≤ 1 s with onnxruntime).
 *
 *   nice -n 10 npx vite-node bench/ocr-page.ts [--model <dir>] [--runs N]
 *
 * Prints per-stage wall times of the last run (decode, binarize, deskew, lines = ruling removal,
 * components, segment, order = reading order and crops, classify), the median and best wall time,
 * and the CPU time of this process per page (what a page costs on an idle machine: on a loaded one
 * wall time also counts waiting for a core). The page is generated in code (Liberation Sans, 28
 * lines, rotated 1.2°). The same code as the app: `npx esbuild bench/ocr-page.ts --bundle
 * --platform=node --format=esm --packages=external --outfile=.tmp/ocr-bench/page.mjs` then
 * `node .tmp/ocr-bench/page.mjs` runs it as bundled.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { loadPages } from '../main/core/ocr/load-pages';
import { classifierFor, ocrModelDir } from '../main/core/ocr/model';
import { recognize } from '../main/core/ocr/recognize';
import { arg, thousandCharPage } from './ocr-bench-util';

async function main(): Promise<void> {
  const runs = Number(arg('runs', '5'));
  const { dir, classifier } = await classifierFor(ocrModelDir(null, arg('model')));
  const { png, chars } = await thousandCharPage();
  console.log(`page: ${chars} characters; model ${dir} (${classifier.runtime})`);
  const totals: number[] = [];
  const cpus: number[] = [];
  let last;
  for (let i = 0; i < runs + 1; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const [page] = await loadPages(png, 'bench-page.png');
    const tDecode = performance.now() - t0;
    last = await recognize(page!, classifier);
    last.timings.load = Math.round(tDecode);
    if (i > 0) {
      // The first run warms up the session. CPU time (user+system of this process) is what the run
      // costs on an idle machine: on a shared one, wall time also counts waiting for a core.
      totals.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpus.push((c.user + c.system) / 1000);
    }
  }
  cpus.sort((a, b) => a - b);
  const found = last!.lines.reduce((a, l) => a + l.chars.length, 0);
  totals.sort((a, b) => a - b);
  console.log(`characters found: ${found} in ${last!.lines.length} lines; skew ${last!.skewDegrees}°`);
  console.log('stages (ms, last run):', JSON.stringify(last!.timings));
  console.log(`end to end: median ${(totals[Math.floor(totals.length / 2)]! / 1000).toFixed(3)} s, best ${(totals[0]! / 1000).toFixed(3)} s over ${runs} runs`);
  console.log(`CPU time: median ${(cpus[Math.floor(cpus.length / 2)]! / 1000).toFixed(3)} s per page (load average now ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores)`);
}

await main();
