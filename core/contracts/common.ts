import { z } from 'zod';

/** The envelope every cloud function action returns: the client never has to parse a thrown error. */
export type ActionResult<T> =
  { ok: true; data: T } | { ok: false; error: { code: string; message: string; details?: Record<string, unknown> } };

/** One action: the zod schema of its input (parsed on the server) and of its output (the client's type). */
export interface ActionContract<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
}

export const defineAction = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O): ActionContract<I, O> => ({
  input,
  output,
});

export type InputOf<C> = C extends ActionContract<infer I, z.ZodType> ? z.input<I> : never;
export type OutputOf<C> = C extends ActionContract<z.ZodType, infer O> ? z.output<O> : never;

/** ISO-8601 instant as it crosses the wire (JSON has no dates). */
export const isoInstant = z.iso.datetime({ offset: true });
export const localDateString = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
