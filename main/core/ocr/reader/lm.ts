/**
 * A character n-gram language model over the model's classes and the space (the word boundary), with
 * interpolated absolute discounting (each order's counts less a discount, the rest given to the next
 * shorter history). It knows that letters follow letters in words and digits follow digits in numbers,
 * which is what tells `ROOM` from `R00M` when the classifier cannot.
 *
 * Counts are stored as `{order, counts: {ngram: count}}` (JSON, gzipped in resources/lm/); `countNgrams`
 * makes them from texts, so the person's corrected texts can be added to the shipped counts.
 */
export interface NgramCounts {
  order: number;
  counts: Record<string, number>;
}

const DISCOUNT = 0.75;
/**
 * Share of the probability given to a model that knows only kinds (letter, digit, space): what follows
 * what, each character of a kind alike. Names, abbreviations and codes (ATTN, KYKICK) are rare in a
 * word list's n-grams; this keeps their cost bounded while letters still follow letters.
 */
export const KIND_SHARE = 0.25;

type Kind = 0 | 1 | 2;
const kindOf = (c: string): Kind => (c === ' ' ? 2 : c >= '0' && c <= '9' ? 1 : 0);
const KIND_SIZE = [26, 10, 1];

/** Adds the n-grams (orders 1..order) of each text, read as ` TEXT ` (a space before and after), to `into`. */
export function countNgrams(texts: Iterable<string>, order: number, into: Map<string, number> = new Map(), weight = 1): Map<string, number> {
  for (const t of texts) {
    const s = ` ${t.replace(/\s+/g, ' ').trim()} `;
    for (let i = 0; i < s.length; i++) {
      for (let k = 1; k <= order && k <= i + 1; k++) {
        const g = s.slice(i - k + 1, i + 1);
        if (k > 1 && g.slice(0, -1).trim() === '' && g.length > 2) continue; // runs of spaces carry nothing
        into.set(g, (into.get(g) ?? 0) + weight);
      }
    }
  }
  return into;
}

export class CharLm {
  readonly order: number;
  private readonly counts: Map<string, number>;
  /** Per history: total count of its continuations, and how many distinct ones. */
  private readonly hist = new Map<string, { total: number; types: number }>();
  private readonly unigramTotal: number;
  private readonly vocab: number;
  private readonly memo = new Map<string, number>();
  /** P(kind of next | kind of last), from the bigram counts. */
  private readonly kinds: number[][];

  /** Share of the kind model (see KIND_SHARE); 1: letters, digits and spaces only, no words. */
  readonly kindShare: number;

  constructor(order: number, counts: Map<string, number>, kindShare = KIND_SHARE) {
    this.order = order;
    this.kindShare = kindShare;
    this.counts = counts;
    let uni = 0;
    let vocab = 0;
    for (const [g, c] of counts) {
      if (g.length === 1) {
        uni += c;
        vocab++;
        continue;
      }
      const h = g.slice(0, -1);
      const e = this.hist.get(h);
      if (e) {
        e.total += c;
        e.types++;
      } else this.hist.set(h, { total: c, types: 1 });
    }
    this.unigramTotal = uni;
    this.vocab = Math.max(vocab, 37);
    const k = [
      [1, 1, 1],
      [1, 1, 1],
      [1, 1, 1],
    ];
    for (const [g, c] of counts) if (g.length === 2) k[kindOf(g[0]!)]![kindOf(g[1]!)]! += c;
    this.kinds = k.map((row) => row.map((v) => v / row.reduce((a, b) => a + b, 0)));
  }

  /** The same counts with another share of the kind model (1 for codes and plates: runs of letters and of digits). */
  withKindShare(share: number): CharLm {
    return new CharLm(this.order, this.counts, share);
  }

  static fromJson(j: NgramCounts): CharLm {
    return new CharLm(j.order, new Map(Object.entries(j.counts)));
  }

  /** A model of these counts plus another's (e.g. the shipped counts plus the person's texts). */
  merged(extra: Map<string, number>, weight = 1): CharLm {
    const m = new Map(this.counts);
    for (const [g, c] of extra) m.set(g, (m.get(g) ?? 0) + c * weight);
    return new CharLm(this.order, m);
  }

  /** Natural log of P(c | history); only the last order-1 characters of the history count. */
  logProb(history: string, c: string): number {
    const h = history.length >= this.order ? history.slice(history.length - this.order + 1) : history;
    const key = h + '\u0000' + c;
    const hit = this.memo.get(key);
    if (hit !== undefined) return hit;
    const kindP = h.length ? this.kinds[kindOf(h[h.length - 1]!)]![kindOf(c)]! / KIND_SIZE[kindOf(c)]! : 1 / this.vocab;
    const v = Math.log(this.kindShare < 1 ? (1 - this.kindShare) * this.prob(h, c) + this.kindShare * kindP : kindP);
    if (this.memo.size > 500_000) this.memo.clear();
    this.memo.set(key, v);
    return v;
  }

  private prob(h: string, c: string): number {
    const uni = ((this.counts.get(c) ?? 0) + 0.5) / (this.unigramTotal + 0.5 * this.vocab);
    let p = uni;
    // From the shortest history up: p(c|h) = max(C(hc) - D, 0) / C(h·) + D · N(h·) / C(h·) · p(c|h').
    for (let k = 1; k <= h.length; k++) {
      const hk = h.slice(h.length - k);
      const e = this.hist.get(hk);
      if (!e) break;
      const c1 = this.counts.get(hk + c) ?? 0;
      p = Math.max(c1 - DISCOUNT, 0) / e.total + ((DISCOUNT * e.types) / e.total) * p;
    }
    return p;
  }
}
