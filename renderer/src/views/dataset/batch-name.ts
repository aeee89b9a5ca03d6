import type { DatasetStats } from '$common/contract';

type Batch = DatasetStats['batches'][number];

/** Each path's last part: "/data/emnist/" → "emnist", "/a/x.png, /b/y.png" → "x.png, y.png". */
function lastParts(source: string): string {
  return source
    .split(', ')
    .map((p) => p.split(/[\\/]+/).filter(Boolean).pop() ?? p)
    .join(', ');
}

/**
 * An import batch as a menu shows it: its source (the folder or file name) and when it ran, with the
 * number of samples it brought: "emnist · 3 Dec 2026, 14:02 (13,993)".
 */
export function batchName(b: Pick<Batch, 'source' | 'startedAt' | 'imported'>, locale?: string): string {
  const when = new Date(b.startedAt).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
  return `${lastParts(b.source)} · ${when} (${b.imported.toLocaleString(locale)})`;
}
