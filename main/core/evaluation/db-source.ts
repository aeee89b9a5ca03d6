import type { Split } from '../../common/contract/dataset';
import type { DB } from '../db/open';
import { ImageSource } from '../datasets/image-source';
import { addSkipped, emptySkipped, type EvalItem, type SampleSource } from './source';

/**
 * Labelled, live samples of one split of the dataset (in id order), read and decoded the way the
 * training worker reads them. Labels outside `classes` (the model's) are skipped and counted.
 */
export function readDbSource(db: DB, split: Split, classes: string): SampleSource {
  const index = new Map([...classes].map((c, i) => [c, i]));
  const rows = db
    .prepare(`SELECT id, label FROM samples WHERE deleted_at IS NULL AND label IS NOT NULL AND split = ? ORDER BY id`)
    .all(split) as { id: number; label: string }[];
  const items: EvalItem[] = [];
  const skipped = emptySkipped();
  for (const r of rows) {
    const label = index.get(r.label);
    if (label === undefined) addSkipped(skipped, `sample ${r.id}`, r.label);
    else items.push({ id: r.id, source: `sample ${r.id}`, label });
  }
  const sources = new Map<number, ImageSource>();
  return {
    items,
    skipped,
    errors: [],
    async pixels(start, count, size) {
      let images = sources.get(size);
      if (!images) sources.set(size, (images = new ImageSource(db, size, 0)));
      const ids = items.slice(start, start + count).map((it) => it.id!);
      const rows = await images.load(ids);
      const out = new Float32Array(count * size * size);
      rows.forEach((r, i) => out.set(r, i * size * size));
      return out;
    },
  };
}
