import type { modelsRequests } from '../../common/contract/models';
import type { Handlers } from '../../common/rpc/server';
import type { CoreContext } from '../context';
import { compareModels } from './compare';
import { activeModel, deleteModel, exportModel, getModel, importModel, listModels, setActiveModel } from './registry';

export type ModelsHandlers = Pick<Handlers, keyof typeof modelsRequests>;

/** models.*: the registry of trained and imported models, the bundled default and the active model. */
export function createModelsHandlers(ctx: CoreContext): ModelsHandlers {
  return {
    'models.list': () => listModels(ctx),
    'models.get': ({ id }) => getModel(ctx, id),
    'models.delete': ({ id }) => {
      deleteModel(ctx, id);
      return { deleted: true };
    },
    'models.compare': ({ a, b }) => compareModels(ctx, a, b),
    'models.export': ({ id, out }) => ({ dir: exportModel(ctx, id, out) }),
    'models.import': ({ dir, name }) => importModel(ctx, dir, name),
    'models.setActive': ({ id }) => setActiveModel(ctx, id),
    'models.active': () => activeModel(ctx),
  };
}
