import type { BackendInfo } from '../../common/contract/app';
import { type BackendPreference, initBackend } from '../ml/backends';

/** Sets up the tfjs backend for training in this thread (with the project's wasm training kernels). */
export async function setupBackend(pref: BackendPreference): Promise<BackendInfo & { warning: string | null }> {
  return initBackend(pref);
}
