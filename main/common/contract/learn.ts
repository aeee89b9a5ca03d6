import { z } from 'zod';
import { request } from './define';
import { BINARIZE_METHODS, BUILTIN_PROFILES, readingProfile } from './ocr';

/** Learning from the person's documents: label a page from its transcript, improve the model on those samples. */

const path = z.string().min(1).max(4096);
const box = z.tuple([z.number(), z.number(), z.number(), z.number()]);
const profile = z.union([z.enum(BUILTIN_PROFILES), readingProfile]);

export const learnTranscriptInput = z
  .strictObject({
    /** An image on this machine (each page is aligned; a transcript line goes to the page line it fits). */
    path: path.optional(),
    /** Or a page the core read a moment ago (ocr.run's pageKey): no new reading. */
    pageKey: z.string().min(1).max(128).optional(),
    /** The document's name as samples record it (default: the path, or the page's source). */
    source: path.optional(),
    /** What the page (or part of it) reads: one line of text per line. */
    text: z.string().min(1).max(100_000),
    profile: profile.default('text'),
    /** Model folder; default: the active model, else the bundled default. */
    model: path.optional(),
    binarize: z.enum(BINARIZE_METHODS).default('auto'),
  })
  .refine((v) => (v.path ? 1 : 0) + (v.pageKey ? 1 : 0) === 1, { message: 'Give exactly one of path or pageKey' });

export interface LearnTranscriptResult {
  source: string;
  pages: number;
  /** Glyphs stored as labeled samples (new or relabeled), with where they are on the page. */
  samples: number;
  created: number;
  glyphs: { char: string; box: z.infer<typeof box>; page: number; sampleId: number }[];
  /** Class characters of the transcript that were not stored, never guessed. */
  unaligned: number;
  unalignedText: { text: string; chars: string; reason: string }[];
  batchId: number | null;
  editId: number | null;
}

export const learnTranscriptRequests = {
  'learn.transcript': request<LearnTranscriptResult>()(
    learnTranscriptInput,
    "Label a page from its transcript: align the transcript with the reader's segmentation lattice, store each confidently aligned glyph as a labeled sample (the document's import batch; edit reason 'transcript'), report what could not be aligned. The text also teaches the reader's language model.",
  ),
};

export const learnImproveInput = z.strictObject({
  /** Start from this model folder; default: the active model, else the bundled default. */
  from: path.optional(),
  epochs: z.number().int().min(1).max(50).default(4),
  /** Replay the shipped base tiles while fine-tuning (off: the document samples alone). */
  replay: z.boolean().default(true),
  learningRate: z.number().positive().max(1).default(0.0005),
  name: z.string().min(1).max(200).optional(),
});

const score = z.object({ before: z.number().nullable(), after: z.number().nullable(), n: z.number().int() });
const classChange = z.object({ label: z.string(), before: z.number(), after: z.number(), n: z.number().int() });
export const improveReport = z.object({
  modelId: z.number().int(),
  model: z.string(),
  from: z.string(),
  runId: z.number().int(),
  /** Accuracy on the shipped base test tiles. */
  base: score,
  /** Accuracy on the document samples held back from the fine-tune. */
  documents: score,
  /** Per class (accuracy changed): gains and regressions. */
  baseClasses: z.array(classChange),
  documentClasses: z.array(classChange),
  trained: z.object({ documents: z.number().int(), replay: z.number().int(), repeat: z.number().int() }),
  activated: z.boolean(),
  /** Why it was (or was not) made the active model. */
  reason: z.string(),
});
export type ImproveReport = z.infer<typeof improveReport>;

export const learnImproveRequests = {
  'learn.improve': request<{ jobId: string }>()(
    learnImproveInput,
    'Improve the model on the samples from documents (corrections, transcripts): fine-tune the active model with the base tiles replayed, as a training job (job.finished carries an ImproveReport); it becomes active only if better on the held-back document samples and at most 1 point worse on the base test tiles.',
  ),
};

export interface CompareOnDataResult {
  a: { dir: string; name: string };
  b: { dir: string; name: string };
  /** Per set of the person's data: how many samples, each model's accuracy, per class. */
  sets: { name: string; n: number; a: number | null; b: number | null; perClass: { label: string; n: number; a: number; b: number }[] }[];
}

export const learnCompareRequests = {
  'learn.compare': request<CompareOnDataResult>()(
    z.strictObject({ a: path, b: path }),
    "Two models (any folders, the bundled one included) on the person's own data: the samples from their documents and their dataset's test split, overall and per class.",
  ),
};

export interface PredictionsInfo {
  /** The model whose stored predictions the confidence and disagreement filters show (null: none yet). */
  model: { id: number; name: string } | null;
  /** Live samples with a prediction of that model, and all live samples. */
  predicted: number;
  total: number;
  /** The active model (id null: the bundled one, whose predictions are not stored). */
  active: { id: number | null; name: string } | null;
}

export const learnPredictionsRequests = {
  'learn.predictionsInfo': request<PredictionsInfo>()(
    z.strictObject({}),
    "Which model's predictions the dataset's confidence and disagreement filters show (the active registered model, else the latest), and how many samples have one.",
  ),
};

export const learnRequests = { ...learnTranscriptRequests, ...learnImproveRequests, ...learnCompareRequests, ...learnPredictionsRequests };
