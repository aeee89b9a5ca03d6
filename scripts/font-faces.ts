// The installed font faces to render 0-9 A-Z from, found with fontconfig (`fc-list`) and sorted by the
// allow/deny list in main/core/datasets/fonts.ts. Used by scripts/render-font-glyphs.ts.
import { execFileSync } from 'node:child_process';
import { fontUse, isDeniedFamily, type FontUse } from '../main/core/datasets/fonts';

export interface Face {
  family: string;
  style: string;
  file: string;
  use: FontUse;
}

/**
 * Faces for evaluation only: the project's OCR bench fonts (Noto) and URW derivatives (FreeFont). They are
 * denied for training by fonts.ts; this list is read only by `--set bench`, which writes an evaluation folder.
 */
const BENCH_ONLY = ['Noto Sans', 'Noto Serif', 'Noto Sans Mono', 'FreeSans', 'FreeSerif', 'FreeMono'];
const BENCH_STYLES = /^(regular|bold|italic|bold italic|oblique|bold oblique)$/i;

/** Every installed face that has all of 0-9 and A-Z, with its use. */
export function installedFaces(): Face[] {
  const out = execFileSync('fc-list', ['--format', '%{family[0]}\t%{style[0]}\t%{file}\n', ':charset=30-39 41-5a'], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const faces: Face[] = [];
  for (const line of out.split('\n')) {
    const [family, style, file] = line.split('\t');
    if (!family || !style || !file) continue;
    if (!/\.(ttf|otf)$/i.test(file)) continue;
    faces.push({ family, style, file, use: fontUse(family) });
  }
  return faces.sort((a, b) => (a.family + a.style + a.file).localeCompare(b.family + b.style + b.file));
}

/** Regular, bold and italic first, then the rest; oddities (variable-font axes in the style) last. */
function stylePriority(style: string): number {
  const s = style.toLowerCase();
  if (/^(regular|book|normal|roman)$/.test(s)) return 0;
  if (s === 'bold') return 1;
  if (/^(italic|oblique)$/.test(s)) return 2;
  if (/^bold (italic|oblique)$/.test(s)) return 3;
  if (/condensed|narrow/.test(s)) return 4;
  if (/light|thin|medium|semi|demi|black|heavy|extra/.test(s)) return 5;
  return 6;
}

/**
 * The faces of one set, at most `perFamily` styles per family (so a family with 40 styles does not crowd
 * out the others), one file per family+style.
 *   train: allow-listed print and handwriting families; holdout: our own held-out families; bench: BENCH_ONLY.
 */
export function selectFaces(set: 'train' | 'holdout' | 'bench', perFamily: number): Face[] {
  const all = installedFaces();
  const keep = (f: Face): boolean => {
    if (set === 'train') return (f.use === 'print' || f.use === 'handwriting') && !isDeniedFamily(f.family);
    if (set === 'holdout') return f.use === 'holdout-print' || f.use === 'holdout-handwriting';
    return BENCH_ONLY.includes(f.family) && BENCH_STYLES.test(f.style);
  };
  const byFamily = new Map<string, Map<string, Face>>();
  for (const f of all.filter(keep)) {
    const styles = byFamily.get(f.family) ?? new Map<string, Face>();
    if (!styles.has(f.style)) styles.set(f.style, f);
    byFamily.set(f.family, styles);
  }
  const faces: Face[] = [];
  for (const styles of byFamily.values()) {
    const sorted = [...styles.values()].sort((a, b) => stylePriority(a.style) - stylePriority(b.style) || a.style.localeCompare(b.style));
    faces.push(...sorted.slice(0, perFamily));
  }
  return faces;
}
