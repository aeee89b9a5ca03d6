/**
 * The grid's data: the current filter's total and the windows of rows fetched so far. Only the pages
 * around what is on screen are fetched (and kept, up to a bound); a page that scrolled out of reach
 * before its answer came back is cancelled, and answers for an older filter are ignored.
 */
import type { SampleFilter, SampleRow } from '$common/contract';
import { describeError, isCancelled } from '../../lib/errors';
import { call } from '../../lib/rpc';
import type { Sort } from './filters.svelte';

/** Rows per dataset.query request. */
export const PAGE_SIZE = 200;
/** Pages kept in memory at most (those nearest to the screen win). */
const MAX_PAGES = 24;
/** Wait this long after the last scroll before asking (fast scrolling asks once, where it stops). */
const FETCH_DELAY_MS = 30;

export class GridStore {
  total = $state(0);
  /** The first answer for the current filter has arrived. */
  ready = $state(false);
  error = $state<string | null>(null);
  /** Rows by page number; rows are reactive so an optimistic edit redraws only its tile. */
  pages = $state<Record<number, SampleRow[]>>({});

  private filter: SampleFilter = {};
  private sort: Sort = 'newest';
  private generation = 0;
  /** Pages fetched for the current generation (others are shown until their refetch lands). */
  private fresh = new Set<number>();
  private inflight = new Map<number, AbortController>();
  /** The loaded (reactive) rows of each page by id, for edits without a scan. */
  private byId = new Map<number, Map<number, SampleRow>>();
  private start = 0;
  private end = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private allIds: { generation: number; ids: Promise<number[]>; controller: AbortController } | null = null;

  rowAt(index: number): SampleRow | undefined {
    return this.pages[Math.floor(index / PAGE_SIZE)]?.[index % PAGE_SIZE];
  }

  /** A new filter or sort: forget everything and fetch from the top. */
  reset(filter: SampleFilter, sort: Sort): void {
    this.filter = filter;
    this.sort = sort;
    this.pages = {};
    this.byId.clear();
    this.ready = false;
    this.total = 0;
    this.start = 0;
    this.end = 0;
    this.invalidate();
    this.ensure();
  }

  /** Same filter, new data (an import, an undo...): refetch what is on screen, keep showing it meanwhile. */
  refresh(): void {
    this.invalidate();
    for (const key of Object.keys(this.pages)) {
      const page = Number(key);
      if (!this.wanted(page)) {
        delete this.pages[page];
        this.byId.delete(page);
      }
    }
    this.ensure();
  }

  /** The indices on screen (with overscan) changed. */
  setRange(start: number, end: number): void {
    if (start === this.start && end === this.end) return;
    this.start = start;
    this.end = end;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.ensure();
    }, FETCH_DELAY_MS);
  }

  /** Every id of the current filter, in order (one request per filter and data state). */
  ids(): Promise<number[]> {
    if (!this.allIds || this.allIds.generation !== this.generation) {
      // Cancelled when the filter or the data changes before it arrives (invalidate).
      const controller = new AbortController();
      const ids = call('dataset.ids', { filter: this.filter, sort: this.sort }, controller.signal).then((r) => r.ids);
      this.allIds = { generation: this.generation, ids, controller };
      ids.catch(() => {
        if (this.allIds?.ids === ids) this.allIds = null;
      });
    }
    return this.allIds.ids;
  }

  /** Ids at indices [from, to], from loaded rows when possible. */
  async idsBetween(from: number, to: number): Promise<number[]> {
    const [a, b] = from <= to ? [from, to] : [to, from];
    const out: number[] = [];
    for (let i = a; i <= b; i++) {
      const row = this.rowAt(i);
      if (!row) return (await this.ids()).slice(a, b + 1);
      out.push(row.id);
    }
    return out;
  }

  /** Apply a change to the loaded rows with these ids; returns how many were touched. */
  patch(ids: number[], fn: (row: SampleRow) => void): number {
    let n = 0;
    if (ids.length <= 64) {
      // The common case (a key press on one sample): look the rows up, touch nothing else.
      for (const id of ids) {
        for (const rows of this.byId.values()) {
          const row = rows.get(id);
          if (row) {
            fn(row);
            n++;
          }
        }
      }
      return n;
    }
    const wanted = new Set(ids);
    for (const rows of this.byId.values()) {
      for (const [id, row] of rows) {
        if (wanted.has(id)) {
          fn(row);
          n++;
        }
      }
    }
    return n;
  }

  private invalidate(): void {
    this.generation++;
    this.fresh.clear();
    for (const c of this.inflight.values()) c.abort();
    this.inflight.clear();
    this.allIds?.controller.abort();
    this.allIds = null;
    this.error = null;
  }

  private neededPages(): [number, number] {
    const first = Math.max(0, Math.floor(this.start / PAGE_SIZE) - 1);
    const last = Math.floor(Math.max(this.start, this.end - 1) / PAGE_SIZE) + 1;
    return [first, last];
  }

  private wanted(page: number): boolean {
    const [first, last] = this.neededPages();
    return page >= first && page <= last;
  }

  private ensure(): void {
    const [first, lastWanted] = this.neededPages();
    const lastPage = this.ready ? Math.max(0, Math.ceil(this.total / PAGE_SIZE) - 1) : first;
    const last = Math.min(lastWanted, lastPage);
    for (const [page, c] of this.inflight) {
      if (page < first || page > last) {
        c.abort();
        this.inflight.delete(page);
      }
    }
    for (let page = first; page <= last; page++) {
      if (!this.fresh.has(page) && !this.inflight.has(page)) void this.fetch(page);
    }
    this.evict(first, last);
  }

  private async fetch(page: number): Promise<void> {
    const generation = this.generation;
    const controller = new AbortController();
    this.inflight.set(page, controller);
    try {
      const res = await call(
        'dataset.query',
        { filter: this.filter, sort: this.sort, offset: page * PAGE_SIZE, limit: PAGE_SIZE, thumbs: true },
        controller.signal,
      );
      if (generation !== this.generation || controller.signal.aborted) return;
      this.inflight.delete(page);
      this.fresh.add(page);
      this.pages[page] = res.rows;
      const rows = this.pages[page];
      this.byId.set(page, new Map(rows.map((r) => [r.id, r])));
      const wasReady = this.ready;
      this.total = res.total;
      this.ready = true;
      // The total is known now: fetch the rest of what is on screen.
      if (!wasReady) this.ensure();
    } catch (e) {
      if (generation !== this.generation || isCancelled(e)) return;
      this.inflight.delete(page);
      this.error = describeError('Loading samples', e);
      this.ready = true;
    }
  }

  private evict(first: number, last: number): void {
    const keys = Object.keys(this.pages).map(Number);
    if (keys.length <= MAX_PAGES) return;
    const distance = (p: number) => (p < first ? first - p : p > last ? p - last : 0);
    keys.sort((a, b) => distance(b) - distance(a));
    for (const p of keys.slice(0, keys.length - MAX_PAGES)) {
      delete this.pages[p];
      this.byId.delete(p);
      this.fresh.delete(p);
    }
  }
}
