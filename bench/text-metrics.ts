/** Text scoring of the OCR benchmarks: edit distance, character/word error rates, the alignment behind confusions. */

/** Levenshtein distance (insertions, deletions, substitutions) between two strings or two word lists. */
export function editDistance<T>(a: ArrayLike<T>, b: ArrayLike<T>): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** Runs of spaces and tabs become one space, lines are trimmed, empty lines dropped, lines joined by "\n". */
export function normalizeText(s: string): string {
  return s
    .split(/\r?\n|\f/)
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

/** Error counts of a reading against its truth (both normalized first): CER = charErrors/chars, WER = wordErrors/words. */
export interface ErrorCounts {
  charErrors: number;
  chars: number;
  wordErrors: number;
  words: number;
}

export function errorCounts(truth: string, read: string): ErrorCounts {
  const t = normalizeText(truth);
  const r = normalizeText(read);
  const tw = t.split(/\s+/).filter(Boolean);
  const rw = r.split(/\s+/).filter(Boolean);
  return { charErrors: editDistance(t, r), chars: t.length, wordErrors: editDistance(tw, rw), words: tw.length };
}

export function addCounts(into: ErrorCounts, c: ErrorCounts): void {
  into.charErrors += c.charErrors;
  into.chars += c.chars;
  into.wordErrors += c.wordErrors;
  into.words += c.words;
}

/**
 * One minimal-cost alignment of truth and read (Levenshtein with backtrace), as pairs
 * [truth item, read item] in order, with null for an item missing from one side (a deletion or an
 * insertion). Works on strings (characters) and word lists alike.
 */
export function align<T>(truth: ArrayLike<T>, read: ArrayLike<T>): Array<[T | null, T | null]> {
  const n = truth.length;
  const m = read.length;
  const w = m + 1;
  const d = new Uint32Array((n + 1) * w);
  const cost = (i: number, j: number) => (truth[i - 1] === read[j - 1] ? 0 : 1);
  for (let j = 0; j <= m; j++) d[j] = j;
  for (let i = 1; i <= n; i++) {
    d[i * w] = i;
    for (let j = 1; j <= m; j++) d[i * w + j] = Math.min(d[(i - 1) * w + j - 1]! + cost(i, j), d[(i - 1) * w + j]! + 1, d[i * w + j - 1]! + 1);
  }
  const out: Array<[T | null, T | null]> = [];
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    const here = d[i * w + j]!;
    if (i > 0 && j > 0 && here === d[(i - 1) * w + j - 1]! + cost(i, j)) out.push([truth[--i]!, read[--j]!]);
    else if (i > 0 && here === d[(i - 1) * w + j]! + 1) out.push([truth[--i]!, null]);
    else out.push([null, read[--j]!]);
  }
  return out.reverse();
}

/** A character as it reads in a report: space, line break and nothing made visible. */
export function showChar(c: string): string {
  return c === '' ? '∅' : c === ' ' ? '␣' : c === '\n' ? '⏎' : c;
}
