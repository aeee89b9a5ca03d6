import type { ImportFormat } from '../../common/contract/dataset';
import { GlyphError } from '../../common/errors';
import { ErrorList, type ImportEnv } from '../datasets/import/env';
import { importCsv } from '../datasets/import/csv';
import { importIdx } from '../datasets/import/idx';
import { importImages } from '../datasets/import/images';
import { buildPlan } from '../datasets/import/plan';
import type { NewSample, SampleWriter } from '../datasets/store';
import { addSkipped, emptySkipped, type EvalItem, type SampleSource } from './source';
import { tileToInput } from './tile-input';

export interface FileSourceOptions {
  format?: ImportFormat;
  /** EMNIST's distribution files store images transposed. */
  transposed?: boolean;
  signal?: AbortSignal;
  /** Reading progress (items read, expected total). */
  progress?: (done: number, total: number | null) => void;
}

/** Importer errors that mean "this label is not a class of the model" (the sample is skipped, not broken). */
const LABEL_PROBLEM = /label '?(.*?)'? (?:is not in the class set|has no class)/;

/**
 * Reads IDX (with its labels file and mapping.txt), CSV, class folders or image files exactly as
 * `dataset.import` does — the dataset's own importers, writing to memory instead of the database —
 * so images are normalized as training data is (canonical TILE×TILE tiles, then `tileToInput`).
 * Labels outside `classes` are counted in `skipped`; unlabelled samples are left out.
 */
export async function readFileSource(paths: string[], classes: string, opts: FileSourceOptions = {}): Promise<SampleSource> {
  const classList = [...classes];
  const index = new Map(classList.map((c, i) => [c, i]));
  const errors = new ErrorList();
  const skipped = emptySkipped();
  const items: EvalItem[] = [];
  const tiles: NewSample[] = [];
  let unlabelled = 0;
  // The importers only call `writer.add`; a memory sink stands in for the database writer.
  const sink = {
    add(s: NewSample) {
      if (s.label === null) {
        unlabelled++;
        return;
      }
      const label = index.get(s.label);
      if (label === undefined) {
        addSkipped(skipped, s.source, s.label);
        return;
      }
      items.push({ id: null, source: s.source, label });
      tiles.push(s);
    },
  };
  let done = 0;
  let total = 0;
  const env: ImportEnv = {
    writer: sink as unknown as SampleWriter,
    errors,
    classes: classList,
    signal: opts.signal ?? new AbortController().signal,
    transposed: opts.transposed ?? false,
    display: (f) => f,
    tick(n = 1) {
      done += n;
      if ((done & 1023) === 0 || n > 1) opts.progress?.(done, total || null);
    },
    addTotal(n) {
      total += n;
    },
  };
  try {
    const plan = buildPlan(paths, opts.format ?? 'auto', null, errors, env.display);
    for (const f of plan.idx) await importIdx(env, f);
    for (const f of plan.csv) await importCsv(env, f);
    if (plan.images.length) await importImages(env, plan.images);
  } catch (e) {
    if (opts.signal?.aborted || (e as Error)?.name === 'AbortError') throw new GlyphError('cancelled', 'Reading the evaluation data: cancelled');
    throw e;
  }
  const otherErrors: { file: string; reason: string }[] = [];
  for (const err of errors.toJSON()) {
    const m = LABEL_PROBLEM.exec(err.reason);
    if (m) addSkipped(skipped, err.file, m[1] ?? '?');
    else otherErrors.push(err);
  }
  if (unlabelled) otherErrors.push({ file: paths.join(', '), reason: `${unlabelled} unlabelled samples left out` });
  return {
    items,
    skipped,
    errors: otherErrors,
    async pixels(start, count, size) {
      const out = new Float32Array(count * size * size);
      for (let i = 0; i < count; i++) tileToInput(tiles[start + i]!, size, out.subarray(i * size * size, (i + 1) * size * size));
      return out;
    },
  };
}
