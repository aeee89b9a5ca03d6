import { TILE } from '../../datasets/store';
import { toInput } from '../../imaging/network-input';
import type { OcrClassifier } from '../types';

/** Accuracy of a classifier on labeled tiles, overall and per class (label → correct / n). */
export interface TileScore {
  accuracy: number | null;
  n: number;
  perClass: Record<string, { correct: number; n: number }>;
}

export interface LabeledTile {
  /** The class character. */
  label: string;
  /** TILE×TILE pixels, 0..255, white on black (resized to the model's input). */
  px: Uint8Array;
}

const CHUNK = 1024;

/** Scores a classifier on tiles (labels outside its classes count as wrong). */
export async function scoreTiles(classifier: OcrClassifier, tiles: LabeledTile[]): Promise<TileScore> {
  const nc = classifier.classes.length;
  const perClass: TileScore['perClass'] = {};
  let correct = 0;
  for (let at = 0; at < tiles.length; at += CHUNK) {
    const part = tiles.slice(at, at + CHUNK);
    const side = classifier.inputSize;
    const batch = new Float32Array(part.length * side * side);
    part.forEach((t, i) => batch.set(toInput({ width: TILE, height: TILE, px: t.px }, side), i * side * side));
    const { probs } = await classifier.classify(batch, part.length);
    part.forEach((t, i) => {
      let best = 0;
      for (let c = 1; c < nc; c++) if (probs[i * nc + c]! > probs[i * nc + best]!) best = c;
      const ok = classifier.classes[best] === t.label;
      const e = (perClass[t.label] ??= { correct: 0, n: 0 });
      e.n++;
      if (ok) {
        e.correct++;
        correct++;
      }
    });
  }
  return { accuracy: tiles.length ? correct / tiles.length : null, n: tiles.length, perClass };
}

/** Per class: accuracy after minus before (classes present in both), largest gains and losses first. */
export function classChanges(before: TileScore, after: TileScore): { label: string; before: number; after: number; n: number }[] {
  return Object.keys(after.perClass)
    .filter((l) => before.perClass[l])
    .map((l) => ({ label: l, before: before.perClass[l]!.correct / before.perClass[l]!.n, after: after.perClass[l]!.correct / after.perClass[l]!.n, n: after.perClass[l]!.n }))
    .filter((c) => c.before !== c.after)
    .sort((a, b) => Math.abs(b.after - b.before) - Math.abs(a.after - a.before));
}
