/**
 * The learning loop on handwriting the bundled model was not trained on: EMNIST36 test glyphs (the
 * model saw only EMNIST train) composed into 6-character words, one word per image. Learn from the
 * transcripts of the first --learn words (`glyphlab learn`), improve (`glyphlab improve`), then read
 * --read other words (made of other test glyphs) before and after (`glyphlab ocr --profile plate`: letters
 * and digits, no word model, as these words are random).
 *
 *   nice -n 10 npx vite-node bench/learning-loop-handwriting.ts [--learn 150] [--read 300] [--epochs 4]
 * Needs ../shared/data/emnist36 and the built CLI (node scripts/build.mjs main).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { readIdx } from '../main/core/datasets/import/idx';
import { Rng } from '../main/core/training/rng';
import { arg, editDistance, pct, requireData, ROOT } from './ocr-bench-util';

const CLASSES = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const CLI = path.join(ROOT, 'bin', 'glyphlab.js');
const glyphlab = (args: string[]) => execFileSync('node', [CLI, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
const lastJson = <T>(out: string): T => JSON.parse(out.trim().split('\n').pop()!) as T;

const dir = requireData('emnist36');
const images = await readIdx(path.join(dir, 'test-images-idx3-ubyte.gz'), 3);
const labels = await readIdx(path.join(dir, 'test-labels-idx1-ubyte.gz'), 1);
const mapping = new Map(fs.readFileSync(path.join(dir, 'mapping.txt'), 'utf8').trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number) as [number, number]));
const nLearn = Number(arg('learn', '150'));
const nRead = Number(arg('read', '300'));
const rng = new Rng(5);
// Glyphs by class: even test indexes for the learned words, odd ones for the read ones (the file is ordered by class kind).
const pools = [0, 1].map((h) => {
  const byClass: number[][] = Array.from({ length: CLASSES.length }, () => []);
  for (let i = h; i < images.complete; i += 2) {
    const c = CLASSES.indexOf(String.fromCharCode(mapping.get(labels.data[i]!) ?? 0));
    if (c >= 0) byClass[c]!.push(i);
  }
  return byClass;
});

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'learning-loop-hw-'));
async function word(pool: number[][], file: string): Promise<string> {
  const chars = Array.from({ length: 6 }, () => rng.int(CLASSES.length));
  const scale = 2;
  const w = 28 * chars.length + 40;
  const h = 28 + 40;
  const px = new Uint8Array(w * h).fill(255);
  chars.forEach((c, k) => {
    const list = pool[c]!;
    const i = list[rng.int(list.length)]!;
    for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) px[(20 + y) * w + 20 + k * 28 + x] = 255 - images.data[i * 784 + y * 28 + x]!;
  });
  await sharp(Buffer.from(px), { raw: { width: w, height: h, channels: 1 } }).resize(w * scale, h * scale).png().toFile(file);
  return chars.map((c) => CLASSES[c]).join('');
}

const learnItems: { file: string; text: string }[] = [];
const readItems: { file: string; text: string }[] = [];
for (let i = 0; i < nLearn; i++) {
  const file = path.join(work, `learn-${i}.png`);
  learnItems.push({ file, text: await word(pools[0]!, file) });
}
for (let i = 0; i < nRead; i++) {
  const file = path.join(work, `read-${i}.png`);
  readItems.push({ file, text: await word(pools[1]!, file) });
}
const csv = path.join(work, 'transcripts.csv');
fs.writeFileSync(csv, learnItems.map((it) => `${path.basename(it.file)},${it.text}`).join('\n'));

function read(model: string | null): { exact: number; cer: number } {
  const out = glyphlab(['ocr', ...readItems.map((r) => r.file), '--profile', 'plate', ...(model ? ['--model', model] : [])]);
  const got = new Map<string, string>();
  let cur = '';
  for (const line of out.split('\n')) {
    const m = /^==> (.*) <==$/.exec(line);
    if (m) cur = m[1]!;
    else if (cur) got.set(cur, (got.get(cur) ?? '') + line.replace(/[^0-9A-Z]/g, ''));
  }
  let exact = 0;
  let errors = 0;
  for (const r of readItems) {
    const g = got.get(r.file) ?? '';
    if (g === r.text) exact++;
    errors += editDistance(g, r.text);
  }
  return { exact: exact / readItems.length, cer: errors / (readItems.length * 6) };
}

const db = path.join(work, 'g.db');
console.log(`handwriting: ${nLearn} words learned, ${nRead} other words read (EMNIST36 test glyphs, 6 per word)`);
const before = read(null);
console.log(`bundled model: words exact ${pct(before.exact)}, CER ${pct(before.cer)}`);
const l = lastJson<{ samples: number; unaligned: number }>(glyphlab(['learn', ...learnItems.map((i) => i.file), '--transcripts', csv, '--db', db, '--profile', 'plate', '--json']));
console.log(`learn: ${l.samples} samples, ${l.unaligned} characters unaligned of ${nLearn * 6}`);
const out = path.join(work, 'model');
const imp = lastJson<{ base: { before: number; after: number }; documents: { before: number; after: number }; activated: boolean }>(
  glyphlab(['improve', '--db', db, '--out', out, '--from', path.join(ROOT, 'resources', 'models', 'default'), '--epochs', arg('epochs', '4')!, '--json']),
);
console.log(`improve: base ${pct(imp.base.before)} -> ${pct(imp.base.after)}, held-back glyphs ${pct(imp.documents.before)} -> ${pct(imp.documents.after)}, ${imp.activated ? 'activated' : 'not activated'}`);
const after = read(out);
console.log(`improved model: words exact ${pct(after.exact)}, CER ${pct(after.cer)}`);
fs.rmSync(work, { recursive: true, force: true });
