// The switch's side of its supervisor (supervisor.ts): where it listens, and the drill restart that is about to kill it.
import { z } from 'zod';
import type { ProcessRestart } from '../drill/drill-session.ts';

/** Set by the supervisor on the process it starts; nobody else sets it. */
export const SUPERVISED_ENV = 'OUTRIDER_SWITCH_SUPERVISED';
/** The restart the supervisor starts this process for: it resumes that drill instead of starting afresh. */
export const RESUME_ENV = 'OUTRIDER_SWITCH_RESUME';

/** What the switch tells its supervisor over the IPC channel. */
export const SupervisorMessage = z.discriminatedUnion('type', [
  /** Listening: a process started after a restart binds these same ports (`port`: the one terminals reach, TLS or not). */
  z.object({ type: z.literal('listening'), port: z.number().int(), adminPort: z.number().int() }),
  /** A drill's restart step kept the drill in the store and kills this process now: start another to resume it. */
  z.object({ type: z.literal('restart'), restartId: z.string().uuid() }),
]);
export type SupervisorMessage = z.infer<typeof SupervisorMessage>;

/** Whether a supervisor started this process (and listens on its IPC channel). */
export function isSupervised(): boolean {
  return process.env[SUPERVISED_ENV] === '1' && typeof process.send === 'function';
}

/** The restart this process was started to resume, if any. */
export function resumeRestartId(): string | undefined {
  return isSupervised() ? process.env[RESUME_ENV] || undefined : undefined;
}

function tell(message: SupervisorMessage, then?: () => void): void {
  process.send!(message, undefined, {}, () => then?.());
}

export function tellListening(port: number, adminPort: number): void {
  tell({ type: 'listening', port, adminPort });
}

/**
 * A supervisor killed outright (`kill -9`, a test's crash) cannot stop this process: it follows at once, as a
 * switch whose service died would, leaving its ports free for the next start.
 */
export function endWithSupervisor(): void {
  process.once('disconnect', () => process.kill(process.pid, 'SIGKILL'));
}

/** Tells the supervisor which restart to resume, then dies as a crash would: no close, no report, nothing tidied. */
export const supervisedRestart: ProcessRestart = {
  restart: (restartId) => new Promise<never>(() => tell({ type: 'restart', restartId }, () => process.kill(process.pid, 'SIGKILL'))),
};
