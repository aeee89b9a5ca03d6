/** What `evaluateModel` reads: labelled samples, mapped to the model's class indices. */
export interface EvalItem {
  /** Sample id in the dataset; null for samples read from files. */
  id: number | null;
  /** Where it comes from (file, file#index, file:row, or the dataset). */
  source: string;
  /** Index of the true class in the model's class set. */
  label: number;
}

export interface SkippedLabels {
  /** Samples whose label is not one of the model's classes (not evaluated). */
  count: number;
  /** Count per offending label (as read: a character, or a number without a mapping). */
  byLabel: Record<string, number>;
  /** A few of them, for the report. */
  examples: { source: string; label: string }[];
}

export interface SampleSource {
  readonly items: EvalItem[];
  readonly skipped: SkippedLabels;
  /** Files or samples that could not be read (corrupt image, cut-short file...). */
  readonly errors: { file: string; reason: string }[];
  /** Model input for items[start, start + count): count × size × size floats in [0, 1]. */
  pixels(start: number, count: number, size: number): Promise<Float32Array>;
}

export const MAX_SKIPPED_EXAMPLES = 10;

export function emptySkipped(): SkippedLabels {
  return { count: 0, byLabel: {}, examples: [] };
}

export function addSkipped(s: SkippedLabels, source: string, label: string): void {
  s.count++;
  s.byLabel[label] = (s.byLabel[label] ?? 0) + 1;
  if (s.examples.length < MAX_SKIPPED_EXAMPLES) s.examples.push({ source, label });
}
