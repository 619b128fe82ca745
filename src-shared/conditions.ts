// Link conditions a drill plays at the switch: the admin endpoint, drill files and tests all use this shape.
import { z } from 'zod';
import { Source } from './protocol.ts';

const percent = (name: string) =>
  z.number({ error: `${name} must be a number` }).min(0, { error: `${name} must be 0 to 100` }).max(100, { error: `${name} must be 0 to 100` });

export const LinkConditions = z
  .object({
    /** Connection refused: the switch stops listening. */
    outage: z.boolean().default(false),
    /** Connection accepted, nothing answered: the worst case for a terminal. */
    blackHole: z.boolean().default(false),
    /** Added before every answer, plus up to `jitterMs` more. */
    latencyMs: z.number().int().min(0).max(120_000).default(0),
    jitterMs: z.number().int().min(0).max(60_000).default(0),
    /** Requests dropped without an answer (the connection is reset). */
    lossPercent: percent('lossPercent').default(0),
    /** Requests answered 503. */
    serverErrorPercent: percent('serverErrorPercent').default(0),
    /** Query submissions answered 429 with this Retry-After (seconds); 0 for none. */
    retryAfterSeconds: z.number().int().min(0).max(3600).default(0),
    /** Answers cut off halfway through the body. */
    truncatePercent: percent('truncatePercent').default(0),
    /** Answers that are not JSON at all (a proxy's error page, a corrupted frame). */
    malformedPercent: percent('malformedPercent').default(0),
    /** The query is executed, then the connection drops before the answer: the lost acknowledgement. */
    lostAckPercent: percent('lostAckPercent').default(0),
    /** One source (say NCIC) answering this much slower than the rest; null when every source keeps its own pace. */
    slowSource: z
      .object({ source: Source, extraMs: z.number().int().min(0).max(120_000) })
      .strict()
      .nullable()
      .default(null),
  })
  .strict();
export type LinkConditions = z.infer<typeof LinkConditions>;

/** What the slow-source condition adds to one source's answer time, in milliseconds. */
export function extraSourceLatencyMs(conditions: LinkConditions, source: Source): number {
  return conditions.slowSource?.source === source ? conditions.slowSource.extraMs : 0;
}

export const NORMAL_CONDITIONS: LinkConditions = LinkConditions.parse({});
