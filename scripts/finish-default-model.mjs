// Adds the default model's provenance figures to its metadata.json (after `glyphlab train`):
// the EMNIST36 test accuracy (the database's test split is exactly EMNIST36 test), the time to reach
// 90% validation accuracy from scratch, and the folder size (must stay under 5 MB).
//   node scripts/finish-default-model.mjs <modelDir> [fromScratchModelDir]
// A fine-tuned model's own history starts from trained weights: the time to 90% is then read from the
// history of the from-scratch model it was fine-tuned from (fromScratchModelDir).
import fs from 'node:fs';
import path from 'node:path';

// --init-name NAME: config.initFrom (the folder this run was fine-tuned from) is written as NAME, not as
// this machine's absolute path. --data TEXT: the provenance's data sentence.
const argv = process.argv.slice(2);
const flag = (name) => {
  const i = argv.indexOf(name);
  if (i < 0) return undefined;
  const v = argv[i + 1];
  argv.splice(i, 2);
  return v;
};
const initName = flag('--init-name');
const dataText = flag('--data');
const [dir, scratchDir] = argv;
if (!dir) {
  console.error('usage: node scripts/finish-default-model.mjs <modelDir>');
  process.exit(2);
}
const file = path.join(dir, 'metadata.json');
const meta = JSON.parse(fs.readFileSync(file, 'utf8'));
const scratch = scratchDir ? JSON.parse(fs.readFileSync(path.join(scratchDir, 'metadata.json'), 'utf8')) : meta;
// A model fine-tuned from a fine-tuned model: the from-scratch figure is already in its metadata.
const inherited = scratchDir ? scratch.metrics?.timeTo90ValAccuracy : null;
const history = scratch.history ?? [];
let elapsed = 0;
let timeTo90 = null;
for (const h of history) {
  elapsed += h.seconds;
  if (timeTo90 === null && (h.valAccuracy ?? 0) >= 0.9) timeTo90 = { epoch: h.epoch, seconds: Math.round(elapsed) };
}
const bytes = fs.readdirSync(dir).reduce((a, f) => a + fs.statSync(path.join(dir, f)).size, 0);
const test = meta.metrics?.test;
meta.metrics = {
  ...meta.metrics,
  emnist36Test: test ? { accuracy: test.accuracy, samples: test.samples, source: '../shared/data/emnist36 test-*-idx*-ubyte.gz' } : null,
  timeTo90ValAccuracy: inherited?.fromScratch ? inherited : timeTo90 && { ...timeTo90, samplesPerSec: Math.round(history[timeTo90.epoch - 1].samplesPerSec), backend: scratch.backend, fromScratch: true },
};
if (meta.config?.initFrom) meta.config.initFrom = initName ?? path.basename(meta.config.initFrom);
meta.provenance = {
  script: 'scripts/train-default-model.sh',
  data: dataText ?? 'EMNIST36 train (digits + uppercase, lowercase merged; Cohen et al. 2017, from NIST SD19) + printed 0-9 A-Z rendered from DejaVu and Liberation fonts; then fine-tuned with printed glyphs degraded as photos show them (squeezed, small, blurred, thresholded)',
  sizeBytes: bytes,
};
fs.writeFileSync(file, `${JSON.stringify(meta, null, 1)}\n`);
console.log(
  JSON.stringify({ testAccuracy: test?.accuracy ?? null, timeTo90, sizeBytes: bytes, epochs: history.length }),
);
if (bytes > 5 * 1024 * 1024) {
  console.error(`model folder is ${bytes} bytes: over the 5 MB budget`);
  process.exit(1);
}
