import fs from 'node:fs';
import path from 'node:path';
import { GlyphError } from '../../common/errors';
import type { CoreContext } from '../context';
import { loadClassifier } from '../ml/inference/load';
import { MODEL_FILES } from '../ml/inference/model-files';
import type { Classifier } from '../ml/inference/types';
import { defaultModelDir } from '../models/bundled';
import { activeModel } from '../models/registry';

/**
 * The one answer to "which model folder does OCR read with": the folder asked for (`--model`, the
 * request's `model`), else the person's active model (`models.setActive`), else the bundled default
 * (`resources/models/default`, or GLYPHLAB_DEFAULT_MODEL). Without a core (benchmarks, scripts)
 * there is no active model: the bundled default. Throws not_found with the reason when there is none.
 */
export function ocrModelDir(ctx: Pick<CoreContext, 'db' | 'dataDir'> | null, explicit?: string): string {
  if (explicit) return path.resolve(explicit);
  if (ctx) {
    const state = activeModel(ctx as CoreContext);
    if (state.model) return state.model.dir;
    throw new GlyphError('not_found', `${state.reason}; or pass --model <dir>`);
  }
  const dir = defaultModelDir();
  if (!dir) throw new GlyphError('not_found', 'No model: the bundled default model (resources/models/default) is not installed; pass --model <dir>');
  return dir;
}

const cache = new Map<string, { stamp: string; classifier: Promise<Classifier> }>();

function stampOf(dir: string): string | null {
  try {
    const files = [MODEL_FILES.metadata, MODEL_FILES.tfjs, MODEL_FILES.onnx];
    return files.map((f) => (fs.existsSync(path.join(dir, f)) ? fs.statSync(path.join(dir, f)).mtimeMs : 0)).join(':');
  } catch {
    return null;
  }
}

/**
 * The classifier of a model folder, loaded by the one inference loader (`loadClassifier`:
 * onnxruntime first, TensorFlow.js fallback), once until the folder's files change. A folder that
 * is not a model gets a not_found/bad_input GlyphError naming it.
 */
export async function classifierFor(dir: string): Promise<{ dir: string; classifier: Classifier }> {
  const abs = path.resolve(dir);
  if (!fs.existsSync(path.join(abs, MODEL_FILES.metadata))) {
    throw new GlyphError('not_found', `model folder ${abs}: no model there (${MODEL_FILES.metadata} missing)`, { dir: abs });
  }
  const stamp = stampOf(abs) ?? '';
  let entry = cache.get(abs);
  if (!entry || entry.stamp !== stamp) {
    entry = { stamp, classifier: loadClassifier(abs) };
    cache.set(abs, entry);
    const mine = entry;
    entry.classifier.catch(() => {
      if (cache.get(abs) === mine) cache.delete(abs);
    });
    // A replaced classifier is not disposed: a page being read may still hold it (it is small).
  }
  return { dir: abs, classifier: await entry.classifier };
}
