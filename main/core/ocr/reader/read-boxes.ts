import type { OcrBox, OcrCharResult, ReadingProfile } from '../../../common/contract/ocr';
import { encodeGrayPng } from '../../imaging/png';
import { tighten, type Glyph } from '../segment';
import { glyphTile } from '../tiles';
import type { ReadState } from '../recognize';
import { allowedClasses } from './profiles';
import { topAllowed } from './read-lines';

/**
 * Classifies the ink inside boxes of a remembered page (boxes the person drew by splitting or merging):
 * each box takes the page's ink components that fall in it, clipped to the box's columns.
 */
export async function readBoxes(state: ReadState, boxes: OcrBox[], profile: ReadingProfile, crops: boolean): Promise<OcrCharResult[]> {
  const { lab } = state.layout;
  const size = state.classifier.inputSize;
  const glyphs: Glyph[] = boxes.map(([bx, by, bw, bh]) => {
    const x0 = Math.max(0, Math.floor(bx));
    const y0 = Math.max(0, Math.floor(by));
    const x1 = Math.min(lab.width, Math.ceil(bx + bw));
    const y1 = Math.min(lab.height, Math.ceil(by + bh));
    const labels = new Set<number>();
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (lab.labels[y * lab.width + x]) labels.add(lab.labels[y * lab.width + x]!);
    return tighten({ x0, y0, x1: Math.max(x0, x1), y1: Math.max(y0, y1), labels: [...labels], clipX0: x0, clipX1: x1 }, lab);
  });
  const tiles = glyphs.map((g) => (g.x1 > g.x0 && g.labels.length ? glyphTile(g, lab, size) : new Uint8Array(size * size)));
  const batch = new Float32Array(tiles.length * size * size);
  tiles.forEach((t, i) => t.forEach((v, k) => (batch[i * size * size + k] = v / 255)));
  const cls = await state.classifier.classify(batch, tiles.length);
  const nc = state.classifier.classes.length;
  const allowed = allowedClasses(profile, state.classifier.classes);
  return glyphs.map((g, i) => {
    const empty = !(g.x1 > g.x0 && g.labels.length);
    const alternatives = empty ? [] : topAllowed(cls.probs.subarray(i * nc, (i + 1) * nc), state.classifier.classes, allowed, 3);
    const box: OcrBox = empty ? boxes[i]! : [g.x0, g.y0, g.x1 - g.x0, g.y1 - g.y0];
    const r: OcrCharResult = { box, char: alternatives[0]?.char ?? '?', confidence: alternatives[0]?.confidence ?? 0, alternatives };
    if (crops && !empty) r.crop = encodeGrayPng(tiles[i]!, size, size).toString('base64');
    return r;
  });
}
