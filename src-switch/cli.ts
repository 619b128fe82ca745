// `npm run switch`: runs the reference switch on loopback until Ctrl-C.
import { parseArgs } from 'node:util';
import { MessageSwitch } from './server.ts';
import { createSwitchData, DEFAULT_DATA_SIZE } from './switch-data.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8787' },
    'admin-port': { type: 'string', default: '0' },
    'latency-scale': { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
    'data-size': { type: 'string', default: String(DEFAULT_DATA_SIZE) },
    'hotlist-size': { type: 'string', default: '0' },
  },
});

function wholePort(name: string, text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--${name} must be a whole number from 0 to 65535, not "${text}"`);
    process.exit(2);
  }
  return port;
}

const port = wholePort('port', values.port);
const adminPort = wholePort('admin-port', values['admin-port']);
const latencyScale = Number(values['latency-scale']);
if (!Number.isFinite(latencyScale) || latencyScale < 0) {
  console.error(`--latency-scale must be a number of 0 or more, not "${values['latency-scale']}"`);
  process.exit(2);
}

function count(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`--${name} must be a whole number of 0 or more, not "${text}"`);
    process.exit(2);
  }
  return value;
}

const seed = count('seed', values.seed);
const size = count('data-size', values['data-size']);
const hotlistExtra = count('hotlist-size', values['hotlist-size']);

// No top-level await: this file is bundled as CommonJS for the Electron app's utility process.
async function main(): Promise<void> {
  // The switch only ever listens on loopback: it is a drill and test server, not a public one.
  const messageSwitch = new MessageSwitch({ latencyScale, seed, data: createSwitchData({ seed, size, hotlistExtra }) });
  try {
    const { url, adminUrl } = await messageSwitch.listen({ port, adminPort, host: '127.0.0.1' });
    // The Electron shell and the tests read these exact lines to learn the ports.
    console.log(`Outrider switch listening on ${url}`);
    console.log(`Outrider switch admin on ${adminUrl}`);
  } catch (error) {
    console.error(`The switch could not listen on 127.0.0.1:${port}: ${(error as Error).message}`);
    process.exit(1);
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void messageSwitch.close().then(() => process.exit(0));
    });
  }
}

void main();
