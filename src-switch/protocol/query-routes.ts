// POST /v1/queries and its poll fallback, GET /v1/queries/:key: each Idempotency-Key executed once, whichever
// node takes the resend, however the switch died in between.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { IDEMPOTENCY_HEADER, IdempotencyKey, paths, PREFER_ASYNC, type QueryAccepted, type QueryAnswer, QuerySubmission } from '../../src-shared/protocol.ts';
import { ownerOf } from '../auth/auth-routes.ts';
import type { QueryLedger } from '../drill/query-ledger.ts';
import { sendError } from './error-reply.ts';
import type { EventHub } from './event-hub.ts';
import { QueryRun, type RunListener } from './query-run.ts';
import type { Upstream } from '../sources/upstream.ts';
import { answerOf, type ExecutionRecord, type Executions, LEASE_MS, statusOf } from './executions.ts';

export interface QueryRouteDeps {
  executions: Executions;
  hub: EventHub;
  ledger: QueryLedger;
  counters: { received: number };
  now: () => Date;
  /** The sources each query reaches and asks: the simulation, or a real integration. */
  upstream: Upstream;
  /** Spoils a reply as the drill's link conditions say; true when it did (the route then sends nothing more). */
  spoil: (request: FastifyRequest, reply: FastifyReply, body: unknown) => boolean;
}

/** How often a node waiting for another node's run reads its record, and for how long at most (one request timeout). */
const WAIT_POLL_MS = 100;
const WAIT_LIMIT_MS = 10_000;

export class QueryRoutes {
  /** Runs this process is executing: a resend here waits on the run itself rather than on the store. */
  readonly #live = new Map<string, QueryRun>();

  constructor(private readonly deps: QueryRouteDeps) {}

  /** Starts (or finishes) the run of `record` on this node; its parts go to the stream when it was asked async. */
  run(record: ExecutionRecord): QueryRun {
    const { hub, ledger } = this.deps;
    const listener: RunListener | undefined = record.streamed
      ? {
          part: async (held, part) => {
            await hub.publish({ type: 'part', data: { idempotencyKey: held.key, queryId: held.queryId, receivedAt: held.receivedAt, part } }, held.owner);
          },
          // Delivered, for the drill report, once the complete answer is written to the terminal's stream.
          complete: async (held, answer) => {
            await hub.publish({ type: 'complete', data: answer }, held.owner, () => ledger.delivered(held.key));
          },
        }
      : undefined;
    const run = new QueryRun(record, this.deps.executions, (source) => this.deps.upstream.ask(source, record.query, { key: record.key, terminal: record.owner }), listener);
    this.#live.set(record.key, run);
    // A run that failed outright is forgotten, so the terminal's retry can run it again.
    run.answer.catch(() => this.deps.executions.forget(record.key).catch(() => undefined)).finally(() => this.#live.delete(record.key));
    return run;
  }

  /**
   * Finishes the runs a dead node (or this process's predecessor) left half done, asking only the sources that
   * had not answered. At start, `alone` (no other node shares the store) takes every unfinished run; the
   * sweep then takes those whose node stopped renewing its lease, however the terminal next asks about them.
   */
  async resumeOrphans(alone = false): Promise<number> {
    const orphans = await this.deps.executions.orphans(alone);
    let taken = 0;
    for (const orphan of orphans) {
      if (this.#live.has(orphan.key)) continue;
      const record = await this.deps.executions.takeOver(orphan.key, alone);
      if (!record) continue;
      taken++;
      this.run(record).answer.catch(() => undefined);
    }
    return taken;
  }

  /** Looks for runs whose node died every few seconds, until stopped: a terminal that only polls must get its answer too. */
  sweepOrphans(everyMs = LEASE_MS / 2): () => void {
    const timer = setInterval(() => void this.resumeOrphans().catch(() => undefined), everyMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** Finishes a run whose node died (its lease has passed); a run another node still holds is left to it. */
  async #finishOrphan(key: string): Promise<void> {
    const mine = await this.deps.executions.takeOver(key);
    if (mine) this.run(mine).answer.catch(() => undefined);
  }

  /** The whole answer of a run held in the store: at once when complete, else from the run here, or the node running it. */
  async #answer(record: ExecutionRecord): Promise<QueryAnswer> {
    const deadline = Date.now() + WAIT_LIMIT_MS;
    for (let current: ExecutionRecord | undefined = record; ; ) {
      if (current.complete) return answerOf(current);
      const live = this.#live.get(current.key);
      if (live) return live.answer;
      const mine = await this.deps.executions.takeOver(current.key);
      if (mine) return this.run(mine).answer;
      if (Date.now() > deadline) throw new Error('the node running this query did not finish it in time');
      await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
      current = await this.deps.executions.lookup(record.key);
      if (!current) throw new Error('the query was forgotten while it ran');
    }
  }

  register(app: FastifyInstance): void {
    const { executions, ledger, counters, now } = this.deps;

    app.post(paths.queries, async (request, reply) => {
      counters.received++;
      const rawKey = request.headers[IDEMPOTENCY_HEADER.toLowerCase()];
      if (rawKey === undefined) return sendError(reply, 400, 'missing_idempotency_key', `${IDEMPOTENCY_HEADER} header is required`);
      const key = IdempotencyKey.safeParse(rawKey);
      if (!key.success) return sendError(reply, 400, 'bad_idempotency_key', key.error.issues[0]!.message);
      const submission = QuerySubmission.safeParse(request.body);
      if (!submission.success) {
        const issue = submission.error.issues[0]!;
        return sendError(reply, 400, 'invalid_query', issue.message, issue.path.join('.') || undefined);
      }
      // RFC 7240: a terminal that can listen asks to be answered part by part on its event stream.
      const respondAsync = String(request.headers.prefer ?? '').split(/[,;]/).some((token) => token.trim() === PREFER_ASYNC);
      // Whose query this is: the session's terminal, whatever the body says (the session check refused a body naming another).
      const owner = ownerOf(request);
      if (respondAsync && owner === undefined) {
        return sendError(reply, 400, 'terminal_required', 'terminal is required with Prefer: respond-async: parts are delivered to that terminal', 'terminal');
      }
      ledger.received(key.data, owner);
      const { query, priority } = submission.data;
      const at = now();
      // The owner is part of what the key stands for: another terminal's key is refused, never answered from its record.
      const claim = await executions.claim(
        { key: key.data, owner, queryId: randomUUID(), receivedAt: at.toISOString(), at: at.getTime(), priority, query, sources: [...this.deps.upstream.sources(query.kind)], streamed: respondAsync },
        submission.data,
      );
      ledger.admitted(key.data, claim.kind);
      if (claim.kind === 'mismatch') return sendError(reply, 422, 'idempotency_key_reused', `${IDEMPOTENCY_HEADER} was already used for a different query`);
      const { record } = claim;
      // Stored before any source is asked: a crash from here on is finished, never run again.
      if (claim.kind === 'new') this.run(record).answer.catch(() => undefined);
      else if (respondAsync && !record.complete && !this.#live.has(record.key)) await this.#finishOrphan(record.key);
      reply.header('Idempotent-Replayed', claim.kind === 'replay' ? 'true' : 'false');
      if (respondAsync) {
        const accepted: QueryAccepted = { queryId: record.queryId, idempotencyKey: record.key, receivedAt: record.receivedAt, sources: [...record.sources] };
        if (this.deps.spoil(request, reply, accepted)) return reply;
        return reply.code(202).header('Preference-Applied', PREFER_ASYNC).header('Location', paths.query(key.data)).send(accepted);
      }
      const whole = await (this.#live.get(record.key)?.answer ?? this.#answer(record));
      if (this.deps.spoil(request, reply, whole)) return reply;
      // 'finish': the whole answer went out on the terminal's connection. A dropped or cut answer never gets here.
      reply.raw.once('finish', () => ledger.delivered(key.data));
      return whole;
    });

    // The poll fallback: every part so far, to the terminal whose session ran the query and to no other.
    app.get<{ Params: { key: string } }>(`${paths.queries}/:key`, async (request, reply) => {
      const record = await executions.lookup(request.params.key);
      if (!record || record.owner !== ownerOf(request)) {
        return sendError(reply, 404, 'unknown_query', 'The switch holds no query with this key (it may have restarted): send the query again with the same key');
      }
      // A poll of a run whose node died finishes it here: the terminal may never send the query again.
      if (!record.complete && !this.#live.has(record.key)) await this.#finishOrphan(record.key);
      if (record.complete) reply.raw.once('finish', () => ledger.delivered(record.key));
      return statusOf(record);
    });
  }
}
