import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { GlyphError } from '../../../main/common/errors';
import { backendModules, detectBackend, initBackend } from '../../../main/core/ml/backends';
import { replacedKernels, restoreKernels } from '../../../main/core/ml/kernels';

const realNode = backendModules.node;

describe('backend selection', () => {
  afterEach(() => {
    backendModules.node = realNode;
    restoreKernels('cpu');
  });

  it('forced cpu: activates it, installs the kernels, and warns that training is slow', async () => {
    const info = await initBackend('cpu');
    expect(info.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(info.reason).toBe('asked for cpu');
    expect(info.warning).toMatch(/cpu backend/);
    expect(info.kernels).toContain('Conv2DBackpropFilter');
    expect(replacedKernels('cpu')).toContain('Conv2DBackpropFilter');
  });

  it('forced wasm: activates it with the training kernels and no warning', async () => {
    const info = await initBackend('wasm');
    expect(info.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info.warning).toBeNull();
    expect(info.kernels).toEqual(expect.arrayContaining(['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'MaxPoolGrad']));
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it('node unavailable: forced node fails with a clear reason, auto passes it over and says why', async () => {
    backendModules.node = 'glyphlab-test-no-such-module';
    const err = await initBackend('node').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GlyphError);
    expect((err as GlyphError).type).toBe('unsupported');
    expect((err as GlyphError).message).toMatch(/node: not installed/);
    const auto = await initBackend('auto');
    expect(auto.name).toBe('wasm');
    expect(auto.reason).toMatch(/node: not installed/);
    const detected = await detectBackend('auto');
    expect(detected.name).toBe('wasm');
  });

  it('auto falls back to cpu with a warning naming why wasm failed', async () => {
    backendModules.node = 'glyphlab-test-no-such-module';
    const realWasm = backendModules.wasm;
    backendModules.wasm = 'glyphlab-test-no-such-wasm';
    try {
      const info = await initBackend('auto');
      expect(info.name).toBe('cpu');
      expect(info.warning).toMatch(/wasm: not installed/);
    } finally {
      backendModules.wasm = realWasm;
    }
  });
});
