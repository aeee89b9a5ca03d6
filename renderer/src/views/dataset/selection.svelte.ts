/**
 * Which samples are selected. The cursor is an index in the current filter's order (the sample the
 * detail panel shows, where arrow keys start from); the id set holds an explicit multi-selection
 * (Shift/Ctrl+click, Shift+arrows, Ctrl+A). With no explicit selection the cursor's sample is selected.
 *
 * The id set is a plain Set with one reactive version number: selecting 100k samples (Ctrl+A) is one
 * change for the tiles to redraw, not 100k.
 */
export class Selection {
  cursor = $state(-1);
  anchor = $state(-1);
  private set = new Set<number>();
  private version = $state(0);

  get size(): number {
    void this.version;
    return this.set.size;
  }

  has(id: number): boolean {
    void this.version;
    return this.set.has(id);
  }

  list(): number[] {
    return [...this.set];
  }

  /** Plain click or arrow: just this one. */
  moveTo(index: number): void {
    this.cursor = index;
    this.anchor = index;
    this.clearIds();
  }

  /** Ctrl/Cmd+click: add or remove one sample, keeping the rest. */
  toggle(index: number, id: number, cursorId: number | undefined): void {
    // Turning an implicit single selection into an explicit one keeps the sample it had.
    if (this.set.size === 0 && cursorId !== undefined && cursorId !== id) this.set.add(cursorId);
    if (this.set.has(id)) this.set.delete(id);
    else this.set.add(id);
    this.version++;
    this.cursor = index;
    this.anchor = index;
  }

  /** Shift+click / Shift+arrow: everything between the anchor and `index`. */
  extendTo(index: number, ids: number[]): void {
    this.cursor = index;
    this.replace(ids);
  }

  replace(ids: number[]): void {
    this.set = new Set(ids);
    this.version++;
  }

  clearIds(): void {
    if (this.set.size === 0) return;
    this.set = new Set();
    this.version++;
  }

  clear(): void {
    this.clearIds();
    this.cursor = -1;
    this.anchor = -1;
  }
}
