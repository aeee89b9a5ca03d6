/**
 * The reading profile picker: built-in and saved profiles (ocr.profiles), the fields of the one picked
 * (charset, patterns, word list, main line, grid) as a draft the person edits, Save as… and Delete.
 */
import { BUILTIN_PROFILES, readingProfile, type ReadingProfile } from '$common/contract';
import { core } from '../../lib/core.svelte';
import type { ViewDoc } from './doc-state.svelte';

type Builtin = (typeof BUILTIN_PROFILES)[number];
/** What ocrSettings.profile takes: a built-in's name, or a whole profile. */
export type ProfileChoice = ViewDoc['readWith'];

const MAX_WORD = 64;

export function isBuiltin(name: string): name is Builtin {
  return (BUILTIN_PROFILES as readonly string[]).includes(name);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** One word a line; blank lines dropped, lines longer than a word can be left out (counted). */
export function parseWordList(text: string): { words: string[]; tooLong: number } {
  const lines = text.split(/\r?\n/).map((w) => w.trim()).filter(Boolean);
  const words = [...new Set(lines.filter((w) => w.length <= MAX_WORD))];
  return { words, tooLong: lines.filter((w) => w.length > MAX_WORD).length };
}

function same(a: ReadingProfile, b: ReadingProfile): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export class ProfilePicker {
  /** Built-ins first, then the saved ones. */
  list = $state<ReadingProfile[]>(BUILTIN_PROFILES.map((name) => readingProfile.parse({ name })));
  /** The profile picked (its name), and its fields as the person edits them. */
  picked = $state<string>('text');
  draft = $state<ReadingProfile>(readingProfile.parse({ name: 'text' }));
  /** The word list as typed (one a line); parsed into draft.words by setWords. */
  wordsText = $state('');
  patternsText = $state('');
  error = $state<string | null>(null);
  note = $state<string | null>(null);
  private loaded = false;

  readonly current: ReadingProfile | undefined = $derived(this.list.find((p) => p.name === this.picked));
  /** The draft differs from the profile as picked. */
  readonly dirty: boolean = $derived(!this.current || !same(this.current, this.draft));
  readonly saved: boolean = $derived(!isBuiltin(this.picked) && this.current !== undefined);

  async load(force = false): Promise<void> {
    if (this.loaded && !force) return;
    try {
      const { profiles } = await core.call('ocr.profiles', {});
      this.list = profiles;
      this.loaded = true;
      if (!this.current) this.pick('text');
    } catch (e) {
      // An older core without saved profiles: the built-ins by name still read.
      this.error = `Saved profiles are not available: ${errorText(e)}`;
    }
  }

  pick(name: string): void {
    const p = this.list.find((x) => x.name === name) ?? readingProfile.parse({ name });
    this.picked = p.name;
    this.draft = structuredClone($state.snapshot(p));
    this.wordsText = p.words.join('\n');
    this.patternsText = p.patterns.join('\n');
    this.note = null;
  }

  /** Shows what a document was read with (switching documents), without reading anything. */
  show(p: ProfileChoice): void {
    if (typeof p === 'string') return this.pick(p);
    const base = this.list.find((x) => x.name === p.name || `${x.name} (edited)` === p.name);
    this.pick(base?.name ?? 'text');
    this.draft = { ...structuredClone($state.snapshot(p)), name: this.picked };
    this.wordsText = p.words.join('\n');
    this.patternsText = p.patterns.join('\n');
  }

  setWords(text: string): void {
    this.wordsText = text;
    const { words, tooLong } = parseWordList(text);
    this.draft.words = words;
    this.note = tooLong ? `${tooLong} line${tooLong === 1 ? '' : 's'} longer than ${MAX_WORD} characters left out of the word list` : null;
  }

  setPatterns(text: string): void {
    this.patternsText = text;
    this.draft.patterns = text.split(/\r?\n/).map((p) => p.trim()).filter((p) => p.length > 0 && p.length <= 128);
  }

  async loadWordFile(file: File): Promise<void> {
    try {
      this.setWords(await file.text());
      this.note = `${this.draft.words.length.toLocaleString()} words from ${file.name}${this.note ? `; ${this.note}` : ''}`;
    } catch (e) {
      this.error = `${file.name}: cannot be read (${errorText(e)})`;
    }
  }

  /** What to read with: a built-in as is goes by name (the core's own definition), anything else whole. */
  choice(): ProfileChoice {
    if (!this.dirty && isBuiltin(this.picked)) return this.picked;
    const parsed = readingProfile.safeParse({ ...$state.snapshot(this.draft), name: this.dirty ? `${this.picked} (edited)`.slice(0, 64) : this.picked });
    if (!parsed.success) throw new Error(`Reading profile: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return parsed.data;
  }

  /** Saves the draft under a new (or a saved profile's) name and picks it. */
  async saveAs(name: string): Promise<boolean> {
    const clean = name.trim();
    if (!clean) return false;
    try {
      const { profile } = await core.call('ocr.saveProfile', { profile: { ...$state.snapshot(this.draft), name: clean } });
      this.error = null;
      await this.load(true);
      this.pick(profile.name);
      this.note = `Saved as “${profile.name}”`;
      return true;
    } catch (e) {
      this.error = `Save “${clean}”: ${errorText(e)}`;
      return false;
    }
  }

  async remove(): Promise<void> {
    const name = this.picked;
    if (!this.saved) return;
    try {
      await core.call('ocr.deleteProfile', { name });
      await this.load(true);
      this.pick('text');
      this.note = `Deleted “${name}”`;
    } catch (e) {
      this.error = `Delete “${name}”: ${errorText(e)}`;
    }
  }
}
