/**
 * Words a person reads in the Dataset view: a history line, an import batch's name, an upload's source.
 * Plain TS with structural types (no imports), so it is tested in Node.
 */

/**
 * One line of a sample's history: "label: A → B", "split: train → test", "deleted", "restored".
 * The `deleted` field stores a timestamp (or null); the entry's own time is shown beside it.
 */
export function historyText(h: { field: 'label' | 'split' | 'deleted'; from: string | null; to: string | null }): string {
  if (h.field === 'deleted') return h.to === null ? 'restored' : 'deleted';
  const show = (v: string | null) => (v === null ? (h.field === 'label' ? 'unlabeled' : '—') : v);
  return `${h.field}: ${show(h.from)} → ${show(h.to)}`;
}

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
export function batchName(b: { source: string; startedAt: number; imported: number }, locale?: string): string {
  const when = new Date(b.startedAt).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
  return `${lastParts(b.source)} · ${when} (${b.imported.toLocaleString(locale)})`;
}

/**
 * What a person would call an upload: the dropped or picked folder's name ("emnist"), or a few of them, the
 * file's name when there is one file, else "N files".
 */
export function sourceName(files: { name: string; path?: string }[]): string {
  const tops = [
    ...new Set(
      files.map((f) => {
        const parts = (f.path ?? f.name).split('/').filter(Boolean);
        return parts.length > 1 ? parts[0]! : '';
      }),
    ),
  ];
  if (tops.length > 0 && tops.length <= 3 && !tops.includes('')) return tops.join(', ');
  if (files.length === 1) return (files[0]!.path ?? files[0]!.name).split('/').filter(Boolean).pop() ?? files[0]!.name;
  return `${files.length.toLocaleString('en-US')} files`;
}
