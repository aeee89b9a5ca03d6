import type { Handlers } from '../../common/rpc/server';
import type { CoreContext } from '../context';
import type { ocrRequests } from '../../common/contract/ocr';

export type OcrHandlers = Pick<Handlers, keyof typeof ocrRequests>;

export function createOcrHandlers(_ctx: CoreContext): OcrHandlers {
  return {};
}
