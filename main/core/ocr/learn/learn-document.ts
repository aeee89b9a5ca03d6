import path from 'node:path';
import type { LearnTranscriptResult } from '../../../common/contract/learn';
import type { ReadingProfile } from '../../../common/contract/ocr';
import type { DB } from '../../db/open';
import { layoutPage, type LayoutResult } from '../layout';
import { loadPages } from '../load-pages';
import type { ClassifiedLines } from '../reader/read-lines';
import { classifyLines } from '../reader/read-lines';
import { DEFAULT_SETTINGS, type OcrClassifier, type OcrSettings } from '../types';
import { DEFAULT_CLASSES } from '../../datasets/classes';
import { foldText } from './align';
import { alignPage, transcriptLines, type LabeledGlyph, type UnalignedText } from './page';
import { storeDocumentGlyphs } from './store';
import { rememberText } from './texts';

/** A page laid out and classified (read now, or remembered from a reading a moment ago). */
export interface ReadPage {
  index: number;
  layout: Pick<LayoutResult, 'lines' | 'lab'>;
  classified: ClassifiedLines;
}

/** Lays out and classifies every page of a file, as the reader does before its search. */
export async function readPagesForLearning(file: string, classifier: OcrClassifier, profile: ReadingProfile, settings: Partial<OcrSettings> = {}): Promise<ReadPage[]> {
  const s = { ...DEFAULT_SETTINGS, ...settings };
  const out: ReadPage[] = [];
  for (const page of await loadPages(path.resolve(file), file)) {
    const layout = layoutPage(page, s, profile.mainLine);
    out.push({ index: page.index, layout, classified: await classifyLines(layout.lines, layout.lab, classifier) });
  }
  return out;
}

/**
 * Labels a document from its transcript: the transcript's lines are aligned with the pages' lines
 * (each line once), the glyphs judged safe are stored in the document's import batch with one edit
 * (reason 'transcript'), and the text is kept for the language model. What could not be aligned is
 * counted and returned, never stored.
 */
export function learnFromTranscript(db: DB, source: string, pages: ReadPage[], text: string, profile: ReadingProfile): LearnTranscriptResult {
  let remaining = text;
  const glyphs: (LabeledGlyph & { page: number })[] = [];
  const unaligned: UnalignedText[] = [];
  let unalignedCount = 0;
  for (const p of pages) {
    if (!remaining) break;
    const a = alignPage(p.layout, p.classified, remaining, profile);
    glyphs.push(...a.glyphs.map((g) => ({ ...g, page: p.index })));
    unaligned.push(...a.unaligned);
    unalignedCount += a.unalignedCount;
    remaining = a.unmatched.join('\n');
  }
  // Lines that fit no page's line: every class character of them is unaligned.
  for (const t of transcriptLines(remaining)) {
    const chars = [...foldText(t, pages[0]?.classified.classes ?? '')].filter((c) => (pages[0]?.classified.classes ?? DEFAULT_CLASSES).includes(c)).join('');
    unalignedCount += chars.length;
    if (chars) unaligned.push({ text: t, chars, reason: pages.length ? 'no line of the page reads like it' : 'the document has no pages' });
  }
  const stored = glyphs.length
    ? storeDocumentGlyphs(
        db,
        source,
        glyphs.map((g) => ({ px: g.px, label: g.char, source: `${source}#page=${g.page + 1}&box=${g.box.map(Math.round).join(',')}` })),
        'transcript',
      )
    : null;
  rememberText(db, source, text);
  return {
    source,
    pages: pages.length,
    samples: stored?.sampleIds.length ?? 0,
    created: stored?.created ?? 0,
    glyphs: glyphs.map((g, i) => ({ char: g.char, box: g.box, page: g.page, sampleId: stored?.glyphIds[i] ?? 0 })),
    unaligned: unalignedCount,
    unalignedText: unaligned,
    batchId: stored?.batchId ?? null,
    editId: stored?.editId ?? null,
  };
}
