// The one wrapper every IPC handler goes through: trusted sender, parsed arguments, a Result back, never a throw.
import type { z } from 'zod';
import { fail, type Result } from '../../src-shared/result.ts';
import { type SenderFrame, untrustedSenderReason } from './validate-sender.ts';

/** The part of Electron's IpcMainInvokeEvent the guard reads; the event itself never reaches a handler. */
export interface InvokeEvent {
  readonly senderFrame: SenderFrame | null;
}

export type InvokeListener<T> = (event: InvokeEvent, ...rawArgs: unknown[]) => Promise<Result<T>>;

/**
 * Wraps `handler` so it only runs for the app's own top-level page, with arguments that parsed
 * against `argsSchema` (a tuple), and so that any failure comes back as `{ ok: false }`.
 */
export function guardedHandler<A extends unknown[], T>(
  channel: string,
  argsSchema: z.ZodType<A>,
  handler: (...args: A) => Result<T> | Promise<Result<T>>,
): InvokeListener<T> {
  return async (event, ...rawArgs) => {
    try {
      // Reading senderFrame throws when the frame was disposed mid-call.
      const refused = untrustedSenderReason(event.senderFrame);
      if (refused) {
        console.warn(`Refused ${channel}: ${refused}`);
        return fail(`Refused: ${refused}`);
      }
      const parsed = argsSchema.safeParse(rawArgs);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue && issue.path.length > 0 ? ` (${issue.path.join('.')})` : '';
        return fail(`Invalid arguments for ${channel}${where}: ${issue?.message ?? 'unknown problem'}`);
      }
      return await handler(...parsed.data);
    } catch (error) {
      console.error(`${channel} failed`, error);
      return fail(`${channel} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}
