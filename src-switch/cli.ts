// `npm run switch`: runs the reference switch on loopback until Ctrl-C.
import { parseArgs } from 'node:util';
import { buildSwitch } from './server.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8787' },
    host: { type: 'string', default: '127.0.0.1' },
    'latency-scale': { type: 'string', default: '1' },
  },
});

const port = Number(values.port);
const latencyScale = Number(values['latency-scale']);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a whole number from 0 to 65535, not "${values.port}"`);
  process.exit(2);
}
if (!Number.isFinite(latencyScale) || latencyScale < 0) {
  console.error(`--latency-scale must be a number of 0 or more, not "${values['latency-scale']}"`);
  process.exit(2);
}

const app = buildSwitch({ latencyScale });
try {
  const address = await app.listen({ port, host: values.host });
  // The Electron shell and the tests read this exact line to learn the port.
  console.log(`Outrider switch listening on ${address.replace('localhost', '127.0.0.1')}`);
} catch (error) {
  console.error(`The switch could not listen on ${values.host}:${port}: ${(error as Error).message}`);
  process.exit(1);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void app.close().then(() => process.exit(0));
  });
}
