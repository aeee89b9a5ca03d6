import { GlyphError } from '../../common/errors';
import type { AugmentConfig } from '../../common/contract/training';
import type { CoreContext } from '../context';
import { augmentImage } from './augment';
import { toGray, toInput } from '../imaging/network-input';
import { decodeGrayPng, encodeGrayPng } from '../imaging/png';
import { Rng } from './rng';

/** `n` augmented versions of one sample, as PNG base64 at the network input size. */
export function augmentPreview(
  ctx: CoreContext,
  opts: { sampleId: number; n: number; augment: AugmentConfig; inputSize: number; seed: number },
): { original: string; images: string[] } {
  const row = ctx.db.prepare(`SELECT png FROM sample_images WHERE sample_id = ?`).get(opts.sampleId) as { png: Buffer } | undefined;
  if (!row) throw new GlyphError('not_found', `No sample ${opts.sampleId}`);
  let pixels: Float32Array;
  try {
    pixels = toInput(decodeGrayPng(row.png), opts.inputSize);
  } catch (e) {
    throw new GlyphError('bad_input', `sample ${opts.sampleId}: image cannot be decoded (${(e as Error).message})`);
  }
  const rng = new Rng(opts.seed);
  const cfg = { ...opts.augment, enabled: true };
  const png = (p: Float32Array) => {
    const g = toGray(p, opts.inputSize);
    return encodeGrayPng(g.px, g.width, g.height).toString('base64');
  };
  return {
    original: png(pixels),
    images: Array.from({ length: opts.n }, () => png(augmentImage(pixels, opts.inputSize, cfg, rng))),
  };
}
