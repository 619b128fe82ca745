// `npm run start:web`: builds the renderer, starts the reference switch and serves the browser build.
import { parseArgs } from 'node:util';
import { DEFAULT_WEB_PORT, portOption, runWebTerminal } from './web-terminal.ts';

const { values } = parseArgs({ options: { port: { type: 'string', default: String(DEFAULT_WEB_PORT) }, 'no-build': { type: 'boolean', default: false } } });

await runWebTerminal({ port: portOption(values.port), build: !values['no-build'] });
