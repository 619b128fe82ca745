// Runs the reference switch as a real child process on loopback; start-web and the tests both use it.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../src-switch/cli.ts', import.meta.url));
const LISTENING = /Outrider switch listening on (http:\/\/[\d.]+:(\d+))/;

export class SwitchProcess {
  #child: ChildProcess | undefined;
  #port: number;
  url = '';

  constructor(
    port = 0,
    private readonly extraArgs: readonly string[] = [],
  ) {
    this.#port = port;
  }

  get port(): number {
    return this.#port;
  }

  get running(): boolean {
    return this.#child !== undefined && this.#child.exitCode === null;
  }

  /** Starts the switch; after a stop it comes back on the same port, as a restarted switch would. */
  async start(): Promise<string> {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--port', String(this.#port), ...this.extraArgs], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      let stdout = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = LISTENING.exec(stdout);
        if (match) resolve(match[1]!);
      });
      child.once('exit', (code) => reject(new Error(`The switch exited (${code}) before listening: ${stderr.trim()}`)));
    });
    this.url = url;
    this.#port = Number(new URL(url).port);
    return url;
  }

  async stop(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }
}
