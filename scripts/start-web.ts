// `npm run start:web`: builds the renderer, starts the reference switch and serves the browser build.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SwitchProcess } from './switch-process.ts';
import { serveTerminal } from './web-server.ts';

const { values } = parseArgs({ options: { port: { type: 'string', default: '5173' }, 'no-build': { type: 'boolean', default: false } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a whole number from 0 to 65535, not "${values.port}"`);
  process.exit(2);
}

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
if (!values['no-build']) {
  console.log('Building the renderer…');
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], { cwd: projectRoot, stdio: 'inherit' });
}

const drillSwitch = new SwitchProcess(0);
const switchUrl = await drillSwitch.start();
console.log(`Outrider drill switch: ${switchUrl}`);

const version = (await import('../package.json', { with: { type: 'json' } })).default.version;
try {
  const { url } = await serveTerminal({
    root: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    port,
    config: { switchUrl, mode: 'drill', appVersion: version, shell: 'web' },
  });
  console.log(`Outrider web terminal: ${url}`);
  console.log('Press Ctrl-C to stop the terminal and the switch.');
} catch (error) {
  console.error(`Cannot serve the terminal on 127.0.0.1:${port}: ${(error as Error).message}. Try --port N.`);
  await drillSwitch.stop();
  process.exit(1);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void drillSwitch.stop().then(() => process.exit(0));
  });
}
