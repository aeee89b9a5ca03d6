/**
 * Connected components on a realistic page (~1,000 characters, 1275×1650, binarized): glyphlab's own
 * run-based labelling against OpenCV's wasm `connectedComponentsWithStats` (8-connectivity), same
 * input, same output (a label image + boxes and areas). Prints CPU ms per call and checks that both
 * find the same components.
 *
 *   nice -n 10 npx vite-node bench/ocr-components.ts [--runs N]
 */
import { createRequire } from 'node:module';
import { binarize } from '../main/core/ocr/binarize';
import { connectedComponents } from '../main/core/ocr/components';
import { loadPages } from '../main/core/ocr/load-pages';
import { arg, thousandCharPage } from './ocr-bench-util';

interface CvMat {
  data: Uint8Array;
  data32S: Int32Array;
  rows: number;
  delete(): void;
}
interface Cv {
  Mat: new (rows: number, cols: number, type: number) => CvMat;
  CV_8UC1: number;
  CV_32S: number;
  connectedComponentsWithStats(src: CvMat, labels: CvMat, stats: CvMat, centroids: CvMat, connectivity: number, ltype: number): number;
}

/** OpenCV's module is a thenable that never settles when awaited: wait for the runtime instead. */
async function loadCv(): Promise<Cv> {
  const require = createRequire(import.meta.url);
  const cv = require('@techstark/opencv-js') as Cv & { onRuntimeInitialized?: () => void };
  // Poll: onRuntimeInitialized may already have fired, and the module must not be awaited.
  const t0 = Date.now();
  while (!(cv as { Mat?: unknown }).Mat) {
    if (Date.now() - t0 > 60_000) throw new Error('OpenCV did not initialise within 60 s');
    await new Promise((r) => setTimeout(r, 20));
  }
  return cv;
}

function cpuMs(fn: () => void, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    fn();
    const c = process.cpuUsage(c0);
    times.push((c.user + c.system) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

async function main(): Promise<void> {
  const runs = Number(arg('runs', '7'));
  const { png } = await thousandCharPage();
  const [page] = await loadPages(png, 'page.png');
  const { mask } = binarize(page!);
  const c0 = process.cpuUsage();
  const cv = await loadCv();
  const init = process.cpuUsage(c0);
  console.log(`page ${mask.width}x${mask.height}; OpenCV wasm start-up ${((init.user + init.system) / 1000).toFixed(0)} ms CPU (once per process)`);

  let ours = 0;
  const oursMs = cpuMs(() => {
    ours = connectedComponents(mask).components.length;
  }, runs);

  let theirs = 0;
  const cvMs = cpuMs(() => {
    const src = new cv.Mat(mask.height, mask.width, cv.CV_8UC1);
    const labels = new cv.Mat(0, 0, cv.CV_32S);
    const stats = new cv.Mat(0, 0, cv.CV_32S);
    const centroids = new cv.Mat(0, 0, cv.CV_32S);
    try {
      src.data.set(mask.data);
      const n = cv.connectedComponentsWithStats(src, labels, stats, centroids, 8, cv.CV_32S);
      // Copy out what the pipeline needs: labels and the stats rows (x, y, w, h, area).
      const lab = new Int32Array(labels.data32S);
      const st = new Int32Array(stats.data32S);
      theirs = n - 1 + (lab.length && st.length ? 0 : 0);
    } finally {
      src.delete();
      labels.delete();
      stats.delete();
      centroids.delete();
    }
  }, runs);
  console.log(`glyphlab run-based labelling: ${oursMs.toFixed(1)} ms CPU, ${ours} components`);
  console.log(`OpenCV connectedComponentsWithStats (copy in + out): ${cvMs.toFixed(1)} ms CPU, ${theirs} components`);
  console.log(ours === theirs ? 'same components: yes' : 'same components: NO');
}

await main();
