/**
 * What the default model (or any model folder) gets wrong on EMNIST36 test, and how much of it a
 * different class prior could ever win back. Prints figures; not a test.
 *
 *   npx vite-node bench/default-model-errors.ts [--model DIR] [--sheet FILE.png]
 *
 * - errors inside the look-alike sets (0/O/D/Q, 1/I/L/J/T/7, 5/S, 2/Z, 4/Y, 6/G, U/V) vs the rest;
 * - the most frequent confusions;
 * - "prior bound": the accuracy if the model's class prior (its train counts, from metadata.json) were
 *   swapped for the test split's own class proportions. That reads the test labels, so it is an upper
 *   bound for prior tuning, for analysis only: glyphlab does not tune to the test split;
 * - per group (0/O, 1/I/L, 5/S, 2/Z): errors on that group's test samples when the model may only choose
 *   among the group's classes, with its own prior and with the test prior; the figures to set against a
 *   specialist trained on the group alone (bench/look-alike-specialist.py);
 * - the same predictions scored with each of those groups counted as one class;
 * - --sheet: a contact sheet, one row per confusion (true>predicted) and per correct class, 16 each.
 */
import path from 'node:path';
import sharp from 'sharp';
import { readFileSource } from '../main/core/evaluation/file-source';
import { loadClassifier, readModelMetadata } from '../main/core/ml/inference';
import { arg, requireData, ROOT } from './ocr-bench-util';

const LOOK_ALIKE = ['0ODQ', '1ILJT7', '5S', '2Z', '4Y', '6G', 'UV'];
const SPECIALIST_GROUPS = ['0O', '1IL', '5S', '2Z'];
const SHEET_ROWS = ['L1', '11', 'LL', 'I1', 'II', 'O0', '00', '0O', 'OO'];

const modelDir = path.resolve(arg('model', path.join(ROOT, 'resources/models/default'))!);
const sheet = arg('sheet');
const testImages = path.join(requireData('emnist36'), 'test-images-idx3-ubyte.gz');

const clf = await loadClassifier(modelDir);
const classes = [...clf.classes];
const C = classes.length;
const source = await readFileSource([testImages], clf.classes);
const n = source.items.length;
const size = clf.inputSize;
const pixels = await source.pixels(0, n, size);
const { probs } = await clf.classify(pixels, n);
await clf.dispose();
const truth = source.items.map((it) => it.label);

// The class among `candidates` with the highest probability for sample i, each weighted by `weight`.
const allClasses = classes.map((_, c) => c);
const best = (i: number, candidates: number[], weight: (c: number) => number = () => 1) =>
  candidates.reduce((a, b) => (probs[i * C + b]! * weight(b) > probs[i * C + a]! * weight(a) ? b : a));
const predicted = truth.map((_, i) => best(i, allClasses));
const inOneOf = (sets: string[], a: string, b: string) => sets.some((s) => s.includes(a) && s.includes(b));
const confusions = new Map<string, number>();
let errors = 0;
let lookAlike = 0;
truth.forEach((t, i) => {
  const p = predicted[i]!;
  if (p === t) return;
  errors++;
  if (inOneOf(LOOK_ALIKE, classes[t]!, classes[p]!)) lookAlike++;
  const k = `${classes[t]}>${classes[p]}`;
  confusions.set(k, (confusions.get(k) ?? 0) + 1);
});

// Prior bound: p(y|x) ∝ p(x|y) p(y); replace the train prior by the test split's proportions.
const meta = readModelMetadata(modelDir) as { data?: { counts?: { train?: Record<string, number> } } };
const trainCounts = meta.data?.counts?.train;
const testCounts = new Float64Array(C);
for (const t of truth) testCounts[t]!++;
const toTestPrior = trainCounts ? classes.map((c, i) => testCounts[i]! / Math.max(1, trainCounts[c] ?? 0)) : undefined;
const errorsWith = (candidates: (t: number) => number[] | undefined, weight?: (c: number) => number) => {
  let samples = 0;
  let wrong = 0;
  truth.forEach((t, i) => {
    const cands = candidates(t);
    if (!cands) return;
    samples++;
    if (best(i, cands, weight) !== t) wrong++;
  });
  return { samples, wrong };
};
const withTestPrior = toTestPrior && ((c: number) => toTestPrior[c]!);
let bound = 'no train counts in metadata.json';
if (withTestPrior) {
  const { wrong } = errorsWith(() => allClasses, withTestPrior);
  bound = `${((100 * (n - wrong)) / n).toFixed(2)}% (${wrong} errors)`;
}

// Within a group: the group's test samples, the model choosing among the group's classes only.
const withinGroup = SPECIALIST_GROUPS.map((g) => {
  const members = [...g].map((c) => classes.indexOf(c));
  const ofGroup = (t: number) => (members.includes(t) ? members : undefined);
  const own = errorsWith(ofGroup);
  const test = withTestPrior ? `${errorsWith(ofGroup, withTestPrior).wrong} with the test prior` : 'no train counts';
  return `${g} ${own.samples} samples: ${own.wrong} errors (${test})`;
});

// The same predictions, scored with each group (0/O, 1/I/L, 5/S, 2/Z) counted as one class.
const groupedErrors = truth.filter((t, i) => predicted[i] !== t && !inOneOf(SPECIALIST_GROUPS, classes[t]!, classes[predicted[i]!]!)).length;

const top = [...confusions].sort((a, b) => b[1] - a[1]).slice(0, 12);
console.log(`model ${modelDir} on ${testImages} (${n} samples, ${clf.runtime})`);
console.log(`accuracy ${((100 * (n - errors)) / n).toFixed(2)}%: ${errors} errors, ${lookAlike} inside look-alike sets (${LOOK_ALIKE.join(' ')}), ${errors - lookAlike} outside`);
console.log(`most frequent confusions (true>predicted): ${top.map(([k, v]) => `${k} ${v}`).join(', ')}`);
console.log(`prior bound (test split's own class proportions; reads test labels, analysis only): ${bound}`);
console.log(`choosing only within the group: ${withinGroup.join('; ')}`);
console.log(`with ${SPECIALIST_GROUPS.join(' ')} each counted as one class: ${((100 * (n - groupedErrors)) / n).toFixed(2)}% (${groupedErrors} errors)`);
console.log(`95% needs at most ${Math.floor(n * 0.05)} errors`);

if (sheet) {
  const cell = size + 2;
  const width = 16 * cell;
  const buf = Buffer.alloc(width * SHEET_ROWS.length * cell, 60);
  SHEET_ROWS.forEach((pair, r) => {
    const [t, q] = [classes.indexOf(pair[0]!), classes.indexOf(pair[1]!)];
    let k = 0;
    for (let i = 0; i < n && k < 16; i++) {
      if (truth[i] !== t || predicted[i] !== q) continue;
      for (let y = 0; y < size; y++)
        for (let x = 0; x < size; x++) buf[(r * cell + y) * width + k * cell + x] = Math.round(255 * pixels[i * size * size + y * size + x]!);
      k++;
    }
  });
  await sharp(buf, { raw: { width, height: SHEET_ROWS.length * cell, channels: 1 } })
    .resize(width * 3, SHEET_ROWS.length * cell * 3, { kernel: 'nearest' })
    .png()
    .toFile(sheet);
  console.log(`contact sheet ${sheet}: rows ${SHEET_ROWS.map((p) => (p[0] === p[1] ? `${p[0]} right` : `${p[0]}>${p[1]}`)).join(', ')}`);
}
