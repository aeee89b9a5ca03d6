/**
 * Builds resources/replay/base-tiles.bin.gz: a compact sample of the bundled model's training data for
 * `glyphlab improve` (replayed while fine-tuning so the model keeps what it knew) and test tiles to
 * check that it did. Tiles are the dataset's canonical 28x28 (white ink on black), as the base model
 * saw them:
 *   - EMNIST36 train (../shared/data/emnist36) and printed glyphs rendered from DejaVu and Liberation
 *     (scripts/render-print-glyphs.mjs, plain and --degraded, the fonts the base model was trained on)
 *     for the replay part;
 *   - EMNIST36 test and print rendered with another seed for the test part.
 *   npx vite-node scripts/build-replay-set.ts [--emnist-train 100] [--print-train 50] [--emnist-test 50] [--print-test 20]
 * (per class counts). Format: see main/core/ocr/learn/replay.ts.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readIdx } from '../main/core/datasets/import/idx';
import { decodeToTile } from '../main/core/datasets/import/images';
import { writeReplaySet, type ReplayTile } from '../main/core/ocr/learn/replay';
import { Rng } from '../main/core/training/rng';

const CLASSES = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const root = path.resolve(__dirname, '..');
const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const rng = new Rng(19);

async function emnist(split: 'train' | 'test', perClass: number): Promise<ReplayTile[]> {
  const dir = path.join(root, '..', 'shared', 'data', 'emnist36');
  const images = await readIdx(path.join(dir, `${split}-images-idx3-ubyte.gz`), 3);
  const labels = await readIdx(path.join(dir, `${split}-labels-idx1-ubyte.gz`), 1);
  const mapping = new Map(
    fs.readFileSync(path.join(dir, 'mapping.txt'), 'utf8').trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number) as [number, number]),
  );
  const byClass: number[][] = Array.from({ length: CLASSES.length }, () => []);
  for (let i = 0; i < images.complete; i++) {
    const c = CLASSES.indexOf(String.fromCharCode(mapping.get(labels.data[i]!) ?? 0));
    if (c >= 0) byClass[c]!.push(i);
  }
  return byClass.flatMap((list, c) =>
    rng.shuffle(list).slice(0, perClass).map((i) => ({ y: c, px: Uint8Array.from(images.data.subarray(i * 784, (i + 1) * 784)) })),
  );
}

async function print(seed: number, perClass: number): Promise<ReplayTile[]> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-print-'));
  try {
    execFileSync('node', [path.join(root, 'scripts/render-print-glyphs.mjs'), path.join(tmp, 'plain'), '2', String(seed)], { stdio: 'ignore' });
    execFileSync('node', [path.join(root, 'scripts/render-print-glyphs.mjs'), path.join(tmp, 'degraded'), '2', String(seed + 1), '--degraded'], { stdio: 'ignore' });
    const out: ReplayTile[] = [];
    for (const [c, ch] of [...CLASSES].entries()) {
      const files = ['plain', 'degraded'].flatMap((k) => {
        const d = path.join(tmp, k, ch);
        return fs.existsSync(d) ? fs.readdirSync(d).map((f) => path.join(d, f)) : [];
      });
      for (const f of rng.shuffle(files).slice(0, perClass)) out.push({ y: c, px: (await decodeToTile(fs.readFileSync(f))).px });
    }
    return out;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

const train = [...(await emnist('train', arg('emnist-train', 100))), ...(await print(31, arg('print-train', 50)))];
const test = [...(await emnist('test', arg('emnist-test', 50))), ...(await print(41, arg('print-test', 20)))];
const out = path.join(root, 'resources', 'replay', 'base-tiles.bin.gz');
fs.mkdirSync(path.dirname(out), { recursive: true });
const bytes = writeReplaySet(out, { classes: CLASSES, train, test });
console.log(`${out}: ${train.length} replay tiles, ${test.length} test tiles, ${(bytes / 1e6).toFixed(2)} MB`);
