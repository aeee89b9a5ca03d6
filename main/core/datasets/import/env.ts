import type { SampleSink } from '../store';

export const MAX_REPORTED_ERRORS = 1000;

/** Per-item problems: reported as {file, reason} and skipped; the import goes on. Capped, with a count of the rest. */
export class ErrorList {
  readonly items: { file: string; reason: string }[] = [];
  private extra = 0;

  add(file: string, reason: string): void {
    if (this.items.length < MAX_REPORTED_ERRORS) this.items.push({ file, reason });
    else this.extra++;
  }

  get count(): number {
    return this.items.length + this.extra;
  }

  toJSON(): { file: string; reason: string }[] {
    return this.extra ? [...this.items, { file: '…', reason: `${this.extra} more errors not listed` }] : [...this.items];
  }
}

/** What every importer gets. */
export interface ImportEnv {
  /** Where samples go; importers await `writer.ready?.()` now and then (back-pressure). */
  writer: SampleSink;
  errors: ErrorList;
  /** The class set, one character a class. */
  classes: string[];
  signal: AbortSignal;
  /** Items handled so far (imported, duplicate or failed) are counted by the importers through `tick`. */
  tick(n?: number): void;
  /** Grows the expected total once an importer knows how many items a file holds. */
  addTotal(n: number): void;
  /** How a file is named in sources and error reports (uploads: the uploaded name, not the staging path). */
  display(file: string): string;
  transposed: boolean;
}

/**
 * Why a label cannot be used, or null when it is a class; with what to do about it. A folder's label
 * (`fromFolder`: class folders, the single-image label) may also be imported as its capital (--capitals).
 */
export function labelProblem(classes: string[], label: string, fromFolder = false): string | null {
  if (classes.includes(label)) return null;
  const up = label.toUpperCase();
  const fix =
    fromFolder && up !== label && classes.includes(up)
      ? `: import it as ${shown(up)} (the app's "Import as capitals", CLI --capitals) or add it to the classes (Classes → Edit)`
      : ': add it to the classes (Classes → Edit) and import again';
  return `label ${shown(label)} is not in the class set '${classes.join('')}'${fix}`;
}

/**
 * Text from a file for an error message, quoted: at most `max` characters (then …), control, quote, and
 * bidirectional-override characters escaped as \uXXXX: a report carries a short, inert excerpt at most.
 */
export function shown(s: string, max = 16): string {
  const cut = Array.from(s.slice(0, max * 2)).slice(0, max).join('');
  const esc = cut.replace(/[\u0000-\u001f\u007f-\u009f'\\\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `'${esc}${cut.length < s.length ? '…' : ''}'`;
}

/** Lets events through (progress, cancel, other requests), waits for room in the writer, then checks for cancel. */
export async function pause(env: ImportEnv): Promise<void> {
  await env.writer.ready?.();
  await new Promise<void>((r) => setImmediate(r));
  throwIfAborted(env.signal);
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw Object.assign(new Error('Cancelled'), { name: 'AbortError' });
}
