import type { Handlers } from '../../common/rpc/server';
import type { CoreContext } from '../context';
import { datasetRequests } from '../../common/contract/dataset';
import { GlyphError } from '../../common/errors';

export type DatasetHandlers = Pick<Handlers, keyof typeof datasetRequests>;

export function createDatasetHandlers(_ctx: CoreContext): DatasetHandlers {
  // Placeholder until the dataset store lands: every request answers 'unsupported'.
  return Object.fromEntries(
    Object.keys(datasetRequests).map((k) => [k, () => { throw new GlyphError('unsupported', `${k}: not implemented yet`); }]),
  ) as unknown as DatasetHandlers;
}
