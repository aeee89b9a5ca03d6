import fs from 'node:fs';
import path from 'node:path';
import type { BundledModel } from '../../common/contract/models';
import { MODEL_FILES } from '../ml/inference/model-files';
import { findResource } from '../resources';
import { modelFigures } from './figures';
import { type ModelMetadataRead, readModelMetadataFile } from './metadata';

/** The bundled model (resources/models/default), found from the bundle, the sources or Electron's resources. */
export function defaultModelDir(): string | null {
  // An explicit folder is the only one looked at (tests and packagers point it elsewhere, or at nothing).
  const env = process.env.GLYPHLAB_DEFAULT_MODEL;
  if (env) return fs.existsSync(path.join(env, MODEL_FILES.metadata)) ? path.resolve(env) : null;
  return findResource(path.join('models', 'default'), (c) => fs.existsSync(path.join(c, MODEL_FILES.metadata)));
}

/** The bundled default model as a read-only entry, or null when it is not installed (or unreadable). */
export function bundledModel(active: boolean): BundledModel | null {
  const dir = defaultModelDir();
  if (!dir) return null;
  let meta: ModelMetadataRead;
  try {
    meta = readModelMetadataFile(dir);
  } catch {
    return null;
  }
  const created = typeof meta.createdAt === 'string' ? Date.parse(meta.createdAt) : NaN;
  return {
    name: meta.name ?? 'default',
    dir,
    classes: meta.classes,
    inputSize: meta.inputSize,
    backend: meta.backend ?? 'unknown',
    createdAt: Number.isFinite(created) ? created : null,
    ...modelFigures(meta.metrics),
    active,
    readOnly: true,
  };
}
