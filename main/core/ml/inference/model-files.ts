import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { GlyphError } from '../../../common/errors';

/** File names inside a model folder (written by training, read by inference and export). */
export const MODEL_FILES = {
  /** TensorFlow.js topology + weights manifest. */
  tfjs: 'model.json',
  /** ONNX export of the same weights (optional; inference is faster with it). */
  onnx: 'model.onnx',
  /** `{ classes, inputSize, ... }` written by training. */
  metadata: 'metadata.json',
} as const;

const metadataSchema = z.looseObject({
  classes: z.string().min(2),
  inputSize: z.number().int().min(8).max(128),
});

export type ModelMetadata = z.infer<typeof metadataSchema>;

/** Reads and checks `metadata.json`; GlyphError naming the file and the reason otherwise. */
export function readModelMetadata(modelDir: string): ModelMetadata {
  const file = path.join(modelDir, MODEL_FILES.metadata);
  if (!fs.existsSync(modelDir)) throw new GlyphError('not_found', `Model folder ${modelDir} does not exist`);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new GlyphError('not_found', `${file}: missing (not a glyphlab model folder?)`);
    throw new GlyphError('bad_input', `${file}: ${(e as Error).message}`);
  }
  const parsed = metadataSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new GlyphError('bad_input', `${file}: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`);
  }
  if (new Set(parsed.data.classes).size !== [...parsed.data.classes].length) {
    throw new GlyphError('bad_input', `${file}: classes has repeated characters`);
  }
  return parsed.data;
}
