/**
 * "Unfamiliar print / other writers" proxy for the default model: accuracy on 0-9 A-Z rendered from font
 * families no training run sees (main/core/datasets/fonts.ts HOLDOUT_PRINT and HOLDOUT_HANDWRITING), and from
 * the project's OCR bench fonts (Noto Sans/Serif, FreeSans/Serif/Mono: denied for training), all made by
 * scripts/render-font-glyphs.ts exactly as the training tiles are. Strict, and with the look-alike groups
 * 0/O, 1/I/L, 5/S, 2/Z counted as one class, plus the most frequent confusions. Prints figures; not a test.
 *
 *   npx vite-node bench/font-holdout.ts [--model DIR ...] [--work DIR (default .tmp/font-holdout)]
 *
 * The tiles are rendered into --work on first use (fixed seeds), so every model is scored on the same ones.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { readFileSource } from '../main/core/evaluation/file-source';
import { loadClassifier } from '../main/core/ml/inference';
import { ROOT } from './ocr-bench-util';

const GROUPS = ['0O', '1IL', '5S', '2Z'];
const argv = process.argv.slice(2);
const models: string[] = [];
let work = path.join(ROOT, '.tmp/font-holdout');
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--model' && argv[i + 1]) models.push(path.resolve(argv[++i]!));
  else if (argv[i] === '--work' && argv[i + 1]) work = path.resolve(argv[++i]!);
}
if (!models.length) models.push(path.join(ROOT, 'resources/models/default'));

function render(dir: string, set: 'holdout' | 'bench', variants: string, seed: string): void {
  if (fs.existsSync(dir)) return;
  const args = ['vite-node', 'scripts/render-font-glyphs.ts', dir, '--set', set, '--variants', variants, '--hw-variants', String(2 * Number(variants)), '--seed', seed];
  execFileSync('npx', args, { cwd: ROOT, stdio: 'inherit' });
}
render(path.join(work, 'hold'), 'holdout', '10', '101');
render(path.join(work, 'bench'), 'bench', '5', '202');
const SETS: [string, string][] = [
  ['held-out print (Lato, Caladea, JetBrains Mono)', path.join(work, 'hold', 'print')],
  ['held-out handwriting (DkgHandwriting, Because We Learn)', path.join(work, 'hold', 'handwriting')],
  ['bench fonts (Noto Sans/Serif, FreeSans/Serif/Mono)', path.join(work, 'bench', 'print')],
];

const group = (c: string): string => GROUPS.find((g) => g.includes(c)) ?? c;
for (const modelDir of models) {
  const clf = await loadClassifier(modelDir);
  console.log(`model ${path.relative(ROOT, modelDir) || modelDir}`);
  for (const [name, dir] of SETS) {
    const source = await readFileSource([dir], clf.classes);
    const n = source.items.length;
    const { probs } = await clf.classify(await source.pixels(0, n, clf.inputSize), n);
    const C = clf.classes.length;
    let strict = 0;
    let merged = 0;
    const conf = new Map<string, number>();
    source.items.forEach((it, i) => {
      let p = 0;
      for (let c = 1; c < C; c++) if (probs[i * C + c]! > probs[i * C + p]!) p = c;
      const t = clf.classes[it.label]!;
      const q = clf.classes[p]!;
      if (p === it.label) strict++;
      else conf.set(`${t}>${q}`, (conf.get(`${t}>${q}`) ?? 0) + 1);
      if (group(t) === group(q)) merged++;
    });
    const top = [...conf].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => `${k} ${v}`).join(', ');
    console.log(`  ${name}: ${n} tiles, strict ${((100 * strict) / n).toFixed(2)}%, merged ${((100 * merged) / n).toFixed(2)}%; top errors: ${top}`);
  }
  await clf.dispose();
}
