import type { UnknownLabel } from '../../../common/contract/dataset';

/**
 * Labels given by class folders (or --label) that are not classes, counted before any image is read, so
 * the summary can offer the fix: a lowercase folder (x/) whose capital is a class imports as that capital
 * (`capitals`), or the label is added to the class set. With `capitals` the items are relabelled here.
 */
export function reviewFolderLabels(
  classes: string[],
  items: { label: string | null }[],
  capitals: boolean,
): UnknownLabel[] {
  const counts = new Map<string, number>();
  for (const it of items) {
    if (it.label === null || classes.includes(it.label)) continue;
    const capital = capitalOf(classes, it.label);
    if (capitals && capital) {
      it.label = capital;
      continue;
    }
    counts.set(it.label, (counts.get(it.label) ?? 0) + 1);
  }
  return [...counts].map(([label, count]) => ({ label, count, capital: capitalOf(classes, label) }));
}

/** The class a lowercase label stands for: its capital when that is a class and the label itself is not. */
export function capitalOf(classes: string[], label: string): string | null {
  const up = label.toUpperCase();
  return up !== label && Array.from(up).length === 1 && classes.includes(up) && !classes.includes(label) ? up : null;
}
