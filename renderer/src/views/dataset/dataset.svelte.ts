/**
 * The Dataset view's state and actions: counts, filter, grid windows, selection, the detail of the
 * selected sample, edits (optimistic, then reconciled with the core's answer) and undo/redo.
 */
import type { DatasetStats, EventPayload, PendingEdit, SampleDetail, SampleRow, Split } from '$common/contract';
import { core } from '../../lib/core.svelte';
import { FilterState } from './filters.svelte';
import { GridStore } from './grid.svelte';
import { Importer } from './importer.svelte';
import type { Move } from './keys';
import { describeError, isCancelled } from '../../lib/errors';
import { call } from '../../lib/rpc';
import { Selection } from './selection.svelte';

const DETAIL_DELAY_MS = 60;
/** Counts refresh once edits pause (typing labels fast asks once). */
const STATS_DELAY_MS = 400;
/** How long our own edits' `dataset.changed` events are recognised as ours. */
const OWN_EDIT_MS = 3000;
const OWN_EDIT_MAX_IDS = 5000;
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

  stats = $state<DatasetStats | null>(null);
  statsError = $state<string | null>(null);
  detail = $state<SampleDetail | null>(null);
  detailError = $state<string | null>(null);
  /** The latest failure of an action, shown until dismissed or replaced. */
  error = $state<string | null>(null);
  /** What Ctrl+Z / Ctrl+Shift+Z would do now (null: nothing), for the buttons and their tooltips. */
  undoable = $state<PendingEdit | null>(null);
  redoable = $state<PendingEdit | null>(null);
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

  private ownEdits = new Map<number, number>();
  private detailTimer: ReturnType<typeof setTimeout> | null = null;
  private detailAbort: AbortController | null = null;
  private statsTimer: ReturnType<typeof setTimeout> | null = null;
  private undoAbort: AbortController | null = null;
  private noteTimer: ReturnType<typeof setTimeout> | null = null;
  /** Scrolls the grid so an index is visible (set by the grid component). */
  scrollIntoView: (index: number) => void = () => undefined;

  /** Subscribe to the core's events; returns the cleanup. */
  attach(): () => void {
    const offs = [this.importer.attach(), core.on('dataset.changed', (p) => this.onChanged(p))];
    void this.loadStats();
    void this.loadUndoState();
    return () => {
      for (const off of offs) off();
      this.detailAbort?.abort();
      this.undoAbort?.abort();
    };
  }

  /** Filter or sort changed. */
  applyFilter(): void {
    this.selection.clear();
    this.detail = null;
    this.grid.reset(this.filters.filter, this.filters.sort);
  }

  reload(): void {
    this.grid.refresh();
    void this.loadStats();
    void this.loadUndoState();
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

  /** Asks what undo/redo would do; a newer ask cancels an older one still on its way. */
  async loadUndoState(): Promise<void> {
    this.undoAbort?.abort();
    const controller = new AbortController();
    this.undoAbort = controller;
    try {
      const s = await call('dataset.undoState', {}, controller.signal);
      if (controller.signal.aborted) return;
      this.undoable = s.undo;
      this.redoable = s.redo;
    } catch (e) {
      if (controller.signal.aborted || isCancelled(e)) return;
      this.undoable = this.redoable = null;
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
    const cur = this.selection.cursor < 0 ? -1 : this.selection.cursor;
    const step: Record<Move, number> = {
      left: -1,
      right: 1,
      up: -this.cols,
      down: this.cols,
      pageUp: -this.cols * this.pageRows,
      pageDown: this.cols * this.pageRows,
      home: -Infinity,
      end: Infinity,
    };
    let next = cur < 0 ? 0 : cur + step[to];
    if (to === 'home') next = 0;
    if (to === 'end') next = total - 1;
    // Up/down at the edges stay in the column; left/right stop at the ends.
    if (next < 0) next = to === 'up' || to === 'pageUp' ? cur % this.cols : 0;
    if (next >= total) next = to === 'down' || to === 'pageDown' ? cur : total - 1;
    next = Math.max(0, Math.min(total - 1, next));
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
    this.markOwn(ids);
    try {
      const res = await call('dataset.relabel', { ids, label, reason: ids.length > 1 ? 'bulk' : 'manual' });
      void this.loadUndoState();
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
    this.markOwn(ids);
    try {
      const res = await call('dataset.setSplit', { ids, split });
      void this.loadUndoState();
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
      void this.loadUndoState();
      this.loadDetail();
    } catch (e) {
      this.fail(restoring ? 'Restore' : 'Delete', e);
    }
  }

  async undo(redo = false): Promise<void> {
    try {
      const pending = redo ? this.redoable : this.undoable;
      const res = redo ? await call('dataset.redo', {}) : await call('dataset.undo', {});
      if (res.kind === null) this.flash(redo ? 'Nothing to redo' : 'Nothing to undo');
      else if (pending?.editId === res.editId) this.flash(`${redo ? 'Redid' : 'Undid'}: ${pending.text}`);
      else this.flash(`${redo ? 'Redid' : 'Undid'} ${res.kind} of ${res.changed.toLocaleString()} sample${res.changed === 1 ? '' : 's'}`);
      this.reload();
    } catch (e) {
      this.fail(redo ? 'Redo' : 'Undo', e);
    }
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

  /** Fetch the cursor's sample for the detail panel, once the cursor rests. */
  loadDetail(): void {
    if (this.detailTimer) clearTimeout(this.detailTimer);
    this.detailTimer = setTimeout(() => {
      this.detailTimer = null;
      void this.fetchDetail();
    }, DETAIL_DELAY_MS);
  }

  private async fetchDetail(): Promise<void> {
    this.detailAbort?.abort();
    const id = this.cursorRow?.id;
    if (id === undefined) {
      this.detail = null;
      return;
    }
    const controller = new AbortController();
    this.detailAbort = controller;
    try {
      const detail = await call('dataset.sample', { id }, controller.signal);
      if (controller.signal.aborted) return;
      this.detail = detail;
      this.detailError = null;
    } catch (e) {
      if (controller.signal.aborted || isCancelled(e)) return;
      this.detailError = describeError(`Sample ${id}`, e);
    }
  }

  // ---- events and messages -----------------------------------------------------------------

  private onChanged(p: EventPayload<'dataset.changed'>): void {
    const now = Date.now();
    const ours = p.reason === 'edit' && p.ids !== undefined && p.ids.every((id) => (this.ownEdits.get(id) ?? 0) > now);
    if (ours) {
      // Our own edit: the grid already shows it (and keeps edited samples in place until a refresh).
      this.scheduleStats();
      if (this.detail && p.ids?.includes(this.detail.id)) this.loadDetail();
      return;
    }
    this.grid.refresh();
    this.scheduleStats();
    this.loadDetail();
    void this.loadUndoState();
  }

  private markOwn(ids: number[]): void {
    // Big edits come back without ids (the grid refreshes for them anyway).
    if (ids.length > OWN_EDIT_MAX_IDS) return;
    const until = Date.now() + OWN_EDIT_MS;
    for (const id of ids) this.ownEdits.set(id, until);
    if (this.ownEdits.size > 50_000) {
      const now = Date.now();
      for (const [id, t] of this.ownEdits) if (t < now) this.ownEdits.delete(id);
    }
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
