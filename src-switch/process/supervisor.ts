// Runs the switch in a child process and starts it again when a drill's restart step kills it. Any other end of the
// child (a crash, Ctrl-C, a stop) ends the supervisor with the child's exit code: a real crash is for the instructor,
// or systemd's Restart= at an agency, to see, not something to hide mid-class.
import { type ChildProcess, fork } from 'node:child_process';
import { constants } from 'node:os';
import { RESUME_ENV, SUPERVISED_ENV, SupervisorMessage } from './supervised.ts';

/** Starts `entry` with `args` (this CLI, as it was started) and keeps it going across drill restarts. */
export function superviseSwitch(entry: string, args: readonly string[]): void {
  let ports: { port: number; adminPort: number } | undefined;
  let child: ChildProcess;
  let stopping = false;

  const start = (resume?: string) => {
    // The same ports again: terminals, the instructor's bookmark and a load balancer find the switch where it was.
    const same = ports ? ['--port', String(ports.port), '--admin-port', String(ports.adminPort)] : [];
    const env = { ...process.env, [SUPERVISED_ENV]: '1', [RESUME_ENV]: resume ?? '' };
    const started = fork(entry, [...args, ...same], { env });
    child = started;
    let restartId: string | undefined;
    started.on('message', (raw) => {
      const message = SupervisorMessage.safeParse(raw);
      if (!message.success) return;
      if (message.data.type === 'listening') ports = { port: message.data.port, adminPort: message.data.adminPort };
      else restartId = message.data.restartId;
    });
    started.once('exit', (code, signal) => {
      if (restartId !== undefined && !stopping) {
        console.log(`Switch process ${started.pid} was killed by the drill's restart step; starting it again`);
        start(restartId);
        return;
      }
      process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  };

  // Passed on to the switch, which stops its drill and writes the report; a second one ends it at once.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) child.kill('SIGKILL');
      else child.kill(signal);
      stopping = true;
    });
  }
  start();
}
