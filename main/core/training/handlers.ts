import type { Handlers } from '../../common/rpc/server';
import type { CoreContext } from '../context';
import type { trainingRequests } from '../../common/contract/training';

export type TrainingHandlers = Pick<Handlers, keyof typeof trainingRequests>;

export function createTrainingHandlers(_ctx: CoreContext): TrainingHandlers {
  return {};
}
