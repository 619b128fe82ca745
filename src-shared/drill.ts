// Drill files (a timeline of link conditions the switch plays), the drill admin routes, and the report a drill ends with.
import { z } from 'zod';
import { ConditionChange } from './condition-change.ts';
import { Drive, DriveCrossing } from './drive.ts';
import { FIELD_CONFIG } from './field-config.ts';
import { API_VERSION } from './protocol.ts';

export const drillPaths = {
  /** Admin server. GET: the drills shipped with the switch. */
  adminDrills: `/${API_VERSION}/admin/drills`,
  /** Admin server. GET: the drill playing (or last played); POST a StartDrill: play a shipped drill; DELETE: stop it. */
  adminDrill: `/${API_VERSION}/admin/drill`,
  /** Admin server. GET: the report so far (the last drill's final report once it has ended). */
  adminReport: `/${API_VERSION}/admin/report`,
  /** Admin server. GET: the same report drawn as an SVG document (a timeline of the link and of each query). */
  adminReportDrawing: `/${API_VERSION}/admin/report.svg`,
  /** Admin server, drill switch only. GET: each training officer's current one-time code and the seconds it has left. */
  adminDrillCodes: `/${API_VERSION}/admin/drill-codes`,
} as const;

/** The longest drill a file may describe: a whole class block, not a soak test. */
const MAX_DRILL_SECONDS = 4 * 60 * 60;
/** The longest a restart step may keep the switch down. */
const MAX_RESTART_SECONDS = 10 * 60;
/** Late means later than one request timeout: a terminal waiting longer than that has already given up and asked again. */
export const DEFAULT_LATE_AFTER_SECONDS = FIELD_CONFIG.requestTimeoutMs / 1000;

export { ConditionChange } from './condition-change.ts';

const seconds = z
  .number({ error: 'must be a number of seconds' })
  .min(0, { error: 'must be 0 seconds or more' })
  .max(MAX_DRILL_SECONDS, { error: `must be at most ${MAX_DRILL_SECONDS} seconds` });

/**
 * Restarts the switch, listening again on the same port `downSeconds` later: the process itself where a durable store
 * and a supervisor allow it (docs/drills.md), else the protocol listener (held connections dropped, new ones refused).
 */
export const RestartSwitch = z
  .object({
    downSeconds: z
      .number({ error: 'must be a number of seconds' })
      .positive({ error: 'must be more than 0 seconds' })
      .max(MAX_RESTART_SECONDS, { error: `must be at most ${MAX_RESTART_SECONDS} seconds` }),
  })
  .strict();
export type RestartSwitch = z.infer<typeof RestartSwitch>;

export type DrillStep = { at: number; set: ConditionChange } | { at: number; restart: RestartSwitch };

export const DrillStep = z
  .object({ at: seconds, set: ConditionChange.optional(), restart: RestartSwitch.optional() })
  .strict()
  .refine((step) => (step.set === undefined) !== (step.restart === undefined), {
    error: 'a step either sets conditions or restarts the switch: give "set" or "restart", not both or neither',
  })
  .transform((step): DrillStep => (step.restart !== undefined ? { at: step.at, restart: step.restart } : { at: step.at, set: step.set ?? {} }));

/** Where a restart step leaves the switch down, from `at` to `at + downSeconds`. */
const downUntil = (step: DrillStep): number | undefined => ('restart' in step ? step.at + step.restart.downSeconds : undefined);

export const Drill = z
  .object({
    name: z.string().trim().min(1, { error: 'is empty' }).max(80, { error: 'must be at most 80 characters' }),
    description: z.string().trim().min(1, { error: 'is empty: say what the class should see' }).max(2000),
    /** When the drill ends (and, with `loop`, when it starts again); the link is back to normal after it. */
    durationSeconds: seconds.positive({ error: 'must be more than 0 seconds' }),
    /** Play the timeline again from the start, from a normal link, until stopped. */
    loop: z.boolean().default(false),
    /** An answer delivered later than this after the switch first received its query counts as late. */
    lateAfterSeconds: z.number().positive().max(3600).default(DEFAULT_LATE_AFTER_SECONDS),
    steps: z.array(DrillStep).min(1, { error: 'a drill needs at least one step' }).max(500),
    /** A route the switch replays to the terminal's GPS, and the coverage that plays as the car crosses it (docs/drills.md). */
    drive: Drive.optional(),
  })
  .strict()
  .superRefine((drill, context) => {
    let restartUntil: { step: number; until: number } | undefined;
    drill.steps.forEach((step, index) => {
      const previous = drill.steps[index - 1];
      const problem = (message: string, path: PropertyKey[] = ['at']) => context.addIssue({ code: 'custom', path: ['steps', index, ...path], message });
      if (previous && step.at < previous.at) problem(`comes before steps[${index - 1}] (at ${previous.at} s): steps must be in time order`);
      else if (restartUntil && step.at < restartUntil.until)
        problem(`falls while the switch is down for the restart in steps[${restartUntil.step}] (until ${restartUntil.until} s)`);
      if (step.at > drill.durationSeconds) problem(`is after the drill ends (durationSeconds ${drill.durationSeconds})`);
      const until = downUntil(step);
      if (until !== undefined) {
        if (until > drill.durationSeconds) problem(`keeps the switch down past the end of the drill (${drill.durationSeconds} s)`, ['restart', 'downSeconds']);
        restartUntil = { step: index, until };
      }
    });
  });
export type Drill = z.infer<typeof Drill>;

/** `['steps', 3, 'set', 'lossPercent']` as `steps[3].set.lossPercent`. */
export function issuePath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${String(part)}` : String(part)), '');
}

/** The first problem, naming its entry: `steps[3].set.lossPercent: must be 0 to 100`. */
export function describeIssue(error: z.ZodError, whole = 'drill'): string {
  const issue = error.issues[0]!;
  const last = issue.path.at(-1);
  // Some shared messages start with their field's name ("lossPercent must be 0 to 100"); the path already says it.
  const message = typeof last === 'string' && issue.message.startsWith(`${last} `) ? issue.message.slice(last.length + 1) : issue.message;
  return `${issuePath(issue.path) || whole}: ${message}`;
}

export type DrillParse = { ok: true; value: Drill } | { ok: false; error: string };

export function parseDrill(input: unknown): DrillParse {
  const parsed = Drill.safeParse(input);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, error: describeIssue(parsed.error) };
}

/** A drill file's text: JSON first, then the schema. */
export function parseDrillText(text: string): DrillParse {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `drill: not JSON (${(error as Error).message})` };
  }
  return parseDrill(input);
}

/** POST to `adminDrill`: play one of the shipped drills. */
export const StartDrill = z.object({ id: z.string().regex(/^[a-z0-9-]{1,64}$/, { error: 'id must name a shipped drill, such as dead-zone' }) }).strict();
export type StartDrill = z.infer<typeof StartDrill>;

export const ShippedDrill = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  durationSeconds: z.number(),
  loop: z.boolean(),
});
export type ShippedDrill = z.infer<typeof ShippedDrill>;

export const DrillState = z.enum(['idle', 'running', 'ended', 'stopped']);
export type DrillState = z.infer<typeof DrillState>;

export const DrillStatus = z.object({
  state: DrillState,
  /** The shipped drill's id or the file it came from; null before any drill has played. */
  source: z.string().nullable(),
  name: z.string().nullable(),
  durationSeconds: z.number().nullable(),
  loop: z.boolean(),
  /** Seconds into the current cycle, and which cycle (from 1) a looping drill is on. */
  elapsedSeconds: z.number(),
  cycle: z.number().int(),
  /** Whether a restart step has the switch down right now. */
  restarting: z.boolean(),
  nextStep: z.object({ index: z.number().int(), at: z.number() }).nullable(),
  /** The last step the switch could not apply (a port taken while restarting, say). */
  lastError: z.string().nullable(),
  /**
   * What a restart step restarts here: the whole process (a durable store and a supervisor to start it again), or
   * the protocol listener only, and why (`memory store`: a real restart would forget what the store promises).
   */
  restartMode: z.object({ kind: z.enum(['process', 'listener']), reason: z.string() }),
  /** The switch process answering: a process restart changes the pid. */
  process: z.object({ pid: z.number().int(), startedAt: z.iso.datetime() }),
});
export type DrillStatus = z.infer<typeof DrillStatus>;

/** One restart step as it happened: when the switch went down, when it listened again, and which process it was. */
export const DrillRestart = z.object({
  step: z.number().int(),
  cycle: z.number().int(),
  /** Seconds into the cycle when it went down. */
  atSeconds: z.number(),
  /** `process`: the switch process was killed and a new one started; `listener`: the same process stopped listening. */
  kind: z.enum(['process', 'listener']),
  at: z.iso.datetime(),
  /** Null while it is still down. */
  backAt: z.iso.datetime().nullable(),
  pidBefore: z.number().int(),
  pidAfter: z.number().int().nullable(),
});
export type DrillRestart = z.infer<typeof DrillRestart>;

const count = z.number().int().min(0);

export const LateAnswer = z.object({
  idempotencyKey: z.string(),
  firstReceivedAt: z.iso.datetime(),
  deliveredAt: z.iso.datetime(),
  /** From the switch first receiving the query to its answer reaching the terminal. */
  delayMs: z.number().min(0),
});
export type LateAnswer = z.infer<typeof LateAnswer>;

/** What the switch did with the queries it received during a drill. */
export const DrillReport = z.object({
  drill: z.string().nullable(),
  state: DrillState,
  startedAt: z.iso.datetime(),
  endedAt: z.iso.datetime().nullable(),
  lateAfterSeconds: z.number(),
  queries: z.object({
    /** Query submissions that got through the link to the switch, resends included. */
    received: count,
    /** Different idempotency keys among them. */
    distinctKeys: count,
    executed: count,
    /** Resends of a key already executed: answered from the first execution, never run again. */
    duplicatesRefused: count,
    /** A key sent again with a different query: refused with 422. */
    keyReused: count,
  }),
  answers: z.object({
    /** Keys whose answer reached the terminal (a dropped, cut or garbled answer does not count). */
    delivered: count,
    /** Executed, but no answer has reached the terminal yet. */
    undelivered: count,
    late: count,
    medianDelayMs: z.number().nullable(),
    maxDelayMs: z.number().nullable(),
  }),
  /** The late answers, latest first (at most a few hundred listed; `answers.late` counts them all). */
  lateAnswers: z.array(LateAnswer),
  /** Each restart step played so far, in order; the counts above cover both sides of a process restart. */
  restarts: z.array(DrillRestart),
  /** For a drill with a drive: its route file, and each time the car entered or left a coverage polygon, in order. */
  drive: z.object({ route: z.string(), crossings: z.array(DriveCrossing) }).optional(),
});
export type DrillReport = z.infer<typeof DrillReport>;
