/** What the grid shows: the filter a person builds from the class list and the filter bar, and the sort. */
import type { SampleFilter, Split } from '$common/contract';
import { SORTS } from '$common/contract';

export type Sort = (typeof SORTS)[number];

export class FilterState {
  labels = $state<string[]>([]);
  split = $state<Split | ''>('');
  batch = $state<number | null>(null);
  source = $state('');
  unlabeled = $state(false);
  /** Percent, 0..100; null: no bound. */
  minConfidence = $state<number | null>(null);
  maxConfidence = $state<number | null>(null);
  disagree = $state(false);
  deleted = $state(false);
  sort = $state<Sort>('newest');

  /** The contract's filter for the current state (only the parts that are set). */
  readonly filter: SampleFilter = $derived.by(() => {
    const f: SampleFilter = {};
    if (this.labels.length) f.labels = [...this.labels];
    if (this.split) f.splits = [this.split];
    if (this.batch !== null) f.batches = [this.batch];
    if (this.source.trim()) f.source = this.source.trim();
    if (this.unlabeled) f.unlabeled = true;
    if (this.minConfidence !== null) f.minConfidence = clamp01(this.minConfidence / 100);
    if (this.maxConfidence !== null) f.maxConfidence = clamp01(this.maxConfidence / 100);
    if (this.disagree) f.disagree = true;
    if (this.deleted) f.deleted = true;
    return f;
  });

  /** Changes whenever the set of shown samples or their order changes. */
  readonly key: string = $derived(JSON.stringify([this.filter, this.sort]));

  readonly active: boolean = $derived(Object.keys(this.filter).length > 0);

  /** Click on a class: show only it; with `add`, toggle it in the set of shown classes. */
  toggleLabel(label: string, add: boolean): void {
    this.unlabeled = false;
    if (add) {
      this.labels = this.labels.includes(label) ? this.labels.filter((l) => l !== label) : [...this.labels, label];
    } else {
      this.labels = this.labels.length === 1 && this.labels[0] === label ? [] : [label];
    }
  }

  showUnlabeled(): void {
    this.labels = [];
    this.unlabeled = !this.unlabeled;
  }

  clear(): void {
    this.labels = [];
    this.split = '';
    this.batch = null;
    this.source = '';
    this.unlabeled = false;
    this.minConfidence = null;
    this.maxConfidence = null;
    this.disagree = false;
    this.deleted = false;
  }
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}
