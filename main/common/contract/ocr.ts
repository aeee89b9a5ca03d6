import { z } from 'zod';
import { event, request } from './define';

/** Document OCR: read pages with a character model, export the result, correct characters into the dataset. */

export const OCR_FORMATS = ['text', 'json', 'hocr', 'alto'] as const;
export type OcrFormat = (typeof OCR_FORMATS)[number];
export const BINARIZE_METHODS = ['auto', 'otsu', 'sauvola'] as const;

const path = z.string().min(1).max(4096);
const box = z.tuple([z.number(), z.number(), z.number(), z.number()]);

export const ocrSettings = z.strictObject({
  /** Ink from paper: Otsu (even light), Sauvola (photos, shadows), or auto. */
  binarize: z.enum(BINARIZE_METHODS).default('auto'),
  deskew: z.boolean().default(true),
  maxSkewDegrees: z.number().min(0).max(45).default(15),
  /** Remove long ruling lines (grids, underlines, table borders) before finding characters. */
  removeLines: z.boolean().default(true),
  /** Keep only the line with the tallest characters (a plate number, a heading). */
  mainLine: z.boolean().default(false),
  spaces: z.boolean().default(true),
  /** Return each character's normalized crop (base64 PNG) so it can be corrected into the dataset. */
  crops: z.boolean().default(false),
});
export type OcrSettingsInput = z.input<typeof ocrSettings>;

const alternative = z.object({ char: z.string(), confidence: z.number() });
const charResult = z.object({
  box,
  char: z.string(),
  confidence: z.number(),
  alternatives: z.array(alternative),
  crop: z.string().optional(),
});
const lineResult = z.object({ text: z.string(), box, chars: z.array(charResult) });
export const ocrPageResult = z.object({
  source: z.string(),
  index: z.number().int().min(0),
  width: z.number().int().min(0),
  height: z.number().int().min(0),
  skewDegrees: z.number(),
  binarize: z.enum(['otsu', 'sauvola']),
  text: z.string(),
  lines: z.array(lineResult),
  timings: z.record(z.string(), z.number()),
});
export type OcrPageResult = z.infer<typeof ocrPageResult>;

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
