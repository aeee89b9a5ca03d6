// Renders the sample pages in resources/samples/ (small PNGs + their ground-truth text) so a new user can
// try OCR at once: `glyphlab ocr resources/samples/*.png`. Deterministic; fonts from Debian's
// fonts-dejavu-core and fonts-liberation2. Run: node scripts/render-samples.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const out = path.join(root, 'resources', 'samples');
fs.mkdirSync(out, { recursive: true });

let seed = 20261124;
const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** One <text> per line with the given font; or per character with jitter (handwriting-style). */
function page({ lines, font, size, weight = 'normal', style = 'normal', width, lineGap = 1.7, margin = 36, jitter = 0, grid = null, stroke = 0 }) {
  const height = Math.round(margin * 2 + lines.length * size * lineGap);
  const parts = [];
  lines.forEach((line, i) => {
    const y = Math.round(margin + size + i * size * lineGap);
    if (!jitter) {
      parts.push(`<text x="${margin}" y="${y}">${esc(line)}</text>`);
      return;
    }
    let x = margin;
    for (const ch of line) {
      const adv = size * (ch === ' ' ? 0.55 : 0.72 + 0.1 * rnd());
      if (ch !== ' ') {
        const dy = (rnd() - 0.5) * jitter * size * 0.12;
        const rot = (rnd() - 0.5) * jitter * 10;
        const s = size * (1 + (rnd() - 0.5) * jitter * 0.15);
        parts.push(`<text x="${x.toFixed(1)}" y="${(y + dy).toFixed(1)}" font-size="${s.toFixed(1)}" transform="rotate(${rot.toFixed(1)} ${x.toFixed(1)} ${y})">${esc(ch)}</text>`);
      }
      x += adv;
    }
  });
  if (grid) parts.push(grid);
  const strokeAttr = stroke ? ` stroke="#222" stroke-width="${stroke}" stroke-linejoin="round"` : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#fbfaf6"/><g font-family="${font}" font-size="${size}" font-weight="${weight}" font-style="${style}" fill="#222"${strokeAttr}>${parts.join('')}</g></svg>`;
}

/** A 9x9 digit grid (a sudoku-like form): lines and the digits centred in their cells. */
function gridPage(rows, cell = 34, margin = 20) {
  const n = rows.length;
  const parts = [];
  for (let i = 0; i <= n; i++) {
    const w = i % 3 === 0 ? 3 : 1;
    parts.push(`<rect x="${margin}" y="${margin + i * cell - (w >> 1)}" width="${n * cell}" height="${w}" fill="#111"/>`);
    parts.push(`<rect x="${margin + i * cell - (w >> 1)}" y="${margin}" width="${w}" height="${n * cell}" fill="#111"/>`);
  }
  rows.forEach((row, r) =>
    [...row].forEach((d, c) => {
      if (d !== '0') parts.push(`<text x="${margin + c * cell + cell / 2}" y="${margin + r * cell + cell * 0.78}" text-anchor="middle">${d}</text>`);
    }),
  );
  const side = margin * 2 + n * cell;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${side}" height="${side}"><rect width="100%" height="100%" fill="#ffffff"/><g font-family="Liberation Sans" font-size="${Math.round(cell * 0.72)}" fill="#111">${parts.join('')}</g></svg>`;
}

const sudoku = ['530070000', '600195000', '098000060', '800060003', '400803001', '700020006', '060000280', '000419005', '000080079'];

const samples = [
  {
    name: 'printed-dejavu',
    about: 'Printed, DejaVu Sans, straight.',
    svg: page({ lines: ['INVOICE 2041 NORTH DEPOT', 'ITEM 7 QTY 35 PRICE 180', 'DELIVER BY JUNE 9 2026'], font: 'DejaVu Sans', size: 26, width: 520 }),
    text: ['INVOICE 2041 NORTH DEPOT', 'ITEM 7 QTY 35 PRICE 180', 'DELIVER BY JUNE 9 2026'],
  },
  {
    name: 'printed-serif-skewed',
    about: 'Printed, Liberation Serif, rotated 2.5 degrees (the reader straightens it).',
    svg: page({ lines: ['CHAPTER 12 THE HARBOUR', 'ROOM 48 FLOOR 3 WEST', 'OPEN 9 TO 17 DAILY'], font: 'Liberation Serif', size: 28, width: 520 }),
    text: ['CHAPTER 12 THE HARBOUR', 'ROOM 48 FLOOR 3 WEST', 'OPEN 9 TO 17 DAILY'],
    rotate: 2.5,
  },
  {
    name: 'handwriting-style',
    about: 'Handwriting-style: DejaVu Sans Oblique with a pen-like stroke, each character jittered in size, angle and baseline (no script font ships with Debian here).',
    svg: page({ lines: ['MEET AT 7 PM', 'GATE B 14', 'CALL 5550 1983'], font: 'DejaVu Sans', style: 'oblique', size: 30, width: 420, jitter: 1, stroke: 1.2 }),
    text: ['MEET AT 7 PM', 'GATE B 14', 'CALL 5550 1983'],
  },
  {
    name: 'form-grid',
    about: 'Printed digits in a 9x9 grid (Liberation Sans); the grid lines are removed before reading. Ground truth: the digits of each row, empty cells omitted (compare ignoring spaces: gaps between cells vary).',
    svg: gridPage(sudoku),
    text: sudoku.map((r) => [...r].filter((d) => d !== '0').join('')),
  },
];

const readme = ['# Sample pages', '', 'Rendered by `node scripts/render-samples.mjs` (do not edit by hand). Each `NAME.png` has its ground truth in `NAME.txt`, one line per text line.', '', 'Try: `glyphlab ocr resources/samples/printed-dejavu.png` (or `--format json|hocr|alto`).', ''];
for (const s of samples) {
  let img = sharp(Buffer.from(s.svg)).flatten({ background: '#ffffff' });
  if (s.rotate) img = sharp(await img.png().toBuffer()).rotate(s.rotate, { background: '#fbfaf6' });
  await img.grayscale().png({ compressionLevel: 9, palette: false }).toFile(path.join(out, `${s.name}.png`));
  fs.writeFileSync(path.join(out, `${s.name}.txt`), s.text.join('\n') + '\n');
  readme.push(`- \`${s.name}.png\`: ${s.about}`);
}
fs.writeFileSync(path.join(out, 'README.md'), readme.join('\n') + '\n');
console.log(`samples: ${samples.length} pages in ${path.relative(root, out)}`);
