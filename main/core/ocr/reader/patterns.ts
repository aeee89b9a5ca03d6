import { GlyphError } from '../../../common/errors';

/**
 * Tesseract-style user patterns: `\d` a digit, `\A` a letter, `\c` a digit or a letter, `\s` a space,
 * `\\` a backslash, anything else itself. A pattern is a sequence of such steps; matching walks all
 * patterns at once, as a set of (pattern, position) states.
 */
export type Step = { kind: 'digit' | 'letter' | 'alnum' | 'space' } | { kind: 'literal'; char: string };

export function compilePattern(p: string): Step[] {
  const steps: Step[] = [];
  const cs = [...p];
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i]!;
    if (c !== '\\') {
      steps.push(c === ' ' ? { kind: 'space' } : { kind: 'literal', char: c.toUpperCase() });
      continue;
    }
    const n = cs[++i];
    if (n === 'd') steps.push({ kind: 'digit' });
    else if (n === 'A' || n === 'a') steps.push({ kind: 'letter' });
    else if (n === 'c') steps.push({ kind: 'alnum' });
    else if (n === 's') steps.push({ kind: 'space' });
    else if (n === '\\') steps.push({ kind: 'literal', char: '\\' });
    else throw new GlyphError('bad_input', `pattern '${p}': unknown escape \\${n ?? ''} (use \\d, \\A, \\c, \\s or \\\\)`);
  }
  if (!steps.length) throw new GlyphError('bad_input', 'a pattern may not be empty');
  return steps;
}

function fits(step: Step, ch: string): boolean {
  switch (step.kind) {
    case 'digit':
      return ch >= '0' && ch <= '9';
    case 'letter':
      return /^\p{L}$/u.test(ch);
    case 'alnum':
      return /^[\p{L}\p{N}]$/u.test(ch);
    case 'space':
      return ch === ' ';
    case 'literal':
      return ch === step.char;
  }
}

/**
 * The patterns of a profile as a matcher over states. A state is a bit set over the patterns'
 * positions, encoded as a sorted string of `p:i` pairs so beam hypotheses can share it as a key.
 */
export class PatternSet {
  readonly patterns: Step[][];
  constructor(specs: string[]) {
    this.patterns = specs.map(compilePattern);
  }
  get empty(): boolean {
    return this.patterns.length === 0;
  }
  /** The state before any character: every pattern at position 0. */
  start(): number[] {
    return this.patterns.map(() => 0);
  }
  /** After reading `ch`: each pattern's position moves on, or -1 when the character does not fit. */
  step(state: number[], ch: string): number[] {
    return state.map((pos, p) => {
      if (pos < 0) return -1;
      const steps = this.patterns[p]!;
      return pos < steps.length && fits(steps[pos]!, ch) ? pos + 1 : -1;
    });
  }
  /** Some pattern can still match after these characters. */
  alive(state: number[]): boolean {
    return state.some((pos) => pos >= 0);
  }
  /** Some pattern matched exactly. */
  complete(state: number[]): boolean {
    return state.some((pos, p) => pos === this.patterns[p]!.length);
  }
  /** Does `text` match one of the patterns whole? */
  matches(text: string): boolean {
    let s = this.start();
    for (const ch of text) s = this.step(s, ch);
    return this.complete(s);
  }
}
