import type { Handlers } from '../../common/rpc/server';
import type { CoreContext } from '../context';
import type { trainingRequests } from '../../common/contract/training';
import { augmentPreview } from './preview';
import { compareModels } from './compare';
import {
  activeModel,
  deleteModel,
  exportModel,
  getModel,
  importModel,
  listModels,
  setActiveModel,
} from './registry';
import { trainableClasses } from './data';
import { TrainingRuns } from './runs';

export type TrainingHandlers = Pick<Handlers, keyof typeof trainingRequests>;

export function createTrainingHandlers(ctx: CoreContext): TrainingHandlers {
  const runs = new TrainingRuns(ctx);
  return {
    'training.start': (p) => runs.start(p),
    'training.cancel': ({ runId, force, keep }) => ({ cancelled: runs.cancel(runId, force, keep) }),
    'training.runs': ({ limit }) => runs.list(limit),
    'training.classes': () => ({ classes: trainableClasses(ctx.db) }),
    'training.augmentPreview': (p) => augmentPreview(ctx, p),
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
