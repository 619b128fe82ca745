// `npm start` (after `npm run build`): the app in Electron, or the same terminal in a browser where Electron cannot run.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadProfile, profileLocation } from '../src-main/profile/load-profile.ts';
import { drillSignInHint } from '../src-switch/drill/drill-codes.ts';
import { checkElectron } from './electron-check.ts';
import { DEFAULT_WEB_PORT, portOption, runWebTerminal } from './web-terminal.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

interface StartOptions {
  /** `--electron`: Electron or nothing, for whoever needs the desktop app itself. */
  electronOnly: boolean;
  /** `--port N`: where the browser terminal is served if it comes to that. */
  port: string;
  /** Everything else goes to Electron, as it always has (Chromium switches, for one). */
  electronArgs: string[];
}

function startOptions(args: readonly string[]): StartOptions {
  const options: StartOptions = { electronOnly: false, port: String(DEFAULT_WEB_PORT), electronArgs: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--electron') options.electronOnly = true;
    else if (arg === '--port') options.port = args[++i] ?? '';
    else if (arg.startsWith('--port=')) options.port = arg.slice('--port='.length);
    else options.electronArgs.push(arg);
  }
  return options;
}

function launchElectron(executable: string, args: readonly string[]): void {
  // No agency profile means drill mode: the app starts its bundled drill switch, whose output nobody sees.
  const profile = loadProfile(profileLocation(process.platform, process.env), (file) => readFileSync(file, 'utf8'));
  const hint = drillSignInHint({ drill: profile.kind === 'drill' });
  if (hint) console.log(hint);

  // ELECTRON_RUN_AS_NODE (set by some editors' terminals) would turn Electron into plain Node.
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(executable, [root, ...args], { cwd: root, env, stdio: 'inherit', windowsHide: false });

  const forwarded = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const signal of forwarded) {
    process.on(signal, () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    });
  }
  child.on('error', (error) => {
    console.error(`Outrider could not launch Electron (${executable}): ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (signal) {
      // Die of the same signal, so whoever started `npm start` sees how Electron ended.
      for (const name of forwarded) process.removeAllListeners(name);
      process.kill(process.pid, signal);
      return;
    }
    process.exit(code ?? 1);
  });
}

const options = startOptions(process.argv.slice(2));
const electron = checkElectron();
if (electron.ok) {
  launchElectron(electron.executable, options.electronArgs);
} else if (options.electronOnly) {
  console.error(`Outrider cannot start in Electron: ${electron.reason}.`);
  process.exit(1);
} else {
  // The browser terminal is always a drill against the bundled switch, exactly as `npm run start:web` serves it.
  console.log(`Electron cannot start: ${electron.reason}. Serving the terminal to a browser instead.`);
  await runWebTerminal({ port: portOption(options.port), build: false });
}
