// The reference message switch: a Fastify server speaking the protocol in src-shared.
import cors from '@fastify/cors';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import { FIELD_CONFIG } from '../src-shared/field-config.ts';
import { type ExecutionStats, type Health, IDEMPOTENCY_HEADER, paths, type Readiness } from '../src-shared/protocol.ts';
import { extraSourceLatencyMs } from '../src-shared/conditions.ts';
import { drillPaths } from '../src-shared/drill.ts';
import { ConditionPlayer, seededRandom } from './drill/condition-player.ts';
import { refuseForeignHosts, registerConditionsAdmin, registerDrillAdmin } from './drill/admin-routes.ts';
import { drillCodes } from './drill/drill-codes.ts';
import { DrillKeeper } from './drill/drill-keeper.ts';
import { DrillSession, type ProcessRestart } from './drill/drill-session.ts';
import { QueryLedger } from './drill/query-ledger.ts';
import { registerBoloAdmin } from './protocol/bolo-routes.ts';
import { registerConfirmations } from './protocol/confirmations.ts';
import { registerEvents } from './protocol/event-routes.ts';
import { registerHotlist, registerHotlistAdmin } from './protocol/hotlist-routes.ts';
import { EventHub } from './protocol/event-hub.ts';
import { Executions } from './protocol/executions.ts';
import { QueryRoutes } from './protocol/query-routes.ts';
import { MemoryStore } from './store/memory-store.ts';
import { StoreDamaged, StoreUnavailable, type SwitchStore } from './store/store.ts';
import { AuditKeeper } from './auth/audit-keeper.ts';
import { registerAudit, registerAuditAdmin } from './auth/audit-routes.ts';
import { type AuthState, registerAuth, registerAuthAdmin } from './auth/auth-routes.ts';
import { guardAdmin } from './auth/admin-guard.ts';
import { LiveStreams } from './auth/live-streams.ts';
import { SecurityLog } from './auth/security-log.ts';
import { SignInThrottle } from './auth/sign-in-throttle.ts';
import { PAGE_PATHS } from './drill/instructor-page.ts';
import { OfficerDirectory } from './auth/officer-directory.ts';
import { SessionTokens } from './auth/session-tokens.ts';
import { DRILL_OFFICERS, type DrillOfficer } from './auth/drill-officers.ts';
import { openApiDocument } from './protocol/openapi.ts';
import { defaultSwitchData, type SwitchData } from './records/switch-data.ts';
import { SimulatedSources } from './sources/simulated-sources.ts';
import type { Upstream } from './sources/upstream.ts';
import { sendError } from './protocol/error-reply.ts';

export interface SwitchOptions {
  /** Multiplies every source's latency: 0 answers at once, 1 is the realistic default. */
  latencyScale?: number;
  /** Whether this switch is the bundled drill switch (shown on the terminal). */
  drill?: boolean;
  /** Origins allowed to call the switch from a browser; loopback and the app:// shell by default. */
  allowedOrigins?: ReadonlyArray<string | RegExp>;
  now?: () => Date;
  version?: string;
  /** Seed for the drill's random rolls (loss, errors), so a drill plays the same way twice. */
  seed?: number;
  /** The records and hotlist the switch answers from; the default seeded set when absent. */
  data?: SwitchData;
  /**
   * Whether CJI endpoints need an officer's session: 'required' (the default, and always from the CLI);
   * 'off' only for protocol tests about something else.
   */
  sessions?: 'required' | 'off';
  /** Signs session tokens; kept with the store when absent (so a restart, or another node, honours them). */
  sessionKey?: Buffer;
  /** Where kept audit trails are also written, a JSON-lines file per terminal; memory only when absent. */
  auditDir?: string;
  /** Who may sign in: the six training officers by default. */
  officers?: readonly DrillOfficer[];
  /**
   * Addresses of load balancers whose X-Forwarded-For names the client (Fastify's trustProxy: an address, a
   * CIDR, or a list). Without it, behind HAProxy every car would seem to come from HAProxy's address.
   */
  trustProxy?: string[];
  /** What the switch remembers: memory by default (a restart forgets); SQLite or PostgreSQL from the CLI's --store. */
  store?: SwitchStore;
  /** The sources queries are asked of (docs/sources.md): the simulation by default, answering from `data`. */
  upstream?: Upstream;
  /** The admin port's bearer token; random per process when absent (read it from `adminToken`). */
  adminToken?: string;
  /**
   * Ends the process for a drill's restart step, its supervisor starting the next (the CLI gives it with a durable
   * store). Without it, or with the memory store, a restart step restarts the protocol listener only.
   */
  processRestart?: ProcessRestart;
}

export const DEFAULT_ALLOWED_ORIGINS: ReadonlyArray<string | RegExp> = [
  /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/,
  /^app:\/\/[a-z0-9-]+$/,
];


/** How long a terminal is asked to wait when the store cannot be reached: nothing it sent is lost meanwhile. */
const STORE_RETRY_AFTER_S = 5;

/** Maps Fastify's own failures (bad JSON, oversized body) to the protocol's error body. */
function onError(error: FastifyError | StoreUnavailable | StoreDamaged, _request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof StoreUnavailable) {
    reply.header('Retry-After', String(STORE_RETRY_AFTER_S));
    return sendError(reply, 503, 'store_unavailable', 'The switch cannot reach its database: send again after Retry-After; nothing is lost');
  }
  // Tampering, or a restore gone wrong: the operator reads where (never what) in the switch's log; the caller, nothing of it.
  if (error instanceof StoreDamaged) {
    console.error(`Outrider switch: ${error.message}`);
    return sendError(reply, 500, 'store_damaged', 'The switch holds a damaged record for this request; its administrator has been told');
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return sendError(reply, 413, 'body_too_large', `Request body is larger than ${FIELD_CONFIG.maxBodyBytes} bytes`);
  }
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return sendError(reply, 415, 'unsupported_media_type', 'Send the query as application/json');
  }
  if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return sendError(reply, 400, 'empty_body', 'Request body is empty');
  if ((error.statusCode ?? 500) < 500) return sendError(reply, error.statusCode ?? 400, 'malformed_request', `Malformed request: ${error.message}`);
  return sendError(reply, 500, 'internal', 'The switch failed to process the request');
}

/** The instructor page's own files: no data in them, and the page asks for the admin token itself. */
const OPEN_ADMIN_PATHS: ReadonlySet<string> = new Set([PAGE_PATHS.page, PAGE_PATHS.script, PAGE_PATHS.style, '/favicon.ico']);

/** What the two servers share: the one record of executions, the event stream, the drill's ledger. */
interface SwitchState {
  store: SwitchStore;
  executions: Executions;
  queries: QueryRoutes;
  hub: EventHub;
  counters: { received: number };
  ledger: QueryLedger;
}

/** The protocol server: what terminals talk to, and what drill conditions act on. */
function buildProtocol(options: SwitchOptions, data: SwitchData, state: SwitchState, conditions: () => ConditionPlayer, auth: AuthState): FastifyInstance {
  const { store, executions, hub } = state;
  const now = options.now ?? (() => new Date());
  const latencyScale = options.latencyScale ?? 1;
  // The switch logs no request bodies and no URLs with query data: they are CJI.
  const app = Fastify({ logger: false, bodyLimit: FIELD_CONFIG.maxBodyBytes, forceCloseConnections: true, ...(options.trustProxy ? { trustProxy: options.trustProxy } : {}) });
  app.setErrorHandler(onError);
  // The protocol is JSON only; a text body is refused with 415 rather than guessed at.
  app.removeContentTypeParser('text/plain');
  app.register(cors, {
    origin: [...(options.allowedOrigins ?? DEFAULT_ALLOWED_ORIGINS)],
    allowedHeaders: ['Content-Type', 'Authorization', IDEMPOTENCY_HEADER, 'If-None-Match', 'Prefer', 'Last-Event-ID'],
    exposedHeaders: ['Idempotent-Replayed', 'Retry-After', 'ETag', 'Preference-Applied', 'Location'],
    methods: ['GET', 'POST'],
    maxAge: 600,
  });
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'OPTIONS' && (await conditions().gate(request, reply))) return reply;
  });

  registerAuth(app, auth);

  app.get(paths.health, async (): Promise<Health> => ({
    status: 'ok',
    switchTime: now().toISOString(),
    drill: options.drill ?? true,
    version: options.version ?? '0.1.0',
  }));

  // Readiness: the store answers a read (it throws StoreUnavailable, a 503 with Retry-After, when it cannot).
  app.get(paths.ready, async (): Promise<Readiness> => {
    await store.eventBounds();
    return { status: 'ready', store: store.engine };
  });

  state.queries.register(app);

  registerEvents(app, hub, auth.streams);

  app.get(paths.openapi, async () => openApiDocument());
  registerHotlist(app, data.hotlist);
  registerConfirmations(app, { hub, store, lookup: (key) => executions.lookup(key), now, latencyScale });
  registerAudit(app, auth);
  return app;
}

/** The admin server: loopback only, on its own port so an outage drill cannot lock the instructor out. */
function buildAdmin(options: SwitchOptions, data: SwitchData, state: SwitchState, conditions: ConditionPlayer, drills: DrillSession, now: () => Date, auth: AuthState, adminToken: string): FastifyInstance {
  const { store, executions, counters, hub } = state;
  const admin = Fastify({ logger: false, bodyLimit: FIELD_CONFIG.maxBodyBytes, forceCloseConnections: true });
  admin.setErrorHandler(onError);
  refuseForeignHosts(admin);
  guardAdmin(admin, adminToken, OPEN_ADMIN_PATHS);
  admin.get(paths.adminStats, async (): Promise<ExecutionStats> => ({ received: counters.received, ...(await executions.stats()) }));
  registerConditionsAdmin(admin, conditions);
  registerBoloAdmin(admin, { store, hub, now });
  registerHotlistAdmin(admin, data.hotlist);
  registerDrillAdmin(admin, drills);
  registerAuthAdmin(admin, auth);
  registerAuditAdmin(admin, auth);
  // Codes are shown only for a drill's published training officers, never for a directory of real ones.
  if (options.drill ?? true) admin.get(drillPaths.adminDrillCodes, async () => drillCodes(options.officers ?? DRILL_OFFICERS, now().getTime()));
  return admin;
}

export interface SwitchAddresses {
  url: string;
  adminUrl: string;
}

/** The reference message switch: a protocol server and an admin server sharing one store. */
export class MessageSwitch {
  readonly protocol: FastifyInstance;
  readonly admin: FastifyInstance;
  readonly conditions: ConditionPlayer;
  /** The drill playing, its report, and the page an instructor drives them from (admin server, `/`). */
  readonly drills: DrillSession;
  readonly events: EventHub;
  /** What the admin port asks for as `Authorization: Bearer`. */
  readonly adminToken: string;
  readonly store: SwitchStore;
  readonly #state: SwitchState;
  readonly #auth: AuthState;
  readonly #sessionKey: Buffer | undefined;
  #started = false;
  #stopSweep: (() => void) | undefined;

  constructor(options: SwitchOptions = {}) {
    this.adminToken = options.adminToken ?? randomBytes(32).toString('base64url');
    this.store = options.store ?? new MemoryStore();
    this.#sessionKey = options.sessionKey;
    // Built here, at start-up, so the first officer's query does not pay for generating the data set.
    const data = options.data ?? defaultSwitchData();
    const now = options.now ?? (() => new Date());
    const latencyScale = options.latencyScale ?? 1;
    const ledger = new QueryLedger(() => now().getTime());
    // A black hole silences open streams too: the far side of a dead link sends nothing, not even heartbeats.
    this.events = new EventHub(
      { retained: FIELD_CONFIG.eventsRetained, retentionMs: FIELD_CONFIG.idempotencyRetentionMs, heartbeatMs: FIELD_CONFIG.streamHeartbeatMs, paused: () => this.conditions.current.blackHole },
      this.store,
    );
    const executions = new Executions(this.store, randomBytes(6).toString('hex'), FIELD_CONFIG.idempotencyRetentionMs, () => now().getTime());
    const counters = { received: 0 };
    const queries = new QueryRoutes({
      executions,
      hub: this.events,
      ledger,
      counters,
      now,
      upstream:
        options.upstream ??
        new SimulatedSources({ latencyScale, now, store: data.store, extraMs: (source) => extraSourceLatencyMs(this.conditions.current, source) }),
      spoil: (request, reply, body) => this.conditions.spoilAnswer(request, reply, body),
    });
    this.#state = { store: this.store, executions, queries, hub: this.events, counters, ledger };
    this.#auth = {
      directory: new OfficerDirectory(options.officers ?? DRILL_OFFICERS, this.store),
      tokens: new SessionTokens(this.store, options.sessionKey),
      audit: new AuditKeeper(this.store, options.auditDir),
      streams: new LiveStreams(),
      throttle: new SignInThrottle(this.store),
      security: new SecurityLog(this.store),
      sessions: options.sessions ?? 'required',
      now,
    };
    this.protocol = buildProtocol(options, data, this.#state, () => this.conditions, this.#auth);
    this.conditions = new ConditionPlayer(this.protocol, seededRandom(options.seed ?? 1));
    // A real restart with the memory store would forget every promise the store keeps: there, the listener restarts.
    const durable = this.store.engine !== 'memory';
    const engineName = this.store.engine === 'sqlite' ? 'SQLite' : 'PostgreSQL';
    this.drills = new DrillSession(this.conditions, ledger, {
      ...(options.processRestart && durable ? { processRestart: { restart: options.processRestart, keeper: new DrillKeeper(this.store), reason: `${engineName} store` } } : {}),
      listenerReason: durable ? 'not supervised' : 'memory store',
      trails: async (terminal) => (await this.#auth.audit.trail(terminal)).records,
    });
    this.admin = buildAdmin(options, data, this.#state, this.conditions, this.drills, now, this.#auth, this.adminToken);
  }

  /**
   * Reads what the store holds (the session key, the event log, trails to import), finishes the runs a crash
   * left half done, then listens. The admin server listens on loopback whatever `host` says: it is reached from
   * the switch's own machine only.
   */
  async listen({ port = 0, adminPort = 0, host = '127.0.0.1' }: { port?: number; adminPort?: number; host?: string } = {}): Promise<SwitchAddresses> {
    if (!this.#started) {
      this.#started = true;
      if (!this.#sessionKey) this.#auth.tokens.useKey(await this.store.secret('session-key', () => randomBytes(32)));
      await this.events.start();
      await this.#auth.audit.start();
      await this.#state.queries.resumeOrphans(!this.store.shared);
      this.#stopSweep = this.#state.queries.sweepOrphans();
    }
    // The admin port first: after a drill's process restart the instructor's page is back while the switch stays down.
    const adminUrl = await this.admin.listen({ port: adminPort, host: '127.0.0.1' });
    await this.drills.untilBackUp();
    const url = await this.protocol.listen({ port, host });
    await this.conditions.listening();
    return { url: url.replace('localhost', '127.0.0.1'), adminUrl: adminUrl.replace('localhost', '127.0.0.1') };
  }

  async close(): Promise<void> {
    this.#stopSweep?.();
    await this.drills.stop();
    await this.conditions.settle();
    this.events.close();
    await Promise.all([this.protocol.close(), this.admin.close()]);
  }
}
