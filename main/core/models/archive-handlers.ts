import type { modelArchiveRequests } from '../../common/contract/model-archive';
import { GlyphError } from '../../common/errors';
import type { Handlers } from '../../common/rpc/server';
import type { CoreContext } from '../context';
import { importModelArchive, modelArchive } from './archive';

export type ModelArchiveHandlers = Pick<Handlers, keyof typeof modelArchiveRequests>;

/** models.exportArchive / models.importArchive: a model as one zip file, as base64 over the transport. */
export function createModelArchiveHandlers(ctx: CoreContext): ModelArchiveHandlers {
  return {
    'models.exportArchive': ({ id }) => {
      const { name, data } = modelArchive(ctx, id);
      return { name, data: data.toString('base64') };
    },
    'models.importArchive': ({ file, data, name }) => {
      const bytes = Buffer.from(data, 'base64');
      if (bytes.length === 0) throw new GlyphError('bad_input', `${file}: empty or not base64`);
      return importModelArchive(ctx, bytes, file.slice(0, 200), name);
    },
  };
}
