import type { Handlers } from '../../common/rpc/server';
import type { CoreContext } from '../context';
import type { trainingRequests } from '../../common/contract/training';
import { augmentPreview } from './preview';
import { trainableClasses } from './data';
import { trainingRunsFor } from './runs';

export type TrainingHandlers = Pick<Handlers, keyof typeof trainingRequests>;

export function createTrainingHandlers(ctx: CoreContext): TrainingHandlers {
  const runs = trainingRunsFor(ctx);
  return {
    'training.start': (p) => runs.start(p),
    'training.cancel': ({ runId, force, keep }) => ({ cancelled: runs.cancel(runId, force, keep) }),
    'training.runs': ({ limit }) => runs.list(limit),
    'training.classes': () => ({ classes: trainableClasses(ctx.db) }),
    'training.augmentPreview': (p) => augmentPreview(ctx, p),
  };
}
