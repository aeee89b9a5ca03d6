/**
 * The Dataset view's state and actions: counts, filter, grid windows, selection, the detail of the
 * selected sample, edits (optimistic, then reconciled with the core's answer) and undo/redo.
 */
import type { DatasetStats, EventPayload, SampleRow, Split } from '$common/contract';
import { core } from '../../lib/core.svelte';
import { DetailLoader } from './detail.svelte';
import { FilterState } from './filters.svelte';
import { GridStore } from './grid.svelte';
import { Importer } from './importer.svelte';
import type { Move } from './keys';
import { describeError, isCancelled } from '../../lib/errors';
import { call } from '../../lib/rpc';
import { moveTarget } from './moves';
import { OwnEdits } from './own-edits';
import { Selection } from './selection.svelte';
import { UndoState } from './undo-state.svelte';

/** Counts refresh once edits pause (typing labels fast asks once). */
const STATS_DELAY_MS = 400;
/** Edits of more samples than this ask first (one stray key press on a Ctrl+A selection). */
const CONFIRM_ABOVE = 1000;

function confirmBulk(n: number, what: string): boolean {
  return n <= CONFIRM_ABOVE || window.confirm(`${what} ${n.toLocaleString()} samples? (Ctrl+Z undoes it)`);
}

export class DatasetController {
  readonly filters = new FilterState();
  readonly grid = new GridStore();
  readonly selection = new Selection();
  readonly importer = new Importer(() => this.reload());
  /** What Ctrl+Z / Ctrl+Shift+Z would do now (the buttons and their tooltips), and doing it. */
  readonly undoState = new UndoState(this);

  stats = $state<DatasetStats | null>(null);
  statsError = $state<string | null>(null);
  /** The latest failure of an action, shown until dismissed or replaced. */
  error = $state<string | null>(null);
  /** A short note on what just happened ("Undid label of 3 samples"). */
  note = $state<string | null>(null);
  /** Columns of the grid as laid out now (for up/down), and rows per screen (page up/down). */
  cols = $state(1);
  pageRows = $state(5);
  /** Indices [from, to) fully or partly on screen. */
  shown = $state<[number, number]>([0, 0]);

  readonly classes: string = $derived(this.stats?.classes ?? '');
  readonly cursorRow: SampleRow | undefined = $derived(
    this.selection.cursor >= 0 ? this.grid.rowAt(this.selection.cursor) : undefined,
  );
  readonly selectedCount: number = $derived(this.selection.size || (this.cursorRow ? 1 : 0));
  readonly empty: boolean = $derived(this.stats !== null && this.stats.total === 0 && this.stats.deleted === 0);

  private readonly own = new OwnEdits();
  private readonly details = new DetailLoader(() => this.cursorRow?.id);
  private statsTimer: ReturnType<typeof setTimeout> | null = null;
  private noteTimer: ReturnType<typeof setTimeout> | null = null;
  /** Scrolls the grid so an index is visible (set by the grid component). */
  scrollIntoView: (index: number) => void = () => undefined;

  /** Subscribe to the core's events; returns the cleanup. */
  attach(): () => void {
    const offs = [this.importer.attach(), core.on('dataset.changed', (p) => this.onChanged(p))];
    void this.loadStats();
    void this.undoState.load();
    return () => {
      for (const off of offs) off();
      this.details.dispose();
      this.undoState.dispose();
    };
  }

  /** Filter or sort changed. */
  applyFilter(): void {
    this.selection.clear();
    this.details.sample = null;
    this.grid.reset(this.filters.filter, this.filters.sort);
  }

  reload(): void {
    this.grid.refresh();
    void this.loadStats();
    void this.undoState.load();
    this.loadDetail();
  }

  async loadStats(): Promise<void> {
    try {
      this.stats = await call('dataset.stats', {});
      this.statsError = null;
    } catch (e) {
      this.statsError = describeError('Loading the dataset', e);
    }
  }

  /** Ids an action applies to: the explicit selection, else the cursor's sample. */
  targets(): number[] {
    if (this.selection.size) return this.selection.list();
    return this.cursorRow ? [this.cursorRow.id] : [];
  }

  // ---- selection -------------------------------------------------------------------------

  select(index: number, mode: 'only' | 'toggle' | 'range'): void {
    if (index < 0 || index >= this.grid.total) return;
    if (mode === 'toggle') {
      const row = this.grid.rowAt(index);
      if (row) this.selection.toggle(index, row.id, this.cursorRow?.id);
    } else if (mode === 'range' && this.selection.anchor >= 0) {
      void this.extend(index);
    } else this.selection.moveTo(index);
    this.loadDetail();
  }

  move(to: Move, extend: boolean): void {
    const total = this.grid.total;
    if (!total) return;
    const next = moveTarget(this.selection.cursor < 0 ? -1 : this.selection.cursor, to, total, this.cols, this.pageRows);
    if (extend && this.selection.anchor >= 0) void this.extend(next);
    else this.selection.moveTo(next);
    this.scrollIntoView(next);
    this.loadDetail();
  }

  private async extend(index: number): Promise<void> {
    const anchor = this.selection.anchor;
    this.selection.cursor = index;
    try {
      const ids = await this.grid.idsBetween(anchor, index);
      if (this.selection.cursor === index && this.selection.anchor === anchor) this.selection.extendTo(index, ids);
    } catch (e) {
      if (!isCancelled(e)) this.fail('Selecting a range', e);
    }
  }

  async selectAll(): Promise<void> {
    try {
      const ids = await this.grid.ids();
      this.selection.replace(ids);
      if (this.selection.cursor < 0 && ids.length) {
        this.selection.cursor = 0;
        this.selection.anchor = 0;
      }
      this.flash(`${ids.length.toLocaleString()} samples selected`);
    } catch (e) {
      if (!isCancelled(e)) this.fail('Selecting all', e);
    }
  }

  // ---- edits ------------------------------------------------------------------------------

  /** Label the selection; with a single sample selected, move on to the next one. */
  async relabel(label: string | null): Promise<void> {
    const ids = this.targets();
    if (!ids.length || !confirmBulk(ids.length, label === null ? 'Mark unlabeled' : `Label “${label}”:`)) return;
    const before = new Map<number, string | null>();
    this.grid.patch(ids, (row) => {
      before.set(row.id, row.label);
      row.label = label;
    });
    if (this.detail && ids.includes(this.detail.id)) this.detail.label = label;
    const single = this.selection.size === 0;
    if (single && this.selection.cursor < this.grid.total - 1) this.move('right', false);
    try {
      const res = await this.own.track(call('dataset.relabel', { ids, label, reason: ids.length > 1 ? 'bulk' : 'manual' }));
      this.undoState.set(res); // the answer carries it: one round trip per key press
      if (!single) this.flash(`Labeled ${res.changed.toLocaleString()} samples ${label === null ? 'unlabeled' : `“${label}”`}`);
      this.scheduleStats();
      if (ids.length > before.size) this.grid.refresh(); // some were not on screen: show the core's truth
    } catch (e) {
      // Put back what we changed, unless something newer replaced it meanwhile.
      this.grid.patch(ids, (row) => {
        if (row.label === label && before.has(row.id)) row.label = before.get(row.id) ?? null;
      });
      this.fail('Relabel', e);
    }
  }

  async setSplit(split: Split): Promise<void> {
    const ids = this.targets();
    if (!ids.length || !confirmBulk(ids.length, `Move to ${split}:`)) return;
    const before = new Map<number, Split>();
    this.grid.patch(ids, (row) => {
      before.set(row.id, row.split);
      row.split = split;
    });
    try {
      const res = await this.own.track(call('dataset.setSplit', { ids, split }));
      this.undoState.set(res); // the answer carries it: one round trip per key press
      this.flash(`Moved ${res.changed.toLocaleString()} sample${res.changed === 1 ? '' : 's'} to ${split}`);
      this.scheduleStats();
      this.loadDetail();
    } catch (e) {
      this.grid.patch(ids, (row) => {
        const was = before.get(row.id);
        if (row.split === split && was) row.split = was;
      });
      this.fail('Move to split', e);
    }
  }

  /** Soft-delete the selection (in the "Deleted" filter: restore it). */
  async deleteSelected(): Promise<void> {
    const ids = this.targets();
    const restoring = this.filters.deleted;
    if (!ids.length || !confirmBulk(ids.length, restoring ? 'Restore' : 'Delete')) return;
    try {
      const res = restoring ? await call('dataset.restore', { ids }) : await call('dataset.delete', { ids });
      this.flash(`${restoring ? 'Restored' : 'Deleted'} ${res.changed.toLocaleString()} sample${res.changed === 1 ? '' : 's'} (Ctrl+Z to undo)`);
      const cursor = this.selection.cursor;
      this.selection.clearIds();
      // The next sample moves into the cursor's place.
      this.grid.refresh();
      this.selection.cursor = cursor;
      this.selection.anchor = cursor;
      void this.loadStats();
      this.undoState.set(res); // the answer carries it: one round trip per key press
      this.loadDetail();
    } catch (e) {
      this.fail(restoring ? 'Restore' : 'Delete', e);
    }
  }

  undo(redo = false): Promise<void> {
    return this.undoState.run(redo);
  }

  async setClasses(classes: string): Promise<boolean> {
    try {
      await call('dataset.setClasses', { classes });
      await this.loadStats();
      return true;
    } catch (e) {
      this.fail('Changing the class set', e);
      return false;
    }
  }

  // ---- detail -----------------------------------------------------------------------------

  /** The cursor's sample, for the detail panel (null until fetched). */
  get detail() {
    return this.details.sample;
  }

  get detailError(): string | null {
    return this.details.error;
  }

  /** Fetch the cursor's sample for the detail panel, once the cursor rests. */
  loadDetail(): void {
    this.details.load();
  }

  // ---- events and messages -----------------------------------------------------------------

  private async onChanged(p: EventPayload<'dataset.changed'>): Promise<void> {
    if (p.reason === 'edit' && (await this.own.isOwn(p.editId))) {
      // Our own edit: the grid already shows it (and keeps edited samples in place until a refresh).
      this.scheduleStats();
      // The panel shows the cursor's sample: fetch it again only if the edit changed that one (a key press
      // moves the cursor on, and the next sample's fetch is already on its way).
      const cursorId = this.cursorRow?.id;
      if (cursorId !== undefined && p.ids?.includes(cursorId)) this.loadDetail();
      return;
    }
    this.grid.refresh();
    this.scheduleStats();
    this.loadDetail();
    void this.undoState.load();
  }

  private scheduleStats(): void {
    if (this.statsTimer) clearTimeout(this.statsTimer);
    this.statsTimer = setTimeout(() => {
      this.statsTimer = null;
      void this.loadStats();
    }, STATS_DELAY_MS);
  }

  fail(what: string, e: unknown): void {
    this.error = describeError(what, e);
  }

  flash(note: string): void {
    this.note = note;
    if (this.noteTimer) clearTimeout(this.noteTimer);
    this.noteTimer = setTimeout(() => (this.note = null), 4000);
  }
}
