import { performance } from 'node:perf_hooks';
import type { OcrPageResult, ReadingProfile } from '../../common/contract/ocr';
import { layoutPage, type LayoutResult } from './layout';
import { chooseMainLine } from './mainline-pick';
import { rememberPage } from './reader/page-cache';
import { profileLanguageModel } from './reader/language';
import { resolveProfile } from './reader/profiles';
import { classifyLines, searchLines, type ClassifiedLines } from './reader/read-lines';
import { readGrid } from './reader/read-grid';
import { DEFAULT_SETTINGS, type OcrClassifier, type OcrSettings, type Page } from './types';

const ms = (x: number) => Math.round(x * 100) / 100;

/** A page laid out and classified: what `ocr.reread` searches again under another profile. */
export interface ReadState {
  page: Page;
  settings: OcrSettings;
  classifier: OcrClassifier;
  layout: LayoutResult;
  classified: ClassifiedLines;
  /** The layout was made for one line only (main line). */
  mainLine: boolean;
}

function pageResult(s: ReadState, profile: ReadingProfile, searchMs: number, t0: number): OcrPageResult {
  const lm = profileLanguageModel(profile);
  const ts = performance.now();
  const lines = searchLines(s.classified, profile, lm, { spaces: s.settings.spaces, crops: s.settings.crops });
  const tSearch = performance.now() - ts;
  return {
    source: s.page.source,
    index: s.page.index,
    width: s.page.width,
    height: s.page.height,
    skewDegrees: s.layout.skewDegrees,
    binarize: s.layout.binarize,
    profile: profile.name,
    text: lines.map((l) => l.text).join('\n'),
    lines,
    timings: { load: 0, ...s.layout.timings, classify: ms(searchMs), search: ms(tSearch), total: ms(performance.now() - t0) },
  };
}

/**
 * Reads one page: layout (binarize, deskew, rulings, lines), then every line's segmentation lattice
 * classified in one batch, then the best reading of each line under the profile (language model,
 * charset, patterns, words). A grid profile reads a ruled grid cell by cell instead. The page's
 * layout is kept for a while (`pageKey`) so another profile can read it again without this work.
 */
export async function recognize(page: Page, classifier: OcrClassifier, settingsIn: Partial<OcrSettings> = {}): Promise<OcrPageResult> {
  const settings: OcrSettings = { ...DEFAULT_SETTINGS, ...settingsIn };
  const profile = resolveProfile(settings.profile);
  const t0 = performance.now();
  if (profile.grid) {
    const grid = await readGrid(page, classifier, profile, settings);
    if (grid) return grid;
  }
  let layout = layoutPage(page, settings, profile.mainLine);
  const tc = performance.now();
  let classified = await classifyLines(layout.lines, layout.lab, classifier);
  if (layout.mainLineCandidates) ({ layout, classified } = await chooseMainLine(layout, classified, layout.mainLineCandidates, classifier, profile));
  const state: ReadState = { page, settings, classifier, layout, classified, mainLine: profile.mainLine };
  const result = pageResult(state, profile, performance.now() - tc, t0);
  result.pageKey = rememberPage(state);
  return result;
}

/** Reads a remembered page again under another profile: only the search runs, unless the profile needs another layout. */
export async function rereadState(state: ReadState, profileIn: ReadingProfile | string): Promise<OcrPageResult> {
  const profile = resolveProfile(profileIn);
  if (profile.grid || profile.mainLine !== state.mainLine) return recognize(state.page, state.classifier, { ...state.settings, profile });
  const r = pageResult(state, profile, 0, performance.now());
  r.pageKey = rememberPage(state);
  return r;
}
