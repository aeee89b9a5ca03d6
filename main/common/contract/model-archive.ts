import { z } from 'zod';
import { request } from './define';
import type { ModelSummary } from './models';

// A model as one file (zip of model.json, weights.bin, model.onnx, metadata.json): the browser's download
// and upload, and what the CLI's `model export|import` write and read.

/** Base64 of an archive: 64 MiB of text, 48 MiB of zip (the bundled model is 2.5 MB). */
const archiveData = z.string().min(1).max(64 * 1024 * 1024);

export const modelArchiveRequests = {
  'models.exportArchive': request<{ name: string; data: string }>()(
    z.strictObject({ id: z.number().int().positive() }),
    'A model as one zip archive, base64, with the file name to save it as ("<name>.glyphlab-model.zip").',
  ),
  'models.importArchive': request<ModelSummary>()(
    z.strictObject({
      /** The uploaded file's name (named in errors; the model's name when its metadata has none). */
      file: z.string().min(1).max(1024),
      data: archiveData,
      name: z.string().min(1).max(200).optional(),
    }),
    'Register the model in an uploaded zip archive written by glyphlab (model export); bounded and checked before anything is stored.',
  ),
};
