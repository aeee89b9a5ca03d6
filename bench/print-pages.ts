/**
 * Printed business pages for bench/ocr-print.ts: made-up UPPERCASE orders, invoices, tickets and
 * addresses (0-9 A-Z and spaces only), rendered with one font per page and degraded like a scan
 * (rotated up to 1.5 degrees, blurred, noised). Words come from Debian's wamerican word list and from
 * a syllable generator (surnames, street and town names no word list holds), plus numbers, codes,
 * dates and amounts. The same seed gives the same pages.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import sharp from 'sharp';

export const WORD_LIST = '/usr/share/dict/american-english';

export type Rng = () => number;

/** mulberry32: a small seeded generator (same seed, same pages). */
export function rngOf(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** The word sources: common words and proper names from wamerican (empty when it is not installed). */
export interface Words {
  common: string[];
  names: string[];
}

export function loadWords(file = WORD_LIST): Words {
  if (!fs.existsSync(file)) return { common: [], names: [] };
  const all = fs.readFileSync(file, 'utf8').split('\n');
  return {
    common: all.filter((w) => /^[a-z]{2,10}$/.test(w)).map((w) => w.toUpperCase()),
    names: all.filter((w) => /^[A-Z][a-z]{2,8}$/.test(w)).map((w) => w.toUpperCase()),
  };
}

const ONSETS = ['B', 'BR', 'C', 'CH', 'D', 'DR', 'F', 'G', 'GR', 'H', 'J', 'K', 'KL', 'L', 'M', 'N', 'P', 'PR', 'R', 'S', 'SH', 'ST', 'T', 'TR', 'V', 'W', 'Z'];
const VOWELS = ['A', 'E', 'I', 'O', 'U', 'AI', 'EA', 'OU', 'Y', 'IE'];
const CODAS = ['', '', 'N', 'R', 'S', 'L', 'T', 'CK', 'NG', 'RD', 'LL', 'M', 'X', 'SK'];
const STREETS = ['STREET', 'ROAD', 'AVENUE', 'LANE', 'DRIVE', 'WAY', 'COURT', 'PLACE', 'SQUARE'];
const MONTHS = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'];
const DOCS = ['INVOICE', 'ORDER', 'TICKET', 'RECEIPT', 'DELIVERY NOTE', 'PURCHASE ORDER', 'STATEMENT', 'BOOKING', 'PACKING LIST'];
const PREFIXES = ['INV', 'PO', 'ORD', 'TKT', 'REF', 'SKU', 'ACC', 'CASE', 'LOT', 'BK'];
const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF'];
const LABELS = ['TOTAL', 'SUBTOTAL', 'TAX', 'DEPOSIT', 'BALANCE', 'FEE', 'DISCOUNT', 'SHIPPING'];

/** Lines of one page: 10-20 lines of 3-8 words, each at most `maxChars` characters. */
export function pageText(rng: Rng, words: Words, maxChars: number): string[] {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rng() * a.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
  const digits = (n: number) => Array.from({ length: n }, (_, i) => (i === 0 ? int(1, 9) : int(0, 9))).join('');
  // A made-up name: 2 syllables (sometimes 3), a closing consonant mostly on the last one.
  const made = () => {
    const n = rng() < 0.75 ? 2 : 3;
    return Array.from({ length: n }, (_, i) => pick(ONSETS) + pick(VOWELS) + (i === n - 1 || rng() < 0.25 ? pick(CODAS) : '')).join('');
  };
  const word = () => (words.common.length && rng() < 0.85 ? pick(words.common) : made());
  const name = () => (words.names.length && rng() < 0.5 ? pick(words.names) : made());
  const code = () => {
    const r = rng();
    if (r < 0.4) return pick(PREFIXES) + digits(int(3, 6));
    if (r < 0.7) return `${pick(PREFIXES)} ${digits(int(3, 6))}`;
    const alnum = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    return Array.from({ length: int(4, 7) }, () => pick([...alnum])).join('');
  };
  const date = () => {
    const d = int(1, 28);
    const m = int(1, 12);
    const y = int(1998, 2031);
    const r = rng();
    if (r < 0.4) return `${d} ${MONTHS[m - 1]!.slice(0, 3)} ${y}`;
    if (r < 0.7) return `${MONTHS[m - 1]} ${d} ${y}`;
    return `${y} ${String(m).padStart(2, '0')} ${String(d).padStart(2, '0')}`;
  };
  const amount = () => `${digits(int(1, 5))}${rng() < 0.5 ? ` ${digits(2)}` : ''} ${pick(CURRENCIES)}`;
  const kinds: Array<() => string> = [
    () => `${pick(DOCS)} ${code()} ${date()}`,
    () => `${code()} ${word()} ${word()}`,
    () => `${int(1, 999)} ${made()} ${pick(STREETS)}`,
    () => `${name()} ${digits(5)} ${made()}`,
    () => `ROOM ${int(1, 40)}${rng() < 0.4 ? pick([...'ABCDEF']) : ''} FLOOR ${int(1, 30)} ${pick(['NORTH', 'SOUTH', 'EAST', 'WEST', 'WING'])}`,
    () => `ATTN ${name()} ${made()}${rng() < 0.5 ? ` ${word()}` : ''}`,
    () => `${int(1, 250)} X ${word()} ${word()} ${amount()}`,
    () => `${pick(LABELS)} ${amount()}`,
    () => `DUE ${date()} ${word()}`,
    () => `TEL ${digits(3)} ${digits(4)} ${name()}`,
    () => Array.from({ length: int(3, 8) }, word).join(' '),
    () => Array.from({ length: int(3, 8) }, word).join(' '),
  ];
  const line = (make: () => string): string => {
    for (let tries = 0; ; tries++) {
      let w = make().split(' ');
      while (w.length < 3) w.push(word());
      w = w.slice(0, 8);
      while (w.join(' ').length > maxChars && w.length > 1) w.pop();
      const text = w.join(' ');
      if ((w.length >= 3 && text.length <= maxChars) || tries > 20) return text.slice(0, maxChars).trim();
    }
  };
  const count = int(10, 20);
  return [line(kinds[0]!), ...Array.from({ length: count - 1 }, () => line(pick(kinds)))];
}

/** The held-out fonts installed here (fc-list); the missing ones by name. */
export function findFonts(families: readonly string[]): { found: string[]; missing: string[] } {
  const found: string[] = [];
  const missing: string[] = [];
  for (const f of families) {
    let out = '';
    try {
      out = execFileSync('fc-list', [`:family=${f}:style=Regular`, 'file'], { encoding: 'utf8' });
    } catch {
      out = '';
    }
    (out.trim() ? found : missing).push(f);
  }
  return { found, missing };
}

/** Cap height and mean advance of 0-9 A-Z (per pixel of font size) of a font, measured on a rendering. */
export async function fontMetrics(family: string): Promise<{ cap: number; advance: number }> {
  const sample = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const size = 100;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="4200" height="300"><rect width="100%" height="100%" fill="white"/><text x="20" y="200" font-family="${family}" font-size="${size}">H</text><text x="300" y="200" font-family="${family}" font-size="${size}">${sample}</text></svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).flatten({ background: '#fff' }).grayscale().raw().toBuffer({ resolveWithObject: true });
  const box = (x0: number, x1: number) => {
    let top = info.height;
    let bottom = -1;
    let left = x1;
    let right = -1;
    for (let y = 0; y < info.height; y++) {
      for (let x = x0; x < x1; x++) {
        if (data[y * info.width + x]! < 128) {
          top = Math.min(top, y);
          bottom = Math.max(bottom, y);
          left = Math.min(left, x);
          right = Math.max(right, x);
        }
      }
    }
    return { h: bottom - top + 1, w: right - left + 1 };
  };
  return { cap: box(0, 280).h / size, advance: box(280, info.width).w / sample.length / size };
}

/** A page rendered in one font and degraded like a scan: grayscale PNG and its truth lines. */
export async function renderPage(rng: Rng, words: Words, family: string, metrics: { cap: number; advance: number }): Promise<{ png: Buffer; lines: string[]; fontPx: number }> {
  const width = 1200 + Math.floor(rng() * 501);
  const margin = 60 + Math.floor(rng() * 41);
  const capPx = 28 + rng() * 12;
  const fontPx = capPx / metrics.cap;
  const maxChars = Math.floor((width - 2 * margin) / (fontPx * metrics.advance * 1.08));
  const lines = pageText(rng, words, maxChars);
  const gap = fontPx * (1.45 + rng() * 0.4);
  const height = Math.round(2 * margin + fontPx + (lines.length - 1) * gap + fontPx * 0.4);
  const ink = Math.floor(rng() * 50);
  const paper = 238 + Math.floor(rng() * 18);
  const texts = lines.map((l, i) => `<text x="${margin}" y="${(margin + fontPx + i * gap).toFixed(1)}">${l}</text>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="rgb(${paper},${paper},${paper})"/><g font-family="${family}" font-size="${fontPx.toFixed(1)}" fill="rgb(${ink},${ink},${ink})">${texts}</g></svg>`;
  const flat = await sharp(Buffer.from(svg)).flatten({ background: '#fff' }).png().toBuffer();
  const angle = (rng() < 0.5 ? -1 : 1) * rng() * 1.5;
  const bg = { r: paper, g: paper, b: paper };
  const { data, info } = await sharp(await sharp(flat).rotate(angle, { background: bg }).png().toBuffer())
    .blur(0.45 + rng() * 0.3)
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const sigma = 4 + rng() * 6;
  for (let i = 0; i < data.length; i++) data[i] = Math.max(0, Math.min(255, Math.round(data[i]! + sigma * gauss(rng))));
  const png = await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }).toColourspace('b-w').png().toBuffer();
  return { png, lines, fontPx };
}

function gauss(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}
