// Renders printed characters 0-9 A-Z from freely licensed fonts (DejaVu, Liberation: Debian's
// fonts-dejavu-core and fonts-liberation2) as class folders of PNGs (black on white, jittered), for
// `glyphlab import --format folder`. The import normalizes them exactly as it does every other image.
//   node scripts/render-print-glyphs.mjs <outDir> [variantsPerFace=20] [seed=1]
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

const [outDir, variantsArg = '20', seedArg = '1'] = process.argv.slice(2);
if (!outDir) {
  console.error('usage: node scripts/render-print-glyphs.mjs <outDir> [variantsPerFace] [seed]');
  process.exit(2);
}
const variants = Number(variantsArg);
const CLASSES = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const FACES = [
  { family: 'DejaVu Sans' },
  { family: 'DejaVu Sans', stretch: 'condensed' },
  { family: 'DejaVu Sans Mono' },
  { family: 'DejaVu Serif' },
  { family: 'Liberation Sans' },
  { family: 'Liberation Sans Narrow' },
  { family: 'Liberation Serif' },
  { family: 'Liberation Mono' },
];
const WEIGHTS = ['normal', 'bold'];

let s = Number(seedArg) >>> 0 || 1;
const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
const sym = (a) => (rnd() * 2 - 1) * a;
const esc = (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c] ?? c;

function svg(ch, face, weight) {
  const size = 96;
  const fontSize = 44 + rnd() * 24;
  const angle = sym(4);
  const dx = sym(6);
  const dy = sym(6);
  const stroke = rnd() < 0.3 ? (rnd() * 2.5).toFixed(2) : '0';
  const gray = Math.round(rnd() * 60);
  const ink = `rgb(${gray},${gray},${gray})`;
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}">` +
      `<rect width="100%" height="100%" fill="white"/>` +
      `<text x="${size / 2 + dx}" y="${size / 2 + dy}" font-family="${face.family}" font-weight="${weight}"` +
      (face.stretch ? ` font-stretch="${face.stretch}"` : '') +
      ` font-size="${fontSize.toFixed(1)}" fill="${ink}" stroke="${ink}" stroke-width="${stroke}"` +
      ` text-anchor="middle" dominant-baseline="central" transform="rotate(${angle.toFixed(2)} ${size / 2} ${size / 2})">${esc(ch)}</text></svg>`,
  );
}

const t0 = Date.now();
let n = 0;
for (const ch of CLASSES) {
  const dir = path.join(outDir, ch);
  fs.mkdirSync(dir, { recursive: true });
  const jobs = [];
  for (const [fi, face] of FACES.entries()) {
    for (const weight of WEIGHTS) {
      for (let v = 0; v < variants; v++) {
        let img = sharp(svg(ch, face, weight)).flatten({ background: '#ffffff' }).greyscale();
        const blur = rnd();
        if (blur < 0.5) img = img.blur(0.3 + blur * 1.6);
        const file = path.join(dir, `f${fi}-${weight}-${v}.png`);
        jobs.push(img.png().toFile(file));
        n++;
      }
    }
  }
  await Promise.all(jobs);
}
console.log(`rendered ${n} printed glyphs (${FACES.length} faces x ${WEIGHTS.length} weights x ${variants} variants x ${CLASSES.length} classes) in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
