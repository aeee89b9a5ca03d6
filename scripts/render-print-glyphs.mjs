// Renders printed characters 0-9 A-Z from freely licensed fonts (DejaVu, Liberation: Debian's
// fonts-dejavu-core and fonts-liberation2) as class folders of PNGs (black on white, jittered), for
// `glyphlab import --format folder`. The import normalizes them exactly as it does every other image.
//   node scripts/render-print-glyphs.mjs <outDir> [variantsPerFace=20] [seed=1] [--degraded]
// --degraded: print as a camera sees it on a sign or a licence plate: squeezed or widened (x 0.55-1.15),
// thin (ExtraLight) to bold strokes, rendered small (16-40 px tall) and blurred, then mostly thresholded
// at a random level, as the OCR pipeline binarizes a photo before it crops the characters.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

const args = process.argv.slice(2).filter((a) => a !== '--degraded');
const degraded = process.argv.includes('--degraded');
const [outDir, variantsArg = '20', seedArg = '1'] = args;
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
const DEGRADED_FACES = [
  ...FACES,
  { family: 'DejaVu Sans', weight: '200' },
  { family: 'DejaVu Serif', stretch: 'condensed' },
  { family: 'Liberation Sans Narrow', style: 'italic' },
];
const WEIGHTS = ['normal', 'bold'];

let s = Number(seedArg) >>> 0 || 1;
const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
const sym = (a) => (rnd() * 2 - 1) * a;
const esc = (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c] ?? c;

function svg(ch, face, weight, squeeze = 1) {
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
      (face.style ? ` font-style="${face.style}"` : '') +
      ` text-anchor="middle" dominant-baseline="central" transform="rotate(${angle.toFixed(2)} ${size / 2} ${size / 2})` +
      (squeeze !== 1 ? ` translate(${size / 2} 0) scale(${squeeze.toFixed(3)} 1) translate(${-size / 2} 0)` : '') +
      `">${esc(ch)}</text></svg>`,
  );
}

/** Small, soft and thresholded: the character as the OCR pipeline crops it from a photo. */
async function degrade(png) {
  const height = Math.round(16 + rnd() * 24);
  let img = sharp(png).resize({ height: Math.round((96 * height) / 48), kernel: 'linear' });
  if (rnd() < 0.6) img = img.blur(0.3 + rnd() * 0.9);
  if (rnd() < 0.8) img = img.threshold(Math.round(130 + rnd() * 80));
  return img.png().toBuffer();
}

const faces = degraded ? DEGRADED_FACES : FACES;
const t0 = Date.now();
let n = 0;
for (const ch of CLASSES) {
  const dir = path.join(outDir, ch);
  fs.mkdirSync(dir, { recursive: true });
  const jobs = [];
  for (const [fi, face] of faces.entries()) {
    for (const weight of face.weight ? [face.weight] : WEIGHTS) {
      for (let v = 0; v < variants; v++) {
        const squeeze = degraded ? 0.55 + rnd() * 0.6 : 1;
        let img = sharp(svg(ch, face, weight, squeeze)).flatten({ background: '#ffffff' }).greyscale();
        const blur = rnd();
        if (!degraded && blur < 0.5) img = img.blur(0.3 + blur * 1.6);
        const file = path.join(dir, `${degraded ? 'd' : 'f'}${fi}-${weight}-${v}.png`);
        jobs.push(degraded ? img.png().toBuffer().then(degrade).then((b) => fs.promises.writeFile(file, b)) : img.png().toFile(file));
        n++;
      }
    }
  }
  await Promise.all(jobs);
}
console.log(`rendered ${n} printed glyphs (${faces.length} faces, ${variants} variants per face and weight, ${CLASSES.length} classes${degraded ? ', degraded' : ''}) in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
