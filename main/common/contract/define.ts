import type { z } from 'zod';

/**
 * One request of the contract: the zod schema of its argument (checked by the core on every call,
 * whatever the transport) and, as a type only, what it returns.
 */
export interface RequestDef<I extends z.ZodType = z.ZodType, O = unknown> {
  readonly input: I;
  readonly doc: string;
  /** Phantom: carries the result type; never set at run time. */
  readonly __output?: O;
}

export interface EventDef<P extends z.ZodType = z.ZodType> {
  readonly payload: P;
  readonly doc: string;
}

/** `request<Result>()(schema, doc)`: the result type is given explicitly, the input is inferred. */
export function request<O>() {
  return <I extends z.ZodType>(input: I, doc: string): RequestDef<I, O> => ({ input, doc });
}

export function event<P extends z.ZodType>(payload: P, doc: string): EventDef<P> {
  return { payload, doc };
}
