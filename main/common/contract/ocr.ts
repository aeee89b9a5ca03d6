import { z } from 'zod';
import { event, request } from './define';

/** Document OCR: read pages with a character model, export the result, correct characters into the dataset. */

export const OCR_FORMATS = ['text', 'json', 'hocr', 'alto'] as const;
export type OcrFormat = (typeof OCR_FORMATS)[number];
export const BINARIZE_METHODS = ['auto', 'otsu', 'sauvola'] as const;

const path = z.string().min(1).max(4096);
const box = z.tuple([z.number(), z.number(), z.number(), z.number()]);

/** Built-in reading profiles (see main/core/ocr/reader/profiles.ts); a person can save their own under other names. */
export const BUILTIN_PROFILES = ['text', 'digits', 'letters', 'plate', 'grid'] as const;

/**
 * What a person knows about a kind of document (after Tesseract's user patterns and word lists):
 * the characters that may occur, patterns a line or word follows, words to prefer, one line only,
 * or a ruled grid read cell by cell.
 */
export const readingProfile = z.strictObject({
  name: z.string().min(1).max(64).default('text'),
  /** Characters that may be read, ranges allowed (`0-9A-Z`); empty: every class of the model. */
  charset: z.string().max(512).default(''),
  /**
   * Tesseract-style patterns: `\d` digit, `\A` letter, `\c` digit or letter, `\s` space, anything else
   * literal (`\\` a backslash). A word (or, with mainLine, the line) that fits one is preferred; several allowed.
   */
  patterns: z.array(z.string().min(1).max(128)).max(64).default([]),
  /** Words to prefer (not forced): a word that is in the list gets a bonus. */
  words: z.array(z.string().min(1).max(64)).max(100_000).default([]),
  /** Keep only the line with the tallest characters (a plate number, a heading). */
  mainLine: z.boolean().default(false),
  /** A ruled grid (sudoku, boxed form fields) read cell by cell: one glyph or empty per cell, in row order. */
  grid: z.boolean().default(false),
  /** Weigh readings with the language model (letters in words, digits in numbers); off: each glyph alone. */
  language: z.boolean().default(true),
  /** The text is codes (plates, serial numbers): the language model weighs runs of letters and of digits, not English words. */
  codes: z.boolean().default(false),
});
export type ReadingProfile = z.output<typeof readingProfile>;
export type ReadingProfileInput = z.input<typeof readingProfile>;

export const ocrSettings = z.strictObject({
  /** Ink from paper: Otsu (even light), Sauvola (photos, shadows), or auto. */
  binarize: z.enum(BINARIZE_METHODS).default('auto'),
  deskew: z.boolean().default(true),
  maxSkewDegrees: z.number().min(0).max(45).default(15),
  /** Remove long ruling lines (grids, underlines, table borders) before finding characters. */
  removeLines: z.boolean().default(true),
  /** How to read: a built-in profile by name, or a profile's full settings. */
  profile: z.union([z.enum(BUILTIN_PROFILES), readingProfile]).default('text'),
  spaces: z.boolean().default(true),
  /** Return each character's normalized crop (base64 PNG) so it can be corrected into the dataset. */
  crops: z.boolean().default(false),
});
export type OcrSettingsInput = z.input<typeof ocrSettings>;
export type OcrSettings = z.output<typeof ocrSettings>;

const alternative = z.object({ char: z.string(), confidence: z.number() });
const charResult = z.object({
  box,
  char: z.string(),
  confidence: z.number(),
  alternatives: z.array(alternative),
  crop: z.string().optional(),
});
/** A word (a run of characters between spaces) with its confidence: the least certain of its characters. */
const wordResult = z.object({ text: z.string(), box, confidence: z.number() });
const lineResult = z.object({
  text: z.string(),
  box,
  /** The least certain word's confidence (hOCR x_wconf, ALTO WC per word; per line here). */
  confidence: z.number(),
  words: z.array(wordResult),
  chars: z.array(charResult),
});
export const ocrPageResult = z.object({
  source: z.string(),
  index: z.number().int().min(0),
  width: z.number().int().min(0),
  height: z.number().int().min(0),
  skewDegrees: z.number(),
  binarize: z.enum(['otsu', 'sauvola']),
  /** The reading profile's name. */
  profile: z.string(),
  /** Key of this page's layout in the core's short-lived cache: `ocr.reread` and `ocr.readBoxes` use it. */
  pageKey: z.string().optional(),
  text: z.string(),
  lines: z.array(lineResult),
  timings: z.record(z.string(), z.number()),
});
export type OcrPageResult = z.infer<typeof ocrPageResult>;
export type OcrLineResult = z.infer<typeof lineResult>;
export type OcrCharResult = z.infer<typeof charResult>;
export type OcrWordResult = z.infer<typeof wordResult>;
export type OcrBox = z.infer<typeof box>;

export const ocrDocument = z.object({
  /** The path or upload name. */
  file: z.string(),
  pages: z.array(ocrPageResult),
  ms: z.number(),
});
export type OcrDocument = z.infer<typeof ocrDocument>;

export interface OcrRunResult {
  documents: OcrDocument[];
  /** The model folder that read them, and what ran it. */
  model: { dir: string; classes: string; runtime: string };
}

const upload = z.strictObject({ name: z.string().min(1).max(1024), data: z.string().max(64 * 1024 * 1024) });

const runInput = z
  .strictObject({
    /** Image files on this machine (PNG, JPEG, WebP, TIFF; multi-page TIFF gives a page each). */
    paths: z.array(path).min(1).max(1000).optional(),
    /** Browser mode: images sent as base64. */
    files: z.array(upload).min(1).max(100).optional(),
    /** Model folder; default: the active model (models.setActive), else the bundled resources/models/default. */
    model: path.optional(),
    settings: ocrSettings.default(ocrSettings.parse({})),
  })
  .refine((v) => (v.paths ? 1 : 0) + (v.files ? 1 : 0) === 1, { message: 'Give exactly one of paths or files' });

export const ocrRequests = {
  'ocr.run': request<OcrRunResult>()(runInput, 'Read documents and return the result directly (a few pages).'),
  'ocr.start': request<{ jobId: string }>()(
    runInput,
    'Read documents as a job (many pages): job.progress per page, job.finished carries an OcrRunResult.',
  ),
  'ocr.export': request<{ format: OcrFormat; content: string }>()(
    z.strictObject({ document: ocrDocument, format: z.enum(OCR_FORMATS) }),
    'Render a read document as plain text, JSON, hOCR or ALTO XML.',
  ),
  'ocr.reread': request<OcrPageResult>()(
    z.strictObject({ pageKey: z.string().min(1).max(128), profile: z.union([z.enum(BUILTIN_PROFILES), readingProfile]) }),
    'Read a page again with another profile, from its cached layout (no new segmentation). not_found when the page left the cache: read the file again.',
  ),
  'ocr.readBoxes': request<{ chars: OcrCharResult[] }>()(
    z.strictObject({
      pageKey: z.string().min(1).max(128),
      boxes: z.array(box).min(1).max(1000),
      crops: z.boolean().default(true),
      profile: z.union([z.enum(BUILTIN_PROFILES), readingProfile]).optional(),
    }),
    "Classify the ink inside boxes of a cached page (after the person split or merged boxes): one character per box, best first alternatives; profile's charset applies.",
  ),
  'ocr.profiles': request<{ profiles: ReadingProfile[] }>()(z.strictObject({}), 'The built-in reading profiles, then the ones the person saved.'),
  'ocr.saveProfile': request<{ profile: ReadingProfile }>()(
    z.strictObject({ profile: readingProfile }),
    'Save (or replace) a reading profile under its name; built-in names are refused.',
  ),
  'ocr.deleteProfile': request<{ deleted: boolean }>()(z.strictObject({ name: z.string().min(1).max(64) }), 'Delete a saved reading profile.'),
  'ocr.correct': request<{ sampleId: number; created: boolean; editId: number | null }>()(
    z.strictObject({
      /** The character's normalized crop as returned with settings.crops (base64 PNG, white on black). */
      crop: z.string().min(1).max(1024 * 1024),
      label: z.string().min(1).max(4),
      /** The document it came from (stored as the sample's source). */
      source: z.string().min(1).max(4096),
      page: z.number().int().min(0).default(0),
      box: box.optional(),
    }),
    "Add a corrected character to the dataset as a labeled sample (source: the document; edit reason 'ocr').",
  ),
};

export const ocrEvents = {} satisfies Record<string, ReturnType<typeof event<z.ZodType>>>;
