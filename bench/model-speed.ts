/**
 * Time to classify glyphs with each model folder's ONNX export (onnxruntime, as OCR runs it), in one
 * process, rounds interleaved so every model sees the same machine load: one glyph per call, and glyphs
 * in batches of 64 (a page's candidates). Prints the best (minimum) and median per glyph of each and the
 * ratio against the first model. Prints figures; not a test.
 *
 *   nice -n 10 npx vite-node bench/model-speed.ts [--model DIR ...] [--rounds N (default 7)]
 *
 * Default: the bundled resources/models/default alone.
 */
import path from 'node:path';
import { loadClassifier, type Classifier } from '../main/core/ml/inference';
import { ROOT } from './ocr-bench-util';

const argv = process.argv.slice(2);
const dirs: string[] = [];
let rounds = 7;
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--model' && argv[i + 1]) dirs.push(path.resolve(argv[++i]!));
  else if (argv[i] === '--rounds' && argv[i + 1]) rounds = Math.max(1, Number(argv[++i]) || 7);
}
if (!dirs.length) dirs.push(path.join(ROOT, 'resources/models/default'));

const SINGLE_CALLS = 300;
const BATCH = 64;
const BATCH_CALLS = 40;

/** Glyph-like pixels (sparse strokes); the time does not depend on what the images show. */
function pixels(n: number, size: number): Float32Array {
  let s = 12345;
  const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  return Float32Array.from({ length: n * size * size }, () => (rnd() < 0.3 ? rnd() : 0));
}

async function perGlyphMicros(c: Classifier, px: Float32Array, n: number, calls: number): Promise<number> {
  const one = c.inputSize * c.inputSize;
  await c.classify(px.subarray(0, n * one), n);
  const t = performance.now();
  for (let i = 0; i < calls; i++) await c.classify(px.subarray(0, n * one), n);
  return ((performance.now() - t) * 1000) / (calls * n);
}

const classifiers: Classifier[] = [];
for (const d of dirs) {
  const c = await loadClassifier(d);
  if (c.runtime !== 'onnxruntime') console.log(`${d}: runs on ${c.runtime}, not onnxruntime`);
  classifiers.push(c);
}
const single = classifiers.map(() => [] as number[]);
const batched = classifiers.map(() => [] as number[]);
for (let r = 0; r < rounds; r++) {
  for (const [i, c] of classifiers.entries()) {
    const px = pixels(BATCH, c.inputSize);
    single[i]!.push(await perGlyphMicros(c, px, 1, SINGLE_CALLS));
    batched[i]!.push(await perGlyphMicros(c, px, BATCH, BATCH_CALLS));
  }
}
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
const min = (a: number[]) => Math.min(...a);
for (const [i, d] of dirs.entries()) {
  const rel = (f: (a: number[]) => number, a: number[][]) => (f(a[i]!) / f(a[0]!)).toFixed(2);
  console.log(
    `${path.relative(process.cwd(), d) || d}: one glyph ${min(single[i]!).toFixed(0)} us best, ${median(single[i]!).toFixed(0)} median (x${rel(min, single)} / x${rel(median, single)}); ` +
      `in batches of ${BATCH} ${min(batched[i]!).toFixed(1)} us/glyph best, ${median(batched[i]!).toFixed(1)} median (x${rel(min, batched)} / x${rel(median, batched)})`,
  );
}
for (const c of classifiers) await c.dispose();
process.exit(0);
