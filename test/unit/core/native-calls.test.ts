import { describe, expect, it } from 'vitest';
import { drainNativeCalls, nativeCall, nativeCallsInFlight } from '../../../main/core/native-calls';

describe('native calls (the core host ends its thread only when none is in flight)', () => {
  it('counts calls in flight, drains after the last one, then refuses new calls', async () => {
    let finish!: (v: number) => void;
    const call = nativeCall(() => new Promise<number>((r) => (finish = r)));
    const failing = nativeCall(() => Promise.reject(new Error('corrupt')));
    await expect(failing).rejects.toThrow('corrupt');
    expect(nativeCallsInFlight()).toBe(1);
    let drained = false;
    const drain = drainNativeCalls().then(() => (drained = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(drained).toBe(false);
    finish(7);
    await expect(call).resolves.toBe(7);
    await drain;
    expect(drained).toBe(true);
    expect(nativeCallsInFlight()).toBe(0);
    await expect(nativeCall(() => Promise.resolve(1))).rejects.toMatchObject({ type: 'cancelled', message: expect.stringMatching(/stopping/) });
  });
});
