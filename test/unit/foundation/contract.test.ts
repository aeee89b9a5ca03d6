import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { events, requests } from '../../../main/common/contract';
import { GlyphError } from '../../../main/common/errors';
import { dispatch } from '../../../main/common/rpc/server';
import { tmpCore } from '../../helpers/tmp';

describe('contract', () => {
  let app: ReturnType<typeof tmpCore>;
  beforeAll(() => {
    app = tmpCore();
  });
  afterAll(() => app.close());

  it('gives every request a zod schema and a doc, and the core a handler for each', () => {
    const names = Object.keys(requests).sort();
    expect(names.length).toBeGreaterThan(5);
    for (const name of names) {
      const def = requests[name as keyof typeof requests];
      expect(def.input, name).toBeInstanceOf(z.ZodType);
      expect(def.doc.length, name).toBeGreaterThan(5);
    }
    expect(Object.keys(app.core.handlers).sort()).toEqual(names);
  });

  it('gives every event a zod schema', () => {
    for (const [name, def] of Object.entries(events)) {
      expect(def.payload, name).toBeInstanceOf(z.ZodType);
    }
  });

  const signal = new AbortController().signal;
  const typeOf = async (p: Promise<unknown>) => {
    try {
      await p;
      return 'ok';
    } catch (e) {
      expect(e).toBeInstanceOf(GlyphError);
      return (e as GlyphError).type;
    }
  };

  it('refuses a bad argument with a typed validation error naming the field', async () => {
    await expect(dispatch(app.core.handlers, 'jobs.get', { id: 42 }, { signal })).rejects.toMatchObject({
      type: 'validation',
      message: expect.stringContaining('id'),
    });
    expect(await typeOf(dispatch(app.core.handlers, 'jobs.get', {}, { signal }))).toBe('validation');
    expect(await typeOf(dispatch(app.core.handlers, 'jobs.get', null, { signal }))).toBe('validation');
    expect(await typeOf(dispatch(app.core.handlers, 'app.info', { extra: 1 }, { signal }))).toBe('validation');
    expect(await typeOf(dispatch(app.core.handlers, 'app.info', JSON.parse('{"__proto__":{"x":1}}'), { signal }))).toBe('validation');
  });

  it('refuses an unknown request, including inherited property names', async () => {
    expect(await typeOf(dispatch(app.core.handlers, 'no.such', {}, { signal }))).toBe('unknown_method');
    expect(await typeOf(dispatch(app.core.handlers, 'toString', {}, { signal }))).toBe('unknown_method');
    expect(await typeOf(dispatch(app.core.handlers, '__proto__', {}, { signal }))).toBe('unknown_method');
  });

  it('answers app.info with the database and the backend in use', async () => {
    const info = await app.call('app.info', {});
    expect(info.dbPath).toBe(app.core.dbPath);
    expect(info.schemaVersion).toBeGreaterThanOrEqual(1);
    expect(['node', 'wasm', 'cpu']).toContain(info.backend.name);
    expect(info.backend.reason.length).toBeGreaterThan(0);
  });
});
