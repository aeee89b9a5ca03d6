/**
 * Which `dataset.changed` events come from this view's own edits, by the edit's id (not by a clock).
 * A core announces an edit before it answers the request that made it, so an edit event with an id not
 * yet known waits for the view's edits still on their way; once they have answered it is ours or not.
 */
export class OwnEdits {
  private readonly ids = new Set<number>();
  private readonly inFlight = new Set<Promise<unknown>>();

  /** Runs one of this view's edit requests, remembering the edit it made. */
  async track<T extends { editId: number | null }>(request: Promise<T>): Promise<T> {
    this.inFlight.add(request);
    try {
      const r = await request;
      if (r.editId !== null) this.ids.add(r.editId);
      if (this.ids.size > 10_000) this.ids.delete(this.ids.values().next().value!); // edits that changed nothing send no event
      return r;
    } finally {
      this.inFlight.delete(request);
    }
  }

  /** Whether the edit `editId` is one of ours (each is recognised once). */
  async isOwn(editId: number | undefined): Promise<boolean> {
    if (editId === undefined) return false;
    if (!this.ids.has(editId) && this.inFlight.size) await Promise.allSettled([...this.inFlight]);
    return this.ids.delete(editId);
  }
}
