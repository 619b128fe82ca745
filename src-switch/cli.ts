// `npm run switch`: runs the reference switch on loopback until Ctrl-C, playing a drill file if given one. With a
// durable store it runs under a supervisor (process/supervisor.ts) that starts it again after a drill's restart step.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { connect } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { parseArgs } from 'node:util';
import { type Drill, type DrillReport, parseDrillText } from '../src-shared/drill.ts';
import { type Coverage, type DriveCrossing, parseHostPort } from '../src-shared/drive.ts';
import type { StepEvent } from './drill/drill-player.ts';
import { clockText, defaultReportName, summarizeReport, writeDrawing, writeReport } from './drill/report-file.ts';
import type { ReportListener } from './drill/drill-session.ts';
import { describeChange, describeStep } from './drill/timeline.ts';
import { loadRoute, routeFile } from './drill/drive-route.ts';
import type { MessageSwitch } from './server.ts';
import { describeStore, openStore, parseStoreSpec } from './store/open-store.ts';
import type { SwitchStore } from './store/store.ts';
import { Sealer } from './store/sealing.ts';
import { StoreKeyFile } from './store/store-key.ts';
import { exposedSecret } from './auth/private-file.ts';
import { endWithSupervisor, isSupervised, resumeRestartId, supervisedRestart, tellListening } from './process/supervised.ts';
import { superviseSwitch } from './process/supervisor.ts';

interface CliOption {
  /** What follows the flag, in the help: N, FILE, ADDR... */
  value: string;
  help: string;
  default?: string;
  multiple?: true;
}

/** Every option, as `--help` prints it. */
const OPTIONS = {
  port: { value: 'N', default: '8787', help: 'the protocol port, the one terminals use' },
  host: { value: 'ADDR', default: '127.0.0.1', help: "the protocol port's address: loopback unless a deployment behind a load balancer on another machine says so" },
  'admin-port': { value: 'N', default: '0', help: 'the admin port (instructor page, drills, audit), always on loopback; 0 takes a free one' },
  'latency-scale': { value: 'X', default: '1', help: "multiplies the simulated sources' latencies (40-120 ms); 0 answers at once" },
  seed: { value: 'N', default: '1', help: 'chooses the synthetic record set' },
  'data-size': { value: 'N', help: 'people in the synthetic record set (10,000 when absent)' },
  'hotlist-size': { value: 'N', default: '0', help: 'pads the stolen-plate hotlist, up to a million plates' },
  drill: { value: 'FILE', help: 'a drill file to play as soon as the switch listens (docs/drills.md)' },
  'drive-nmea-udp': { value: 'HOST:PORT', help: "where a drill's drive sends its NMEA sentences over UDP, whatever the drill file says (127.0.0.1:10110 when neither says)" },
  'drive-speed': { value: 'X', help: "plays a drill's drive route X times as fast as it was driven, whatever the drill file says (0.1 to 1000)" },
  report: { value: 'FILE', help: "where each drill's report goes (drill-report-<timestamp>.json in the working directory)" },
  'tls-cert': { value: 'FILE', help: 'PEM certificate: with --tls-key, the protocol port speaks HTTPS, for rehearsing an agency CA' },
  'tls-key': { value: 'FILE', help: "PEM private key for --tls-cert" },
  'data-dir': { value: 'DIR', help: 'where the switch keeps what must outlive it (store, keys, admin token); printed at start' },
  store: { value: 'SPEC', help: 'what the switch remembers with: sqlite:PATH (the default, switch.db in the data folder), a postgres:// URL (several nodes), or memory' },
  'session-key-file': { value: 'FILE', help: '32 random bytes that sign session tokens, made on first use; without it the key is kept with the store' },
  'admin-token-file': { value: 'FILE', help: "the admin port's bearer token, made on first use; beside the session key by default" },
  'store-key-file': { value: 'FILE', help: '32 random bytes that seal the SQLite or PostgreSQL store at rest, made with a new store (store.key in the data folder); back it up apart from the database' },
  'rotate-store-key': { value: 'FILE', help: 'seal the whole store again under the key in FILE (made if missing), then exit; every node stopped first' },
  'audit-dir': { value: 'DIR', help: "keep each terminal's uploaded audit trail here as <terminal>.jsonl, read back at the next start" },
  'trust-proxy': { value: 'ADDR', multiple: true, help: "a load balancer's address or CIDR whose X-Forwarded-For names the car" },
  'training-officers': { value: 'N', default: '0', help: 'more training officers (TRN1001 upwards) for a large class or a load test' },
} as const satisfies Record<string, CliOption>;

function usage(): string {
  const lines = Object.entries(OPTIONS).map(([name, option]: [string, CliOption]) => {
    const flag = `  --${name} ${option.value}`;
    const help = `${option.help}${option.default !== undefined ? ` (default ${option.default})` : ''}${option.multiple ? '; may be repeated' : ''}`;
    return `${flag.padEnd(28)}${help}`;
  });
  return [
    'Usage: npm run switch -- [options]',
    '',
    'The Outrider reference message switch: answers terminals\' queries from simulated DMV, SVS, WPS and NCIC sources,',
    'plays drills, and keeps its promises in its store. Runs until Ctrl-C. Secret files must be the switch\'s own (mode 0600 or 0640).',
    'Deployment: docs/deploy-switch.md. Drills: docs/drills.md.',
    '',
    ...lines,
    '  --help                    this text',
  ].join('\n');
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        ...(Object.fromEntries(
          Object.entries(OPTIONS).map(([name, option]: [string, CliOption]) => [name, { type: 'string', ...(option.default !== undefined ? { default: option.default } : {}), ...(option.multiple ? { multiple: true } : {}) }]),
        ) as { [name in keyof typeof OPTIONS]: (typeof OPTIONS)[name] extends { multiple: true } ? { type: 'string'; multiple: true } : (typeof OPTIONS)[name] extends { default: string } ? { type: 'string'; default: string } : { type: 'string' } }),
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    // An unknown option or a missing value: say which, and where the list is, without a stack trace.
    console.error(`${(error as Error).message}. npm run switch -- --help lists the options.`);
    process.exit(2);
  }
})();
if (values.help) {
  console.log(usage());
  process.exit(0);
}

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
const size = values['data-size'] === undefined ? undefined : count('data-size', values['data-size']);
const hotlistExtra = count('hotlist-size', values['hotlist-size']);
const trainees = count('training-officers', values['training-officers']);

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
  const route = parsed.value.drive && loadRoute(routeFile(parsed.value.drive.route, file));
  if (route && !route.ok) {
    console.error(`--drill ${file} is not a valid drill: drive.route: ${route.error}`);
    process.exit(2);
  }
  return parsed.value;
}

const drill = values.drill === undefined ? undefined : loadDrill(values.drill);

/** The command line's say over every drive: checked here, so a bad address fails at start, not when a drive begins. */
const driveOverrides = (() => {
  const overrides: { nmeaUdp?: string; speed?: number } = {};
  const address = values['drive-nmea-udp'];
  if (address !== undefined) {
    const parsed = parseHostPort(address);
    if (typeof parsed === 'string') {
      console.error(`--drive-nmea-udp ${parsed}, not "${address}"`);
      process.exit(2);
    }
    overrides.nmeaUdp = address;
  }
  if (values['drive-speed'] !== undefined) {
    const speed = Number(values['drive-speed']);
    if (!Number.isFinite(speed) || speed < 0.1 || speed > 1000) {
      console.error(`--drive-speed must be a number from 0.1 to 1000, not "${values['drive-speed']}"`);
      process.exit(2);
    }
    overrides.speed = speed;
  }
  return overrides;
})();

/** The switch's data folder: `--data-dir`, else the session key's folder, else the platform's place for app data. */
function dataDir(): string {
  if (values['data-dir'] !== undefined) return resolve(values['data-dir']);
  if (values['session-key-file'] !== undefined) return dirname(resolve(values['session-key-file']));
  const home = homedir();
  if (process.platform === 'win32') return join(process.env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'Outrider', 'switch');
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'Outrider', 'switch');
  return join(process.env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'outrider', 'switch');
}

/** A secret file: read, or made owner-only with `make()` when it does not exist yet. Exits 2 naming the flag on failure. */
function secretFile(flag: string, file: string, make: () => Buffer, minBytes: number): Buffer {
  let content: Buffer;
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    if (!existsSync(file)) writeFileSync(file, make(), { mode: 0o600, flag: 'wx' });
    content = readFileSync(file);
  } catch (error) {
    console.error(`--${flag}: ${(error as Error).message}`);
    process.exit(2);
  }
  if (content.length < minBytes) {
    console.error(`--${flag} ${file} holds ${content.length} bytes; it needs at least ${minBytes}`);
    process.exit(2);
  }
  const exposed = exposedSecret(`--${flag}`, file);
  if (exposed) {
    console.error(exposed);
    process.exit(2);
  }
  return content;
}

const data = dataDir();
const sessionKeyFile = values['session-key-file'] ?? join(data, 'session.key');
const adminTokenFile = values['admin-token-file'] ?? join(dirname(sessionKeyFile), 'admin.token');
const storeKeyFile = new StoreKeyFile(resolve(values['store-key-file'] ?? join(data, 'store.key')));
const sessionKey = values['session-key-file'] === undefined ? undefined : secretFile('session-key-file', sessionKeyFile, () => randomBytes(32), 32);
const storeSpec = (() => {
  const parsed = parseStoreSpec(values.store, data);
  if (!parsed.ok) {
    console.error(parsed.error);
    process.exit(2);
  }
  return parsed.spec;
})();
// 32 random bytes as text, so an administrator can paste it; surrounding white space is not part of it.
const adminToken = secretFile('admin-token-file', adminTokenFile, () => Buffer.from(`${randomBytes(32).toString('base64url')}\n`), 32).toString('utf8').trim();

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
    server.listen(port, values.host, () => resolve());
  });
  return server;
}

function logStep(event: StepEvent, playing: Drill): void {
  const step = playing.steps[event.step]!;
  const what = event.kind === 'up' ? 'switch back up after its restart' : describeStep(step);
  const cycle = playing.loop ? ` (cycle ${event.cycle})` : '';
  console.log(`Drill "${playing.name}" ${clockText(event.atSeconds)}${cycle} steps[${event.step}]: ${what}`);
}

function logCrossing(crossing: DriveCrossing, playing: Drill, area: Coverage): void {
  const cycle = playing.loop ? ` (cycle ${crossing.cycle})` : '';
  const what = crossing.event === 'entered' ? `entered ${area.name} (${area.kind}): ${describeChange(area.conditions)}` : `left ${area.name} (${area.kind}): its conditions undone`;
  console.log(`Drill "${playing.name}" ${clockText(crossing.atSeconds)}${cycle} drive: ${what}`);
}

function logReport(report: DrillReport, drawing: Parameters<ReportListener>[1]): void {
  console.log(summarizeReport(report));
  const file = values.report ?? defaultReportName(new Date());
  const written = writeReport(report, file);
  if (written.ok) console.log(`Drill report written to ${written.value}`);
  else console.error(`The drill report was not saved: ${written.error}`);
  const drawn = drawing.ok ? writeDrawing(drawing.value, file) : drawing;
  if (drawn.ok) console.log(`Drill report drawing written to ${drawn.value}`);
  else console.error(`The drill report's drawing was not saved: ${drawn.error}`);
}

/** Picks up the drill a restart step interrupted in the process before this one, saying so on the console. */
async function resumeDrill(messageSwitch: MessageSwitch, restartId: string): Promise<void> {
  let resumed: Awaited<ReturnType<MessageSwitch['drills']['resume']>>;
  try {
    resumed = await messageSwitch.drills.resume(restartId);
  } catch (error) {
    resumed = { ok: false, error: (error as Error).message };
  }
  if (!resumed.ok) {
    console.error(`The drill was not resumed after the switch process restart: ${resumed.error}`);
    return;
  }
  const { drill: playing, restart, backAtSeconds } = resumed.value;
  console.log(`Drill "${playing.name}" resumed after its switch process restart at ${clockText(restart.atSeconds)} (pid ${restart.pidBefore} killed); back at ${clockText(backAtSeconds)}`);
}

/** The store the command line names, opened with its key file; exits 1 saying why when it cannot be. */
async function openStoreOrExit(): Promise<SwitchStore> {
  try {
    return await openStore(storeSpec, storeKeyFile);
  } catch (error) {
    console.error(`The switch could not open its store (${describeStore(storeSpec)}): ${(error as Error).message}`);
    process.exit(1);
  }
}

/**
 * `--rotate-store-key FILE`: opens the store with its key file, seals every value again under the key in FILE
 * (a new 32-byte key, made owner-only when FILE does not exist), and exits. Nothing is served meanwhile.
 */
async function rotateStoreKey(file: string): Promise<void> {
  if (storeSpec.engine === 'memory') {
    console.error('--rotate-store-key: the memory store keeps nothing on disk, and has no key to rotate');
    process.exit(2);
  }
  const next = new StoreKeyFile(resolve(file));
  let current: Buffer | undefined;
  let key: Buffer;
  try {
    current = storeKeyFile.read();
    key = next.read() ?? next.make();
  } catch (error) {
    console.error(`--rotate-store-key: ${(error as Error).message}`);
    process.exit(2);
  }
  if (current?.equals(key)) {
    console.error(`--rotate-store-key ${next.file} holds the key the store is sealed with now (${storeKeyFile.file}): give a file with a new key, or a path where one will be made`);
    process.exit(2);
  }
  const store = await openStoreOrExit();
  try {
    const count = await store.rotateKey!(new Sealer(key));
    console.log(`Store ${describeStore(storeSpec)} sealed again under the key in ${next.file}: ${count} values.`);
    console.log(`Start every node with --store-key-file ${next.file} (or put that file in place of ${storeKeyFile.file}).`);
    console.log('Keep the old key file only as long as the backups made before now, which need it; nothing taken from now on does.');
  } catch (error) {
    console.error(`The store was not sealed again (nothing changed): ${(error as Error).message}`);
    process.exitCode = 1;
  } finally {
    await store.close();
  }
}

// No top-level await: this file is bundled as CommonJS for the Electron app's utility process.
async function main(): Promise<void> {
  if (values['rotate-store-key'] !== undefined) return rotateStoreKey(values['rotate-store-key']);
  // A durable store outlives the process, so a drill's restart step may end it for real: a supervisor starts the next.
  if (storeSpec.engine !== 'memory' && !isSupervised()) return superviseSwitch(process.argv[1]!, process.argv.slice(2));
  const supervised = isSupervised();
  if (supervised) endWithSupervisor();
  const resume = resumeRestartId();
  // Loaded here, not imported at the top, so the supervisor process stays small and starts its child sooner.
  const [server, records, officers, codes] = await Promise.all([import('./server.ts'), import('./records/switch-data.ts'), import('./auth/drill-officers.ts'), import('./drill/drill-codes.ts')]);
  // The switch only ever listens on loopback: it is a drill and test server, not a public one.
  let messageSwitch: MessageSwitch;
  const store = await openStoreOrExit();
  try {
    messageSwitch = new server.MessageSwitch({
      store,
      ...(supervised ? { processRestart: supervisedRestart } : {}),
      ...(values['trust-proxy'] ? { trustProxy: values['trust-proxy'] } : {}),
      latencyScale,
      seed,
      data: records.createSwitchData({ seed, size, hotlistExtra }),
      sessionKey,
      adminToken,
      // A memory store forgets trails: they are kept as files too. A database keeps them; --audit-dir adds a copy.
      auditDir: values['audit-dir'] ?? (storeSpec.engine === 'memory' ? join(data, 'audit') : undefined),
      officers: [...officers.DRILL_OFFICERS, ...officers.traineeOfficers(trainees)],
    });
  } catch (error) {
    // A damaged audit trail in --audit-dir, or one that cannot be read.
    console.error(`The switch could not start: ${(error as Error).message}`);
    process.exit(1);
  }
  let tlsServer: TlsServer | undefined;
  // Registered before anything is printed: a supervisor that stops the switch the moment it reads a line
  // (the tests do) must find the handler in place. Closing stops a drill still playing, which writes its report first.
  // Under a supervisor, Ctrl-C arrives twice (from the terminal, and passed on): the second is not a second request,
  // and the supervisor ends the switch itself on the next one. Alone, a second Ctrl-C ends the switch at once.
  let closing = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (closing && !supervised) process.exit(1);
      if (closing) return;
      closing = true;
      tlsServer?.close();
      void messageSwitch
        .close()
        .then(() => store.close())
        .then(() => process.exit(0));
    });
  }
  messageSwitch.drills.onStep(logStep);
  messageSwitch.drills.onReport(logReport);
  messageSwitch.drills.onCrossing(logCrossing);
  messageSwitch.drills.overrideDrive(driveOverrides);
  if (resume) await resumeDrill(messageSwitch, resume);
  let listening: { url: string; adminUrl: string };
  try {
    listening = await messageSwitch.listen({ port: tls ? 0 : port, adminPort, host: tls ? '127.0.0.1' : values.host });
  } catch (error) {
    // A damaged audit trail in --audit-dir, a store that cannot be read, or a port taken.
    console.error(`The switch could not start: ${(error as Error).message}`);
    process.exit(1);
  }
  try {
    const { url: plainUrl, adminUrl } = listening;
    let url = plainUrl;
    if (tls) {
      tlsServer = await listenTls(tls, port, Number(new URL(plainUrl).port));
      const address = tlsServer.address();
      url = `https://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`;
    }
    // The Electron shell and the tests read these exact lines to learn the ports.
    console.log(`Outrider switch listening on ${url}`);
    console.log(`Outrider switch admin on ${adminUrl}`);
    console.log(`Switch data folder: ${data}`);
    console.log(`Switch store: ${describeStore(storeSpec)}`);
    const restarts = supervised ? "supervised: a drill's restart step kills it and its supervisor starts it again" : "a drill's restart step restarts the listener only";
    console.log(`Switch process id: ${process.pid} (${restarts})`);
    if (storeSpec.engine !== 'memory') console.log(`Store key file: ${storeKeyFile.file} (back it up apart from the store: without it the store cannot be read)`);
    console.log(`Admin token file: ${adminTokenFile} (send it as Authorization: Bearer; the instructor page asks for it once)`);
    // A drill switch's page link carries the token in its fragment, which the browser never sends anywhere.
    console.log(`Instructor page: ${adminUrl}/#admin-token=${adminToken}`);
    // Only a training directory's credentials are published; this CLI always runs one today, hence drill: true.
    const signInHint = codes.drillSignInHint({ drill: true });
    if (signInHint) console.log(signInHint);
    if (supervised) tellListening(Number(new URL(url).port), Number(new URL(adminUrl).port));
  } catch (error) {
    console.error(`The switch could not listen on 127.0.0.1:${port}: ${(error as Error).message}`);
    process.exit(1);
  }
  if (drill && !resume) {
    await messageSwitch.drills.start(drill, values.drill!);
    console.log(`Drill "${drill.name}" started: ${clockText(drill.durationSeconds)}${drill.loop ? ', looping until Ctrl-C' : ''}`);
    const drive = messageSwitch.drills.driveView();
    if (drive) console.log(`Drill "${drill.name}" drive: replaying ${drive.route} at ${drive.speed}x as NMEA over UDP to ${drive.nmeaUdp}`);
  }
}

void main();
