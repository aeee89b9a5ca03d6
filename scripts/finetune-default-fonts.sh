#!/usr/bin/env bash
# Fine-tunes a default model on many print and handwriting fonts while replaying EMNIST36, so it reads
# unfamiliar print and other writers without losing EMNIST accuracy (issue 22):
#   1. scripts/install-font-packages.sh (Debian font packages; held-out families are refused by name in
#      main/core/datasets/fonts.ts, whatever a package brings),
#   2. a fresh database: EMNIST36 train + test (../shared/data/emnist36) and 0-9 A-Z rendered from every
#      allow-listed face (scripts/render-font-glyphs.ts: up to 3 styles per family, 7 augmented tiles per
#      print glyph, 24 per handwriting glyph, made as the OCR pipeline makes its tiles),
#   3. `glyphlab train --init <model>`: same network, 2 epochs at a low rate, test metrics = EMNIST36 test,
#   4. scripts/finish-default-model.mjs, then the held-out font figures (bench/font-holdout.ts).
# The result is left in <workDir>/model-fonts; scripts/train-default-model.sh copies it into resources.
# Usage: scripts/finetune-default-fonts.sh <initModelDir> [workDir (default .tmp/default-model-fonts)] [--reuse-db]
# Runs under `nice -n 10`. On 2 shared cores: ~5 min to import EMNIST, ~2 min to render ~94,600 font tiles,
# ~4 min to import them, ~22 min to train (263k samples an epoch, 370-480 samples/s).
# Measured (2026-12-03, from the bundled model): EMNIST36 test 94.10% -> 94.11% strict; held-out print
# 93.75% -> 97.18%, held-out handwriting fonts 76.76% -> 83.74% (bench/font-holdout.ts). Two more epochs
# from that model (lr 0.0003, cosine) gained ~0.1-1 point on the held-out fonts but fell to 93.95% on
# EMNIST36 test (more O/I read for 0/1), so the recipe stops here.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
init="${1:?usage: finetune-default-fonts.sh <initModelDir> [workDir] [--reuse-db]}"
work="${2:-$root/.tmp/default-model-fonts}"
reuse="${3:-}"
data="$root/../shared/data/emnist36"
cli=(nice -n 10 node "$root/bin/glyphlab.js")
[ -d "$data" ] || { echo "no EMNIST36 at $data" >&2; exit 1; }
[ -f "$init/metadata.json" ] || { echo "no model at $init (metadata.json missing)" >&2; exit 1; }
mkdir -p "$work"
if [ "$(id -u)" = 0 ]; then "$root/scripts/install-font-packages.sh"; else echo "not root: using the fonts already installed" >&2; fi
if [ "$reuse" != "--reuse-db" ] || [ ! -f "$work/fonts.db" ]; then
  rm -rf "$work/fonts.db" "$work/fonts.db-wal" "$work/fonts.db-shm" "$work/fonts"
  "${cli[@]}" import --db "$work/fonts.db" --split train "$data/train-images-idx3-ubyte.gz" --json
  "${cli[@]}" import --db "$work/fonts.db" --split test "$data/test-images-idx3-ubyte.gz" --json
  (cd "$root" && nice -n 10 npx vite-node scripts/render-font-glyphs.ts "$work/fonts" --set train --per-family 3 \
    --variants 7 --hw-variants 24 --seed 11 --sheet "$work/fonts-sheet.png")
  "${cli[@]}" import --db "$work/fonts.db" --split train --format folder "$work/fonts" --json
fi
rm -rf "$work/model-fonts"
"${cli[@]}" train --db "$work/fonts.db" --out "$work/model-fonts" --name "default (EMNIST36 + print + fonts)" --init "$init" \
  --epochs 2 --batch 128 --lr 0.0005 --patience 1 --balance none --val-fraction 0.03 --seed 3 \
  --model '{"filters":[24,48,96],"dense":[256,128],"dropout":0.3}' \
  --augment '{"rotation":4,"shift":0.04,"scale":0.06,"thickness":0.1,"noise":0.01}' \
  --backend wasm --json | tee "$work/train-fonts.jsonl"
fonts='then fine-tuned on 0-9 A-Z from ~140 print and handwriting font families of Debian packages (scripts/install-font-packages.sh; URW base-35 and derivatives, Noto and our own held-out families refused by name in main/core/datasets/fonts.ts), made as OCR tiles (scripts/glyph-augment.ts), with EMNIST36 train replayed'
before="$(node -e 'const m=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));process.stdout.write(m.provenance?.data??"")' "$init/metadata.json")"
node "$root/scripts/finish-default-model.mjs" "$work/model-fonts" "$init" --init-name "$(node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).name)' "$init/metadata.json")" \
  --data "${before:+$before; }$fonts"
(cd "$root" && nice -n 10 npx vite-node bench/font-holdout.ts --model "$work/model-fonts" --work "$work") || true
echo "fine-tuned model in $work/model-fonts"
