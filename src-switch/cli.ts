// `npm run switch`: runs the reference switch on loopback until Ctrl-C, playing a drill file if given one.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { parseArgs } from 'node:util';
import { type Drill, type DrillReport, parseDrillText } from '../src-shared/drill.ts';
import type { StepEvent } from './drill/drill-player.ts';
import { defaultReportName, summarizeReport, writeReport } from './drill/report-file.ts';
import { describeStep } from './drill/timeline.ts';
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
    /** A drill file to play as soon as the switch listens (see docs/drills.md). */
    drill: { type: 'string' },
    /** Where each drill's report goes; drill-report-<timestamp>.json in the working directory by default. */
    report: { type: 'string' },
    /** PEM certificate and key: with both, the protocol port speaks HTTPS, for rehearsing an agency CA. */
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    /** 32 random bytes that sign session tokens, made on first use: a restart keeps officers signed in. */
    'session-key-file': { type: 'string' },
    /** Keep each terminal's uploaded audit trail here too, as <terminal>.jsonl, read back at the next start. */
    'audit-dir': { type: 'string' },
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

/** Read and checked before the switch starts, so a bad file fails at once, naming its bad entry, instead of mid-class. */
function loadDrill(file: string): Drill {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    console.error(`--drill: cannot read ${file}: ${(error as Error).message}`);
    process.exit(2);
  }
  const parsed = parseDrillText(text);
  if (!parsed.ok) {
    console.error(`--drill ${file} is not a valid drill: ${parsed.error}`);
    process.exit(2);
  }
  return parsed.value;
}

const drill = values.drill === undefined ? undefined : loadDrill(values.drill);

/** The key that signs sessions: read, or made (owner-only) when the file does not exist yet. */
function loadSessionKey(file: string): Buffer {
  let key: Buffer;
  try {
    if (!existsSync(file)) writeFileSync(file, randomBytes(32), { mode: 0o600, flag: 'wx' });
    key = readFileSync(file);
  } catch (error) {
    console.error(`--session-key-file: ${(error as Error).message}`);
    process.exit(2);
  }
  if (key.length < 32) {
    console.error(`--session-key-file ${file} holds ${key.length} bytes; it needs at least 32`);
    process.exit(2);
  }
  return key;
}

interface TlsFiles {
  cert: string;
  key: string;
}

/** Both files or neither: a certificate without its key is a mistake, not a choice of plain HTTP. */
function loadTls(certFile: string | undefined, keyFile: string | undefined): TlsFiles | undefined {
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined) {
    console.error('--tls-cert and --tls-key must be given together');
    process.exit(2);
  }
  try {
    return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
  } catch (error) {
    console.error(`Cannot read the TLS certificate or key: ${(error as Error).message}`);
    process.exit(2);
  }
}

const tls = loadTls(values['tls-cert'], values['tls-key']);

/**
 * Terminates TLS on loopback `port` and hands each connection, byte for byte, to the plain protocol
 * listener on `innerPort`. Drill conditions still act on that listener: an outage there closes the
 * TLS connection right after its handshake instead of refusing it.
 */
async function listenTls(files: TlsFiles, port: number, innerPort: number): Promise<TlsServer> {
  const server = createTlsServer({ cert: files.cert, key: files.key, minVersion: 'TLSv1.2' }, (socket) => {
    const inner = connect(innerPort, '127.0.0.1');
    const end = () => {
      socket.destroy();
      inner.destroy();
    };
    socket.on('error', end).on('close', end);
    inner.on('error', end).on('close', end);
    socket.pipe(inner).pipe(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return server;
}

const clockText = (seconds: number) => `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;

function logStep(event: StepEvent, playing: Drill): void {
  const step = playing.steps[event.step]!;
  const what = event.kind === 'up' ? 'switch back up after its restart' : describeStep(step);
  const cycle = playing.loop ? ` (cycle ${event.cycle})` : '';
  console.log(`Drill "${playing.name}" ${clockText(event.atSeconds)}${cycle} steps[${event.step}]: ${what}`);
}

function logReport(report: DrillReport): void {
  console.log(summarizeReport(report));
  const written = writeReport(report, values.report ?? defaultReportName(new Date()));
  if (written.ok) console.log(`Drill report written to ${written.value}`);
  else console.error(`The drill report was not saved: ${written.error}`);
}

// No top-level await: this file is bundled as CommonJS for the Electron app's utility process.
async function main(): Promise<void> {
  // The switch only ever listens on loopback: it is a drill and test server, not a public one.
  let messageSwitch: MessageSwitch;
  try {
    messageSwitch = new MessageSwitch({
      latencyScale,
      seed,
      data: createSwitchData({ seed, size, hotlistExtra }),
      sessionKey: values['session-key-file'] === undefined ? undefined : loadSessionKey(values['session-key-file']),
      auditDir: values['audit-dir'],
    });
  } catch (error) {
    // A damaged audit trail in --audit-dir, or one that cannot be read.
    console.error(`The switch could not start: ${(error as Error).message}`);
    process.exit(1);
  }
  let tlsServer: TlsServer | undefined;
  // Registered before anything is printed: a supervisor that stops the switch the moment it reads a line
  // (the tests do) must find the handler in place. Closing stops a drill still playing, which writes its report first.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      tlsServer?.close();
      void messageSwitch.close().then(() => process.exit(0));
    });
  }
  try {
    const { url: plainUrl, adminUrl } = await messageSwitch.listen({ port: tls ? 0 : port, adminPort, host: '127.0.0.1' });
    let url = plainUrl;
    if (tls) {
      tlsServer = await listenTls(tls, port, Number(new URL(plainUrl).port));
      const address = tlsServer.address();
      url = `https://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`;
    }
    // The Electron shell and the tests read these exact lines to learn the ports.
    console.log(`Outrider switch listening on ${url}`);
    console.log(`Outrider switch admin on ${adminUrl}`);
    console.log(`Instructor page: ${adminUrl}/`);
  } catch (error) {
    console.error(`The switch could not listen on 127.0.0.1:${port}: ${(error as Error).message}`);
    process.exit(1);
  }
  messageSwitch.drills.onStep(logStep);
  messageSwitch.drills.onReport(logReport);
  if (drill) {
    await messageSwitch.drills.start(drill, values.drill!);
    console.log(`Drill "${drill.name}" started: ${clockText(drill.durationSeconds)}${drill.loop ? ', looping until Ctrl-C' : ''}`);
  }
}

void main();
