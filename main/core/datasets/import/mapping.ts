import fs from 'node:fs';

/**
 * EMNIST `mapping.txt`: one `label code` per line (code = the character's Unicode/ASCII value).
 * Returns null when the file is absent; throws with the line number when it is malformed.
 */
export function readMapping(file: string): Map<number, string> | null {
  if (!fs.existsSync(file)) return null;
  const map = new Map<number, string>();
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
  lines.forEach((line, i) => {
    const t = line.trim();
    if (!t) return;
    const m = /^(\d+)\s+(\d+)$/.exec(t);
    if (!m) throw new Error(`mapping line ${i + 1}: expected "label code", got "${t.slice(0, 40)}"`);
    map.set(Number(m[1]), String.fromCodePoint(Number(m[2])));
  });
  return map;
}

/** How numeric labels (IDX, numeric CSV) become characters. */
export type NumericLabels = { kind: 'mapping'; map: Map<number, string> } | { kind: 'letters' } | { kind: 'index' };

export function numericLabel(rule: NumericLabels, classes: string[], n: number): string | null {
  if (rule.kind === 'mapping') return rule.map.get(n) ?? null;
  if (rule.kind === 'letters') return n >= 0 && n < 26 ? String.fromCharCode(65 + n) : null;
  return classes[n] ?? null;
}

export function describeRule(rule: NumericLabels): string {
  return rule.kind === 'mapping' ? 'mapping.txt' : rule.kind === 'letters' ? 'A-Z (0 = A)' : 'the class set order';
}
