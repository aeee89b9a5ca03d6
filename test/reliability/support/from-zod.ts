import fc from 'fast-check';
import type { z } from 'zod';

interface Def {
  type: string;
  innerType?: z.ZodType;
  element?: z.ZodType;
  items?: z.ZodType[];
  valueType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  values?: unknown[];
  entries?: Record<string, unknown>;
  checks?: { _zod: { def: Record<string, unknown> } }[];
  in?: z.ZodType;
}

const defOf = (s: z.ZodType) => (s as unknown as { def: Def }).def;
const shapeOf = (s: z.ZodType) => (s as unknown as { shape?: Record<string, z.ZodType> }).shape;

function checks(d: Def): Record<string, unknown>[] {
  return (d.checks ?? []).map((c) => c._zod.def);
}

/** Values at and around the bounds, plus random ones inside them. */
function numberArb(d: Def): fc.Arbitrary<number> {
  let min = -1e9;
  let max = 1e9;
  let int = false;
  for (const c of checks(d)) {
    if (c.check === 'greater_than') min = Math.max(min, Number(c.value) + (c.inclusive ? 0 : int ? 1 : 1e-9));
    if (c.check === 'less_than') max = Math.min(max, Number(c.value) - (c.inclusive ? 0 : int ? 1 : 1e-9));
    if (c.check === 'number_format' && String(c.format).includes('int')) int = true;
  }
  if (int) {
    min = Math.ceil(min);
    max = Math.floor(max);
    return fc.oneof(fc.constantFrom(min, max, Math.min(max, Math.max(min, 1)), Math.min(max, Math.max(min, 0))), fc.integer({ min, max }));
  }
  return fc.oneof(fc.constantFrom(min, max), fc.double({ min, max, noNaN: true, noDefaultInfinity: true }));
}

function lengthBounds(d: Def, cap: number): { min: number; max: number } {
  let min = 0;
  let max = cap;
  for (const c of checks(d)) {
    if (c.check === 'min_length') min = Math.max(min, Number(c.minimum));
    if (c.check === 'max_length') max = Math.min(max, Number(c.maximum));
    if (c.check === 'length_equals') min = max = Number(c.length);
  }
  return { min, max: Math.max(min, Math.min(max, min + cap)) };
}

function stringArb(d: Def, key: string, tmp: string): fc.Arbitrary<string> {
  const regex = checks(d).find((c) => c.check === 'string_format' && c.format === 'regex');
  const { min, max } = lengthBounds(d, 24);
  if (regex) return fc.stringMatching(regex.pattern as RegExp).filter((s) => s.length >= min && s.length <= max);
  // Anything that may be written to: only ever inside the test's temp folder.
  if (/^(out|dir|model|path|paths)$/.test(key)) return fc.string({ minLength: 1, maxLength: 12 }).map((s) => `${tmp}/${s.replace(/[^\w.-]/g, '_') || 'x'}`);
  return fc.oneof(
    fc.string({ minLength: min, maxLength: max }),
    fc.constantFrom('A', 'AB', '0123456789', ' ', '..', '%00').filter((s) => s.length >= min && s.length <= max),
  );
}

/**
 * Inputs that pass (most of) a request's schema: every field of the right type, at its bounds or
 * random within them; optional fields sometimes left out. For exercising the handlers themselves.
 */
export function validish(schema: z.ZodType, tmp: string, key = '', depth = 0): fc.Arbitrary<unknown> {
  const d = defOf(schema);
  switch (d.type) {
    case 'optional':
      return fc.option(validish(d.innerType!, tmp, key, depth), { nil: undefined });
    case 'default':
    case 'prefault':
      return fc.option(validish(d.innerType!, tmp, key, depth), { nil: undefined });
    case 'nullable':
      return fc.option(validish(d.innerType!, tmp, key, depth), { nil: null });
    case 'pipe':
      return validish(d.in!, tmp, key, depth);
    case 'object': {
      const shape = shapeOf(schema) ?? {};
      const entries = Object.entries(shape).map(([k, v]) => [k, validish(v, tmp, k, depth + 1)] as const);
      return fc.record(Object.fromEntries(entries)).map((o) => {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
        return out;
      });
    }
    case 'array': {
      const { min, max } = lengthBounds(d, 5);
      return fc.array(validish(d.element!, tmp, key, depth + 1), { minLength: min, maxLength: max });
    }
    case 'tuple':
      return fc.tuple(...(d.items ?? []).map((i) => validish(i, tmp, key, depth + 1)));
    case 'record':
      return depth > 3 ? fc.constant({}) : fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 });
    case 'number':
      return numberArb(d);
    case 'string':
      return stringArb(d, key, tmp);
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...Object.values(d.entries ?? {}));
    case 'literal':
      return fc.constantFrom(...(d.values ?? []));
    case 'unknown':
    case 'any':
      return fc.jsonValue({ maxDepth: 2 });
    default:
      return fc.constant(undefined);
  }
}
