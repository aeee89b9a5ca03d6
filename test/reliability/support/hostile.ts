import fc from 'fast-check';
import type { z } from 'zod';

/** Built once: large values are expensive to generate per case. */
const HUGE_STRING = 'x'.repeat(5 * 1024 * 1024);
const OVER_UPLOAD_LIMIT = 'A'.repeat(49 * 1024 * 1024);
const HUGE_NUMBERS = new Array<number>(600_000).fill(1);
const MANY_STRINGS = new Array<string>(20_000).fill('A');

function deep(depth: number, kind: 'object' | 'array'): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = kind === 'object' ? { a: v } : [v];
  return v;
}
const DEEP_OBJECT = deep(20_000, 'object');
const DEEP_ARRAY = deep(20_000, 'array');

/** Objects whose own keys are the classic prototype-pollution keys (as JSON.parse makes them). */
const POLLUTERS: unknown[] = [
  JSON.parse('{"__proto__": {"polluted": "yes"}}'),
  JSON.parse('{"constructor": {"prototype": {"polluted": "yes"}}}'),
  JSON.parse('{"prototype": {"polluted": "yes"}}'),
  JSON.parse('{"__proto__": {"toString": "polluted"}, "a": 1}'),
];

/** Values of every wrong shape: wrong types, non-finite and negative numbers, huge and deep things. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    undefined, null, true, false, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1, 0, -0, 1e308, -1e308,
    Number.MAX_SAFE_INTEGER + 2, 2 ** 31, 0.5, -0.5, '', ' ', '\u0000', '../../etc/passwd', '__proto__', 'constructor',
    HUGE_STRING, OVER_UPLOAD_LIMIT, HUGE_NUMBERS, MANY_STRINGS, DEEP_OBJECT, DEEP_ARRAY, [], {}, [null], [Number.NaN], ['A', 'A'],
    ...POLLUTERS,
  ),
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 5 }), fc.constant(null)), { maxLength: 20 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
  fc.anything({ maxDepth: 3 }),
);

const EXTRA_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'extra'];

/** The object shape behind optional/default/prefault/nullable wrappers, if the schema is an object. */
function objectShape(schema: z.ZodType): Record<string, z.ZodType> | null {
  let s = schema as unknown as { def: { type: string; innerType?: z.ZodType }; shape?: Record<string, z.ZodType> };
  for (let i = 0; i < 10 && s.def.innerType && s.def.type !== 'object'; i++) s = s.def.innerType as unknown as typeof s;
  return s.def.type === 'object' && s.shape ? s.shape : null;
}

/** An object with own properties, including '__proto__' as an own key (like JSON.parse does). */
function build(entries: [string, unknown][]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, configurable: true, writable: true });
  return o;
}

/**
 * Arguments for a request of this input schema: a hostile value instead of the object, or an object
 * with the schema's own keys (recursively for nested objects) and extra or polluting keys, carrying
 * hostile values. Never `{}` (which can be a valid, side-effecting call).
 */
export function hostileParams(schema: z.ZodType, depth = 0): fc.Arbitrary<unknown> {
  const shape = objectShape(schema);
  if (!shape || depth > 3) return hostileValue;
  const keys = Object.keys(shape);
  const entry = fc.constantFrom(...keys, ...EXTRA_KEYS).chain((k) =>
    fc.tuple(fc.constant(k), Object.hasOwn(shape, k) ? fc.oneof(hostileParams(shape[k]!, depth + 1), hostileValue) : hostileValue),
  );
  return fc.oneof(
    { weight: 1, arbitrary: hostileValue },
    { weight: 4, arbitrary: fc.array(entry, { minLength: 1, maxLength: 4 }).map(build) },
  );
}
