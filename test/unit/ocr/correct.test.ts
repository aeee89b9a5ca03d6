import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeGrayPng } from '../../../main/core/imaging/png';
import { tmpCore } from '../../helpers/tmp';
import { grayPngBomb } from '../../reliability/support/fixtures';

function tile(side: number): string {
  const px = new Uint8Array(side * side);
  for (let y = 2; y < side - 2; y++) px[y * side + (side >> 1)] = 255;
  return encodeGrayPng(px, side, side).toString('base64');
}

describe('ocr.correct: the crop is bounded to a character tile', () => {
  let app: ReturnType<typeof tmpCore>;
  beforeEach(() => (app = tmpCore()));
  afterEach(() => app.close());

  it('refuses a 20000x20000 PNG bomb from its header, quickly, and stores nothing', async () => {
    const bomb = (await grayPngBomb(20_000, 20_000)).toString('base64');
    expect(bomb.length).toBeLessThan(1024 * 1024); // within the contract's crop size: it reaches the handler
    const t0 = performance.now();
    await expect(app.call('ocr.correct', { crop: bomb, label: 'A', source: 'scan.png' })).rejects.toMatchObject({
      type: 'bad_input',
      message: expect.stringMatching(/scan\.png: .*20000x20000 is too large/),
    });
    // Refused from the header, not after inflating (which took 8.4 s and 1.27 GB): a generous bound for a loaded CI machine.
    expect(performance.now() - t0).toBeLessThan(2000);
    expect((await app.call('dataset.stats', {})).total).toBe(0);
  }, 60_000);

  it('refuses crops that are not a square tile of a model input size', async () => {
    for (const [w, h] of [[64, 30], [4, 4], [200, 200]] as const) {
      const crop = encodeGrayPng(new Uint8Array(w * h), w, h).toString('base64');
      await expect(app.call('ocr.correct', { crop, label: 'A', source: 'p.png' }), `${w}x${h}`).rejects.toMatchObject({ type: 'bad_input' });
    }
    expect((await app.call('dataset.stats', {})).total).toBe(0);
  });

  it('stores a model-size tile as the canonical 28x28 sample', async () => {
    for (const side of [28, 32]) {
      const r = await app.call('ocr.correct', { crop: tile(side), label: 'A', source: `s${side}.png` });
      expect(r.created).toBe(true);
      const d = await app.call('dataset.sample', { id: r.sampleId });
      expect([d.width, d.height]).toEqual([28, 28]);
    }
  });
});
