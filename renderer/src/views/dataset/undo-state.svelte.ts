import type { PendingEdit, UndoRedoState } from '$common/contract';
import { isCancelled } from '../../lib/errors';
import { call } from '../../lib/rpc';

/** What Ctrl+Z / Ctrl+Shift+Z would do now, and doing it. */
export class UndoState {
  /** null: nothing to undo (or redo); shown on the buttons and in their tooltips. */
  undoable = $state<PendingEdit | null>(null);
  redoable = $state<PendingEdit | null>(null);
  private abort: AbortController | null = null;

  constructor(private readonly view: { flash(note: string): void; fail(what: string, e: unknown): void; reload(): void }) {}

  /** Asks what undo/redo would do; a newer ask cancels an older one still on its way. */
  async load(): Promise<void> {
    this.abort?.abort();
    const controller = new AbortController();
    this.abort = controller;
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

  /** The state an edit's answer carries (an older ask still on its way is dropped). */
  set(s: UndoRedoState): void {
    this.abort?.abort();
    this.undoable = s.undo;
    this.redoable = s.redo;
  }

  async run(redo: boolean): Promise<void> {
    try {
      const pending = redo ? this.redoable : this.undoable;
      const res = redo ? await call('dataset.redo', {}) : await call('dataset.undo', {});
      this.set(res);
      if (res.kind === null) this.view.flash(redo ? 'Nothing to redo' : 'Nothing to undo');
      else if (pending?.editId === res.editId) this.view.flash(`${redo ? 'Redid' : 'Undid'}: ${pending.text}`);
      else this.view.flash(`${redo ? 'Redid' : 'Undid'} ${res.kind} of ${res.changed.toLocaleString()} sample${res.changed === 1 ? '' : 's'}`);
      this.view.reload();
    } catch (e) {
      this.view.fail(redo ? 'Redo' : 'Undo', e);
    }
  }

  dispose(): void {
    this.abort?.abort();
  }
}
