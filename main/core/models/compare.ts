import type { ClassMetrics, CompareRow, ModelComparison } from '../../common/contract/models';
import type { CoreContext } from '../context';
import { splitMacroF1 } from './figures';
import { getModel } from './registry';

/** Two models side by side: overall accuracy, macro-F1 and per-class figures on the test split (else validation). */
export function compareModels(ctx: CoreContext, aId: number, bId: number): ModelComparison {
  const a = getModel(ctx, aId);
  const b = getModel(ctx, bId);
  const split = a.metrics?.test && b.metrics?.test ? 'test' : a.metrics?.validation && b.metrics?.validation ? 'validation' : null;
  const ma = split ? a.metrics?.[split] : undefined;
  const mb = split ? b.metrics?.[split] : undefined;
  const byLabel = (list: ClassMetrics[] | undefined) => new Map((list ?? []).map((c) => [c.label, c]));
  const pa = byLabel(ma?.perClass);
  const pb = byLabel(mb?.perClass);
  const labels = [...new Set([...a.classes, ...b.classes])];
  const perClass: CompareRow[] = labels.map((label) => ({ label, a: pa.get(label) ?? null, b: pb.get(label) ?? null }));
  const strip = ({ config: _c, metrics: _m, dataset: _d, files: _f, ...s }: typeof a) => s;
  return {
    a: strip(a),
    b: strip(b),
    split,
    accuracy: { a: ma?.accuracy ?? null, b: mb?.accuracy ?? null },
    macroF1: { a: splitMacroF1(ma), b: splitMacroF1(mb) },
    perClass,
  };
}
