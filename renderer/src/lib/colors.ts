/**
 * Colour arithmetic for legibility in both schemes: WCAG relative luminance and contrast ratio, mixing, and the
 * confusion heatmap's cells (a solid colour per share, with the count written in whichever of dark or white ink
 * reads better on it). Plain TS, tested in Node.
 */
export type Scheme = 'light' | 'dark';
type Rgb = [number, number, number];

export function hexToRgb(hex: string): Rgb {
  const h = hex.replace('#', '');
  const full = h.length === 3 ? [...h].map((c) => c + c).join('') : h;
  const n = parseInt(full, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function toHex([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;
}

/** WCAG 2 relative luminance of an sRGB colour. */
export function luminance(c: string | Rgb): number {
  const [r, g, b] = (typeof c === 'string' ? hexToRgb(c) : c).map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio, 1..21 (AA: 4.5 for text, 3 for large text and graphics). */
export function contrast(a: string | Rgb, b: string | Rgb): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p) as [number, number];
  return (x + 0.05) / (y + 0.05);
}

/** `a` over `b` at opacity `t` (0..1), as a solid colour. */
export function mix(a: string, b: string, t: number): string {
  const [p, q] = [hexToRgb(a), hexToRgb(b)];
  return toHex([0, 1, 2].map((i) => p[i]! * t + q[i]! * (1 - t)) as Rgb);
}

const INK = { dark: '#111418', light: '#ffffff' };

/** Dark or white ink, whichever contrasts more with the background. */
export function inkOn(bg: string): string {
  return contrast(bg, INK.dark) >= contrast(bg, INK.light) ? INK.dark : INK.light;
}

/** Heatmap colours per scheme (empty: the panel-2 of styles.css): the empty cell, right (diagonal) and wrong predictions at full share. */
export const HEAT: Record<Scheme, { empty: string; right: string; wrong: string }> = {
  // Full colours kept clear of the mid luminances where neither ink reaches 4.5:1 (about 0.16-0.21): in dark,
  // white ink on the whole ramp; in light, dark ink on the whole ramp.
  dark: { empty: '#262a33', right: '#2a62c9', wrong: '#c2352f' },
  light: { empty: '#e9ecf1', right: '#6f9be6', wrong: '#ec7a72' },
};

/** A confusion cell: its fill for the share of its row, and the ink for its count. */
export function heatCell(share: number, diagonal: boolean, scheme: Scheme): { fill: string; ink: string } {
  const h = HEAT[scheme];
  const fill = share <= 0 ? h.empty : mix(diagonal ? h.right : h.wrong, h.empty, 0.2 + 0.8 * Math.min(1, share));
  return { fill, ink: inkOn(fill) };
}

/**
 * Curve colours that read on both schemes' panels (relative luminance 0.14-0.30: at least 3:1 against the
 * dark panel and against white), so a chart needs no second palette.
 */
export const SERIES = { train: '#3d7fe6', val: '#1c9a4a' };
export const OVERLAY_SERIES = ['#a365f0', '#e0661b', '#0f9aa8', '#b8860b', '#e5484d', '#5a9a1f', '#d0459b', '#7f7fe0'];
