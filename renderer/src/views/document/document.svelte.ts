/**
 * The Document view's controller: the documents read and their pages, the selection, the person's
 * edits, reading through a core job, re-reading with another profile, and review order. One instance
 * lives for the whole app session (`documents`), so open pages and corrections survive a view switch.
 */
import type { OcrFormat, OcrRunResult } from '$common/contract';
import { core } from '../../lib/core.svelte';
import { edit, fromResult, pageFromResult, redo, toResult, undo, type DocSource, type ViewDoc } from './doc-state.svelte';
import { carryCorrections } from './page-edits';
import type { CharRef } from './page-types';
import { Edits } from './edits.svelte';
import { download, isImageFile, readRequest } from './files';
import { ProfilePicker, type ProfileChoice } from './profiles.svelte';
import { cancelledError, ReadJob } from './reading.svelte';
import { uncertainWords, type WordRef } from './review';

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function errorType(e: unknown): string | null {
  return typeof e === 'object' && e !== null && 'type' in e ? String((e as { type: unknown }).type) : null;
}

export class DocumentController {
  docs = $state<ViewDoc[]>([]);
  current = $state(0);
  pageIndex = $state(0);
  selected = $state<CharRef | null>(null);
  /** The word under review (Enter), outlined on the page. */
  word = $state<WordRef | null>(null);
  showOrder = $state(false);
  /** Words under this confidence are outlined and listed. */
  threshold = $state(0.6);
  error = $state<string | null>(null);
  notice = $state<string | null>(null);
  /** Set while pages are read again with another profile. */
  rereading = $state<string | null>(null);
  /** Bumped after an edit, to redraw the page. */
  version = $state(0);
  readonly profiles = new ProfilePicker();
  readonly reader = new ReadJob();
  readonly edits = new Edits(this);

  readonly doc: ViewDoc | null = $derived(this.docs[this.current] ?? null);
  readonly page = $derived(this.doc?.pages[this.pageIndex] ?? null);
  readonly selChar = $derived(this.page && this.selected ? (this.page.lines[this.selected.line]?.chars[this.selected.char] ?? null) : null);
  readonly boxCount: number = $derived(this.page ? this.page.lines.reduce((n, l) => n + l.chars.length, 0) : 0);
  readonly lowCount: number = $derived(
    this.page ? this.page.lines.reduce((n, l) => n + l.chars.filter((c) => !c.corrected && c.confidence < this.threshold).length, 0) : 0,
  );
  readonly lowWords = $derived.by(() => {
    void this.version;
    return this.page ? uncertainWords(this.page, this.threshold) : [];
  });

  /** Called by the view on mount: follows read jobs (once for the session) and loads the profiles. */
  attach(): void {
    this.reader.attach();
    void this.profiles.load();
  }

  bump(): void {
    this.version++;
  }

  fail(what: string, e: unknown): void {
    if (errorType(e) === 'cancelled' || (e instanceof Error && e.name === 'AbortError')) this.notice = `${what}: cancelled`;
    else this.error = `${what}: ${errorText(e)}`;
  }

  private profileChoice(): ProfileChoice | null {
    try {
      return this.profiles.choice();
    } catch (e) {
      this.error = errorText(e);
      return null;
    }
  }

  private async read(sources: DocSource[], profile: ProfileChoice, label: string): Promise<OcrRunResult> {
    return this.reader.run(await readRequest(sources, { crops: true, profile }), label);
  }

  /** Reads dropped or picked files as a job and shows the first new document. */
  async open(files: File[]): Promise<void> {
    const images = files.filter(isImageFile);
    const rejected = files.filter((f) => !isImageFile(f)).map((f) => f.name);
    this.error = rejected.length ? `Not an image: ${rejected.join(', ')}` : null;
    const profile = this.profileChoice();
    if (images.length === 0 || !profile) return;
    const pathOf = core.connection?.pathForFile;
    // A file made in the page (the sample page) has no path on disk, in Electron too: it is uploaded.
    const sources: DocSource[] = images.map((file) => (pathOf?.(file) ? { path: pathOf(file) } : { file }));
    try {
      const result = await this.read(sources, profile, `Reading ${images.length === 1 ? images[0]!.name : `${images.length} images`}…`);
      const added = result.documents.map((d, i) => fromResult(d, sources[i] ?? sources[0]!, profile, URL.createObjectURL(images[i] ?? images[0]!)));
      this.docs.push(...added);
      this.showDoc(this.docs.length - added.length);
      this.notice = `Read with ${result.model.runtime} (${result.model.dir.split(/[\\/]/).slice(-1)[0]}), profile “${added[0]?.pages[0]?.profile ?? '?'}”`;
    } catch (e) {
      this.fail('Reading', e);
    }
  }

  /**
   * Reads the shown document's pages again with the profile picked: from the core's cached layout
   * (ocr.reread, no new segmentation); when a page left the cache, or the core cannot re-read,
   * the file is read again. Corrections stay where the new reading has the same box.
   */
  async applyProfile(): Promise<void> {
    const doc = this.doc;
    const profile = this.profileChoice();
    if (!doc || !profile || this.rereading || this.reader.running) return;
    const name = typeof profile === 'string' ? profile : profile.name;
    this.rereading = `Reading again with “${name}”…`;
    this.error = null;
    try {
      const fresh = [];
      let fallback = false;
      for (const page of doc.pages) {
        if (!page.pageKey) {
          fallback = true;
          break;
        }
        try {
          fresh.push(pageFromResult(await core.call('ocr.reread', { pageKey: page.pageKey, profile: $state.snapshot(profile) })));
        } catch (e) {
          if (errorType(e) !== 'not_found' && errorType(e) !== 'unknown_method') throw e;
          fallback = true;
          break;
        }
      }
      if (fallback) {
        const result = await this.read([doc.source], profile, `Reading ${doc.file} again with “${name}”…`);
        const again = result.documents[0];
        if (!again) throw cancelledError();
        fresh.splice(0, fresh.length, ...again.pages.map(pageFromResult));
      }
      let kept = 0;
      for (const page of fresh) {
        const at = doc.pages.findIndex((p) => p.index === page.index);
        const old = doc.pages[at];
        if (!old) continue;
        kept += carryCorrections(old, page);
        edit(doc, old, (p) => {
          Object.assign(p, page);
          if (!page.pageKey) delete p.pageKey;
        });
      }
      doc.readWith = profile;
      this.selected = null;
      this.word = null;
      this.edits.resetReview();
      this.notice = `Read again with “${name}”${fallback ? ' (the file was read again: its layout had left the cache)' : ''}${kept ? `; ${kept} correction${kept === 1 ? '' : 's'} kept` : ''}.`;
      this.bump();
    } catch (e) {
      this.fail('Reading again', e);
    } finally {
      this.rereading = null;
    }
  }

  pickProfile(name: string): void {
    this.profiles.pick(name);
    void this.applyProfile();
  }

  select(ref: CharRef | null): void {
    this.selected = ref;
    this.word = null;
    this.edits.resetReview();
  }

  showDoc(i: number): void {
    this.current = Math.max(0, Math.min(i, this.docs.length - 1));
    this.showPage(0);
    this.notice = null;
    // The picker shows what this document was read with.
    if (this.doc) this.profiles.show(this.doc.readWith);
  }

  showPage(i: number): void {
    this.pageIndex = i;
    this.selected = null;
    this.word = null;
    this.edits.resetReview();
  }

  closeDoc(i: number): void {
    const d = this.docs[i];
    if (d?.imageUrl) URL.revokeObjectURL(d.imageUrl);
    this.docs.splice(i, 1);
    this.showDoc(Math.min(this.current, this.docs.length - 1));
  }

  undo(): void {
    if (this.doc) this.restored(undo(this.doc));
  }

  redo(): void {
    if (this.doc) this.restored(redo(this.doc));
  }

  /** After undo/redo: show the page it changed. */
  private restored(at: number): void {
    if (at < 0) return;
    if (at !== this.pageIndex) this.showPage(at);
    this.selected = null;
    this.word = null;
    this.bump();
  }

  async exportAs(format: OcrFormat): Promise<void> {
    const doc = this.doc;
    if (!doc) return;
    try {
      const { content } = await core.call('ocr.export', { document: $state.snapshot(toResult(doc)), format });
      const base = doc.file.replace(/\.[^.]+$/, '');
      const ext = { text: 'txt', json: 'json', hocr: 'hocr.html', alto: 'alto.xml' }[format];
      const type = { text: 'text/plain', json: 'application/json', hocr: 'text/html', alto: 'application/xml' }[format];
      download(`${base}.${ext}`, content, type);
    } catch (e) {
      this.fail('Export', e);
    }
  }
}

/** The one controller of the session: it outlives the view's component. */
export const documents = new DocumentController();
