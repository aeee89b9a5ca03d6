/**
 * Every call into sharp goes through here, so the core knows when libvips has work on the thread pool.
 * sharp's completion callbacks must not run after their thread's environment has begun to stop: a worker
 * thread ended (terminate, an uncaught error) while a decode is in flight aborts the whole process
 * ("terminate called after throwing an instance of 'Napi::Error'", lovell/sharp#2263 and
 * nodejs/node-addon-api#902). The core host therefore stops its thread only once `drainNativeCalls()` has
 * resolved: no call in flight, and none accepted after it.
 */
import { GlyphError } from '../common/errors';

let inFlight = 0;
let closed: 'refuse' | 'hold' | null = null;
const waiters: (() => void)[] = [];

/** Runs `f` (which calls a native addon) as a tracked call; refused (or held forever) once the core is stopping. */
export async function nativeCall<T>(f: () => Promise<T>): Promise<T> {
  if (closed === 'hold') return new Promise<T>(() => {});
  if (closed) throw new GlyphError('cancelled', 'The glyphlab core is stopping: no image is decoded or classified any more');
  inFlight++;
  try {
    return await f();
  } finally {
    inFlight--;
    if (inFlight === 0) for (const w of waiters.splice(0)) w();
  }
}

/**
 * Resolves when no call is in flight (at once when none is); from now on new calls are refused, or with
 * `hold` never answered (a crash on purpose: what is in flight stays in flight until the thread ends).
 */
export function drainNativeCalls(mode: 'refuse' | 'hold' = 'refuse'): Promise<void> {
  closed = mode;
  return inFlight === 0 ? Promise.resolve() : new Promise((r) => waiters.push(r));
}

/** Calls in flight now (tests). */
export function nativeCallsInFlight(): number {
  return inFlight;
}
