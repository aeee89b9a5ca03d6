import type { HistoryEntry } from '$common/contract';

/**
 * One line of a sample's history, as a person reads it: "label: A → B", "split: train → test",
 * "deleted", "restored". The `deleted` field stores a timestamp (or null); the entry's own time is shown beside.
 */
export function historyText(h: Pick<HistoryEntry, 'field' | 'from' | 'to'>): string {
  if (h.field === 'deleted') {
    if (h.to !== null && h.from === null) return 'deleted';
    if (h.to === null && h.from !== null) return 'restored';
    return h.to === null ? 'not deleted' : 'deleted';
  }
  const show = (v: string | null) => (v === null ? (h.field === 'label' ? 'unlabeled' : '—') : v);
  return `${h.field}: ${show(h.from)} → ${show(h.to)}`;
}
