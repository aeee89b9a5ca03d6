import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contrast, heatCell, mix, OVERLAY_SERIES, SERIES } from '../../../renderer/src/lib/colors';

/** The custom properties of one block of styles.css (`:root {` or `:root[data-theme='light'] {`). */
function palette(head: string): Record<string, string> {
  const css = fs.readFileSync('renderer/src/styles.css', 'utf8');
  const start = css.indexOf(head);
  expect(start).toBeGreaterThanOrEqual(0);
  const body = css.slice(start + head.length, css.indexOf('}', start));
  return Object.fromEntries([...body.matchAll(/--([\w-]+):\s*(#[0-9a-fA-F]{6})\s*;/g)].map((m) => [m[1]!, m[2]!]));
}

const SCHEMES = { dark: palette(':root {'), light: palette(":root[data-theme='light'] {") };

/** Text on surface pairs the UI uses; WCAG AA for normal text is 4.5:1. */
const TEXT_PAIRS: [string, string][] = [
  ['text', 'bg'], ['text', 'panel'], ['text', 'panel-2'], ['text', 'selected-bg'], ['text', 'hint-bg'], ['text', 'tip-bg'],
  ['muted', 'bg'], ['muted', 'panel'], ['muted', 'panel-2'],
  ['accent', 'bg'], ['accent', 'panel'], ['accent', 'panel-2'],
  ['on-primary', 'primary-bg'],
  ['good', 'panel'], ['good', 'panel-2'], ['warn', 'panel'], ['warn', 'panel-2'], ['bad', 'panel'], ['bad', 'panel-2'], ['bad', 'bg'],
  ['err-text', 'err-bg'], ['on-status', 'bad'], ['on-status', 'warn'],
];

describe.each(Object.entries(SCHEMES))('%s scheme', (_name, p) => {
  it('has every colour the pairs need', () => {
    for (const [a, b] of TEXT_PAIRS) expect([a, b].filter((k) => !p[k])).toEqual([]);
  });

  it('meets WCAG AA (4.5:1) for every text on surface pair', () => {
    const failing = TEXT_PAIRS.map(([a, b]) => ({ pair: `${a} on ${b}`, ratio: contrast(p[a]!, p[b]!) })).filter((r) => r.ratio < 4.5);
    expect(failing).toEqual([]);
  });

  it('status badges (the colour on a 12% tint of itself) meet AA', () => {
    for (const k of ['accent', 'good', 'warn', 'bad']) expect(contrast(p[k]!, mix(p[k]!, p.panel!, 0.12))).toBeGreaterThanOrEqual(4.5);
  });

  it('chart series read against the panel (3:1 for graphics)', () => {
    for (const c of [SERIES.train, SERIES.val, ...OVERLAY_SERIES]) expect(contrast(c, p.panel!)).toBeGreaterThanOrEqual(3);
  });
});

describe('confusion heatmap', () => {
  it('writes every count in ink that meets AA on its cell, in both schemes', () => {
    for (const scheme of ['dark', 'light'] as const) {
      for (let share = 0.01; share <= 1; share += 0.01) {
        for (const diagonal of [true, false]) {
          const { fill, ink } = heatCell(share, diagonal, scheme);
          expect(contrast(fill, ink), `${scheme} ${diagonal ? 'right' : 'wrong'} ${share.toFixed(2)}`).toBeGreaterThanOrEqual(4.5);
        }
      }
    }
  });
  it('shades a larger share darker in light and brighter in dark (the share stays visible)', () => {
    expect(heatCell(0.9, true, 'light').fill).not.toBe(heatCell(0.1, true, 'light').fill);
    expect(contrast(heatCell(1, false, 'light').fill, '#ffffff')).toBeGreaterThan(contrast(heatCell(0.1, false, 'light').fill, '#ffffff'));
  });
});
