import type { PredictionsInfo } from '../../../common/contract/learn';
import type { CoreContext } from '../../context';
import { latestModelId } from '../../datasets/query';
import { activeModel } from '../../models/registry';

/** Which model's stored predictions the dataset's filters show, how many samples have one, and the active model. */
export function predictionsInfo(ctx: CoreContext): PredictionsInfo {
  const id = latestModelId(ctx.db);
  const name = id === null ? null : (ctx.db.prepare(`SELECT name FROM models WHERE id = ?`).pluck().get(id) as string | undefined);
  const predicted = id === null ? 0 : (ctx.db.prepare(`SELECT count(*) FROM predictions p JOIN samples s ON s.id = p.sample_id WHERE p.model_id = ? AND s.deleted_at IS NULL`).pluck().get(id) as number);
  const total = ctx.db.prepare(`SELECT count(*) FROM samples WHERE deleted_at IS NULL`).pluck().get() as number;
  const active = activeModel(ctx).model;
  return {
    model: id === null || typeof name !== 'string' ? null : { id, name },
    predicted,
    total,
    active: active ? { id: active.id, name: active.name } : null,
  };
}
