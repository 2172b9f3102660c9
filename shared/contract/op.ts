import type { z } from 'zod';

/** One operation of the contract: the zod schema its input must pass and the shape of its output. */
export interface OpDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
}

export function op<I extends z.ZodType, O extends z.ZodType>(input: I, output: O): OpDef<I, O> {
  return { input, output };
}
