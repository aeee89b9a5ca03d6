/** Seeded pseudo-random numbers (mulberry32): the same seed gives the same run. */
export class Rng {
  private s: number;

  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [-a, a]. */
  sym(a: number): number {
    return (this.next() * 2 - 1) * a;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /**
   * `into[i] = base[i] + scale * (standard normal)`, clamped to [lo, hi], for every i: normals in pairs
   * (Marsaglia's polar method: no trigonometry, one log per pair). No spare value is kept between
   * calls, so `state` alone still restores the stream.
   */
  addNormals(into: Float32Array, scale: number, lo: number, hi: number): void {
    for (let i = 0; i < into.length; i += 2) {
      let u = 0;
      let v = 0;
      let q = 0;
      do {
        u = this.next() * 2 - 1;
        v = this.next() * 2 - 1;
        q = u * u + v * v;
      } while (q >= 1 || q === 0);
      const f = Math.sqrt((-2 * Math.log(q)) / q) * scale;
      const a = into[i]! + u * f;
      into[i] = a < lo ? lo : a > hi ? hi : a;
      if (i + 1 < into.length) {
        const b = into[i + 1]! + v * f;
        into[i + 1] = b < lo ? lo : b > hi ? hi : b;
      }
    }
  }

  shuffle<T>(a: T[]): T[] {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  }

  get state(): number {
    return this.s;
  }

  set state(v: number) {
    this.s = v >>> 0;
  }
}
