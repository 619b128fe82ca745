// A change to some of the link conditions, naming only what it changes: a drill step's `set`, a drive's coverage.
import { z } from 'zod';
import { LinkConditions } from './conditions.ts';

type WithoutDefaults<S extends z.ZodRawShape> = { [K in keyof S]: z.ZodOptional<S[K] extends z.ZodDefault<infer T> ? T : S[K]> };

/** Every field optional and none defaulted: a change touches only what it names and leaves the rest as it was. */
function withoutDefaults<S extends z.ZodRawShape>(shape: S): WithoutDefaults<S> {
  const fields = Object.entries(shape).map(([name, field]) => [name, z.optional(field instanceof z.ZodDefault ? field.removeDefault() : field)]);
  return Object.fromEntries(fields) as WithoutDefaults<S>;
}

/** The conditions one change names, e.g. `{ "lossPercent": 30 }`. */
export const ConditionChange = z
  .object(withoutDefaults(LinkConditions.shape))
  .strict()
  .refine((change) => Object.keys(change).length > 0, { error: 'names no condition to change' });
export type ConditionChange = z.infer<typeof ConditionChange>;
