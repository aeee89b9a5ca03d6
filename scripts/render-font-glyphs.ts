// Renders 0-9 A-Z from the installed font faces (scripts/install-font-packages.sh) as 28 px white-on-black
// tiles in class folders, for `glyphlab import --format folder` (28 px tiles are imported pixel for pixel).
// Every tile goes through scripts/glyph-augment.ts, which makes it exactly as the OCR pipeline makes its tiles.
//   npx vite-node scripts/render-font-glyphs.ts <outDir> [--set train|holdout|bench] [--variants N]
//     [--hw-variants N] [--per-family K] [--seed S] [--sheet FILE.png]
// train: the allow-listed print and handwriting families of main/core/datasets/fonts.ts (each face is checked
// against the deny list again right before it is rendered); holdout: our own held-out families, written in
// two folders <outDir>/print and <outDir>/handwriting; bench: Noto and FreeFont, for evaluation only.
// A face whose family fontconfig does not resolve (it renders like a made-up family name) is skipped.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { assertTrainable } from '../main/core/datasets/fonts';
import { selectFaces, type Face } from './font-faces';
import { augmentedTile, trimInk, type Ink } from './glyph-augment';

const CLASSES = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const argv = process.argv.slice(2);
const opt = (name: string, def: string): string => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1]! : def;
};
const outDir = argv[0];
if (!outDir || outDir.startsWith('--')) {
  console.error('usage: npx vite-node scripts/render-font-glyphs.ts <outDir> [--set train|holdout|bench] [--variants N] [--hw-variants N] [--per-family K] [--seed S] [--sheet FILE]');
  process.exit(2);
}
const set = opt('set', 'train') as 'train' | 'holdout' | 'bench';
if (!['train', 'holdout', 'bench'].includes(set)) throw new Error(`--set ${set}: expected train, holdout or bench`);
const variants = Number(opt('variants', '12'));
const hwVariants = Number(opt('hw-variants', String(variants * 2)));
const perFamily = Number(opt('per-family', '4'));
const sheetFile = opt('sheet', '');
let seed = Number(opt('seed', '1')) >>> 0 || 1;
const rnd = (): number => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);

async function master(face: Face, ch: string, family = face.family): Promise<Ink | null> {
  const { data, info } = await sharp({ text: { text: ch, font: `${family} ${face.style} 64`, fontfile: face.file, dpi: 72, rgba: true } })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const v = new Float32Array(info.width * info.height);
  for (let i = 0; i < v.length; i++) v[i] = data[i * info.channels + 3]! / 255;
  return trimInk({ v, w: info.width, h: info.height });
}

// fontconfig's own default face (what an unknown family renders as): a face of that family resolves to itself.
const fallbackFamily = execFileSync('fc-match', ['-f', '%{family[0]}', 'Zzz Not A Font'], { encoding: 'utf8' }).trim();
const same = (a: Ink | null, b: Ink | null): boolean =>
  !!a && !!b && a.w === b.w && a.h === b.h && a.v.every((x, i) => Math.abs(x - b.v[i]!) < 0.01);

const faces = selectFaces(set, perFamily);
const used: (Face & { kind: string })[] = [];
const sheet: Uint8Array[] = [];
const t0 = Date.now();
let n = 0;
for (const [fi, face] of faces.entries()) {
  const kind = set === 'train' ? assertTrainable(face.family, face.file) : face.use === 'holdout-handwriting' ? 'handwriting' : 'print';
  const probe = await master(face, 'R');
  if (!probe || (face.family !== fallbackFamily && same(probe, await master(face, 'R', 'Zzz Not A Font')))) {
    console.error(`skipped ${face.family} ${face.style} (${face.file}): fontconfig does not resolve it`);
    continue;
  }
  used.push({ ...face, kind });
  const dir = set === 'train' ? outDir : path.join(outDir, kind);
  const count = kind === 'handwriting' ? hwVariants : variants;
  const masters = await Promise.all([...CLASSES].map((ch) => master(face, ch)));
  const writes: Promise<unknown>[] = [];
  for (const [ci, ch] of [...CLASSES].entries()) {
    const m = masters[ci];
    if (!m) continue;
    fs.mkdirSync(path.join(dir, ch), { recursive: true });
    for (let v = 0; v < count; v++) {
      const tile = augmentedTile(m, rnd);
      if (!tile) continue;
      if (sheet.length < 36 * 24 && v === 0 && fi % Math.max(1, Math.floor(faces.length / 24)) === 0) sheet.push(tile);
      writes.push(sharp(Buffer.from(tile), { raw: { width: 28, height: 28, channels: 1 } }).png().toFile(path.join(dir, ch, `${fi}-${v}.png`)));
      n++;
    }
  }
  await Promise.all(writes);
}
fs.writeFileSync(`${outDir.replace(/\/$/, '')}.faces.json`, `${JSON.stringify(used.map(({ family, style, file, kind }) => ({ family, style, file, kind })), null, 1)}\n`);
if (sheetFile && sheet.length) {
  const cols = 36;
  const rows = Math.ceil(sheet.length / cols);
  const px = Buffer.alloc(cols * 28 * rows * 28);
  sheet.forEach((t, i) => {
    const ox = (i % cols) * 28;
    const oy = Math.floor(i / cols) * 28;
    for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) px[(oy + y) * cols * 28 + ox + x] = t[y * 28 + x]!;
  });
  await sharp(px, { raw: { width: cols * 28, height: rows * 28, channels: 1 } }).png().toFile(sheetFile);
}
const families = new Set(used.map((f) => f.family)).size;
console.log(`rendered ${n} glyphs from ${used.length} faces of ${families} families (${set}) in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
