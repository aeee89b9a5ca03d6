import { describe, expect, it } from 'vitest';
import { assertTrainable, fontUse, HANDWRITING, HOLDOUT_HANDWRITING, HOLDOUT_PRINT, isDeniedFamily, PRINT } from '../../../main/core/datasets/fonts';

describe('font allow/deny list', () => {
  it('denies the URW base-35 fonts, their derivatives and Noto, however they are spelled', () => {
    for (const f of [
      'Nimbus Sans', 'Nimbus Sans L', 'Nimbus Roman', 'Nimbus Mono PS', 'NimbusSans-Bold', 'URW Bookman', 'URW Gothic L',
      'C059', 'P052', 'Z003', 'D050000L', 'TeX Gyre Heros', 'TeXGyreTermes', 'tex-gyre-cursor', 'DejaVu Math TeX Gyre',
      'FreeSans', 'FreeSerif', 'FreeMono', 'Free Sans', 'Noto Sans', 'Noto Serif', 'Noto Sans Mono', 'Noto Sans Display',
      'Century Schoolbook L', 'Standard Symbols PS',
    ]) {
      expect(isDeniedFamily(f), f).toBe(true);
      expect(fontUse(f), f).toBe('denied');
      expect(() => assertTrainable(f, 'x.ttf'), f).toThrow(/may not be trained on: denied/);
    }
  });

  it('allows the listed print and handwriting families and nothing unlisted', () => {
    expect(assertTrainable('Liberation Sans')).toBe('print');
    expect(assertTrainable('liberation_sans')).toBe('print');
    expect(assertTrainable('Because We Build')).toBe('handwriting');
    expect(fontUse('Freestyle Script')).toBe('unlisted');
    expect(() => assertTrainable('Penguin Attack')).toThrow(/unlisted/);
    expect(() => assertTrainable('Lato')).toThrow(/holdout-print/);
    expect(() => assertTrainable('DkgHandwriting')).toThrow(/holdout-handwriting/);
  });

  it('no allow-listed or holdout family is also denied, and holdouts are not in the training lists', () => {
    for (const f of [...PRINT, ...HANDWRITING, ...HOLDOUT_PRINT, ...HOLDOUT_HANDWRITING]) expect(isDeniedFamily(f), f).toBe(false);
    for (const f of HOLDOUT_PRINT) expect(fontUse(f)).toBe('holdout-print');
    for (const f of HOLDOUT_HANDWRITING) expect(fontUse(f)).toBe('holdout-handwriting');
  });
});
