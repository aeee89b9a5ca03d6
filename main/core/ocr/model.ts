import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GlyphError } from '../../common/errors';
import { loadClassifier } from '../ml/inference/load';
import type { Classifier } from '../ml/inference/types';

/**
 * The bundled model: `resources/models/default/` of the app (found from this file upward, or in
 * Electron's resources folder); GLYPHLAB_DEFAULT_MODEL overrides it.
 */
export function defaultModelDir(): string {
  if (process.env.GLYPHLAB_DEFAULT_MODEL) return path.resolve(process.env.GLYPHLAB_DEFAULT_MODEL);
  const rel = path.join('resources', 'models', 'default');
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  if (resources && fs.existsSync(path.join(resources, 'models', 'default'))) return path.join(resources, 'models', 'default');
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'resources'))) return path.join(dir, rel);
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return path.resolve(rel);
}

const cache = new Map<string, { stamp: number; classifier: Promise<Classifier> }>();

/** Loads (once, until the folder's metadata changes) the classifier of a model folder. */
export async function classifierFor(modelDir: string | undefined): Promise<{ dir: string; classifier: Classifier }> {
  const dir = path.resolve(modelDir ?? defaultModelDir());
  const meta = path.join(dir, 'metadata.json');
  if (!fs.existsSync(meta)) {
    const what = modelDir ? `model folder ${dir}` : `default model ${dir}`;
    throw new GlyphError('not_found', `${what}: no model there (metadata.json missing)${modelDir ? '' : '; train one, or pass --model <dir>'}`, { dir });
  }
  const stamp = fs.statSync(meta).mtimeMs;
  let entry = cache.get(dir);
  if (!entry || entry.stamp !== stamp) {
    entry = { stamp, classifier: loadClassifier(dir) };
    cache.set(dir, entry);
    entry.classifier.catch(() => cache.delete(dir));
  }
  return { dir, classifier: await entry.classifier };
}
