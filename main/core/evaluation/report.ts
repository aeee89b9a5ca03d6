import type { Evaluation } from './evaluate';
import type { SampleSource } from './source';

/**
 * The last line of `glyphlab eval --json`: exactly these fields, in this order (a contract; checks
 * outside rely on them).
 */
export interface EvalReport {
  accuracy: number;
  macroF1: number;
  /** Per class character: precision, recall, f1, support. */
  perClass: Record<string, { precision: number; recall: number; f1: number; support: number }>;
  /** confusion[true][predicted] in the order of `classes`. */
  confusion: number[][];
  classes: string;
  /** Samples evaluated (= the sum of the confusion matrix). */
  n: number;
}

/** The line before it with --json: what was left out and how it ran. */
export interface EvalNotes {
  /** Samples left out because their label is not one of the model's classes. */
  skipped: number;
  skippedLabels: Record<string, number>;
  /** Unreadable files/rows (not evaluated). */
  errors: number;
  runtime: string;
  samplesPerSec: number;
}

export const EVAL_REPORT_KEYS = ['accuracy', 'macroF1', 'perClass', 'confusion', 'classes', 'n'] as const;

const r6 = (v: number) => Math.round(v * 1e6) / 1e6;

export function buildReport(ev: Evaluation): EvalReport {
  const perClass: EvalReport['perClass'] = {};
  for (const c of ev.metrics.perClass) perClass[c.label] = { precision: r6(c.precision), recall: r6(c.recall), f1: r6(c.f1), support: c.support };
  return {
    accuracy: r6(ev.metrics.accuracy),
    macroF1: r6(ev.metrics.macroF1),
    perClass,
    confusion: ev.metrics.confusion,
    classes: ev.classes,
    n: ev.metrics.n,
  };
}

export function buildNotes(ev: Evaluation, source: SampleSource): EvalNotes {
  return {
    skipped: source.skipped.count,
    skippedLabels: source.skipped.byLabel,
    errors: source.errors.length,
    runtime: ev.runtime,
    samplesPerSec: Math.round(ev.samplesPerSec),
  };
}

/** A short human summary: accuracy, macro-F1, the weakest classes and the most frequent confusions. */
export function formatReport(r: EvalReport, notes: EvalNotes): string {
  const lines = [
    `${r.n} samples  accuracy ${(100 * r.accuracy).toFixed(2)}%  macro-F1 ${r.macroF1.toFixed(4)}  (${notes.runtime}, ${notes.samplesPerSec} samples/s)`,
  ];
  const weakest = Object.entries(r.perClass)
    .filter(([, c]) => c.support > 0)
    .sort((a, b) => a[1].f1 - b[1].f1)
    .slice(0, 5);
  if (weakest.length) lines.push(`weakest classes: ${weakest.map(([l, c]) => `${l} F1 ${c.f1.toFixed(3)} (n=${c.support})`).join(', ')}`);
  const labels = [...r.classes];
  const confusions: { t: string; p: string; n: number }[] = [];
  r.confusion.forEach((row, t) => row.forEach((n, p) => t !== p && n > 0 && confusions.push({ t: labels[t]!, p: labels[p]!, n })));
  confusions.sort((a, b) => b.n - a.n);
  if (confusions.length) lines.push(`most confused (true→predicted): ${confusions.slice(0, 8).map((c) => `${c.t}→${c.p} ${c.n}`).join(', ')}`);
  if (notes.skipped) lines.push(`skipped ${notes.skipped} samples with labels outside the model's classes`);
  return lines.join('\n');
}
