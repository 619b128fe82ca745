// `npm start` (after `npm run build`): runs the built app in Electron, or says plainly why it cannot.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * The Electron executable, or undefined. `require('electron')` downloads a missing binary from
 * GitHub; it runs in a child so its download noise and stack traces stay out of the message below.
 */
function electronExecutable() {
  const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return probe.status === 0 && probe.stdout ? probe.stdout : undefined;
}

const executable = electronExecutable();
if (!executable) {
  console.error(
    'Outrider cannot start in Electron: the Electron binary is not installed on this machine ' +
      '(npm downloads it from GitHub, and that download failed). Run `npm run start:web` to use the terminal in a browser instead.',
  );
  process.exit(1);
}

// ELECTRON_RUN_AS_NODE (set by some editors' terminals) would turn Electron into plain Node.
const env = { ...process.env };
delete env.ELECTRON_RUN_AS_NODE;

const child = spawn(executable, [root, ...process.argv.slice(2)], { cwd: root, env, stdio: 'inherit', windowsHide: false });

const forwarded = ['SIGINT', 'SIGTERM', 'SIGHUP'];
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
