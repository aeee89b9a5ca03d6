import type { OcrBox } from '../../common/contract/ocr';

/** The smallest box holding all of `boxes` (x, y, width, height); [0,0,0,0] for none. */
export function unionBox(boxes: OcrBox[]): OcrBox {
  if (!boxes.length) return [0, 0, 0, 0];
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const [x, y, w, h] of boxes) {
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x + w);
    y1 = Math.max(y1, y + h);
  }
  return [x0, y0, x1 - x0, y1 - y0];
}
