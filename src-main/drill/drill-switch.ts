// Runs the bundled reference switch in a utility process on a free loopback port, for drill mode.
import { utilityProcess, type UtilityProcess } from 'electron';
import path from 'node:path';
import { listeningUrl } from './listening-line.ts';

/** Start-up on a slow laptop takes well under a second; after this long something is wrong. */
const START_TIMEOUT_MS = 15_000;

export interface DrillSwitch {
  readonly url: string;
  stop(): void;
}

function watchAfterStart(child: UtilityProcess): void {
  // Keep reading so a full pipe can never stall the switch.
  child.stdout?.resume();
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[drill switch] ${chunk.toString()}`));
  child.once('exit', (code) => console.error(`The drill switch stopped (exit code ${code}).`));
}

/** The switch's arguments: a free port, and its session key and audit trails kept in `stateDir` across restarts. */
export function drillSwitchArgs(stateDir: string): string[] {
  // Without a kept key every app restart would sign the officer out; without the kept audit the new switch
  // would refuse the terminal's chain (it would expect a fresh start) and the upload would never finish.
  // The memory store keeps the app free of native modules; the key and the audit files carry what a drill needs.
  return ['--port', '0', '--store', 'memory', '--session-key-file', path.join(stateDir, 'session.key'), '--audit-dir', path.join(stateDir, 'audit')];
}

/** Forks `modulePath` (dist/switch/switch.cjs) on a free port and resolves once it prints its URL. */
export function startDrillSwitch(modulePath: string, stateDir: string): Promise<DrillSwitch> {
  const child = utilityProcess.fork(modulePath, drillSwitchArgs(stateDir), { stdio: 'pipe', serviceName: 'Outrider drill switch' });
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const onStdout = (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = listeningUrl(stdout);
      if (!url) return;
      settle();
      watchAfterStart(child);
      resolve({ url, stop: () => child.kill() });
    };
    const onStderr = (chunk: Buffer) => (stderr += chunk.toString());
    const onExit = (code: number) => {
      settle();
      reject(new Error(`the drill switch exited (code ${code}) before listening${stderr.trim() ? `: ${stderr.trim()}` : ''}`));
    };
    const timer = setTimeout(() => {
      settle();
      child.kill();
      reject(new Error(`the drill switch did not start listening within ${START_TIMEOUT_MS / 1000} s`));
    }, START_TIMEOUT_MS);
    function settle() {
      clearTimeout(timer);
      child.stdout?.off('data', onStdout);
      child.stderr?.off('data', onStderr);
      child.off('exit', onExit);
    }
    child.stdout?.on('data', onStdout);
    child.stderr?.on('data', onStderr);
    child.once('exit', onExit);
  });
}
