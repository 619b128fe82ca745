// Plays link conditions at the switch (outage, black hole, latency, loss, 5xx, 429, truncation, lost ack).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import { type LinkConditions, NORMAL_CONDITIONS } from '../../src-shared/conditions.ts';

/** A small seeded generator so a drill plays the same way twice. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Headers already set on the reply (CORS among them). A hijacked answer must keep them, or a browser
 * reports a spoiled answer as a network failure instead of the bad body the drill means to send.
 */
export function replyHeaders(reply: FastifyReply): Record<string, string> {
  return Object.fromEntries(Object.entries(reply.getHeaders()).map(([name, value]) => [name, String(value)]));
}

export class ConditionPlayer {
  #conditions: LinkConditions = NORMAL_CONDITIONS;
  readonly #held = new Set<Socket>();
  #listenAddress: { port: number; host: string } | undefined;
  readonly #listeners = new Set<(conditions: LinkConditions) => void>();

  constructor(
    private readonly app: FastifyInstance,
    private readonly random: () => number = seededRandom(1),
  ) {}

  get current(): LinkConditions {
    return this.#conditions;
  }

  /** Applies new conditions at once; ending a black hole resets the connections it was holding. */
  async set(next: LinkConditions): Promise<void> {
    const previous = this.#conditions;
    this.#conditions = next;
    for (const listener of this.#listeners) listener(next);
    if (previous.blackHole && !next.blackHole) this.#releaseHeld();
    if (!previous.outage && next.outage) await this.#stopListening();
    if (previous.outage && !next.outage) await this.#listenAgain();
  }

  /** Calls `listener` with the conditions at every change; returns the function that stops it. */
  onChange(listener: (conditions: LinkConditions) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #roll(percent: number): boolean {
    return percent > 0 && this.random() * 100 < percent;
  }

  /** Runs before every protocol request (never admin ones). Returns true when it has dealt with the request. */
  async gate(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    const c = this.#conditions;
    if (c.blackHole) {
      reply.hijack();
      this.#held.add(request.raw.socket);
      request.raw.socket.once('close', () => this.#held.delete(request.raw.socket));
      return true;
    }
    if (this.#roll(c.lossPercent)) {
      reply.hijack();
      request.raw.socket.destroy();
      return true;
    }
    const delay = c.latencyMs + Math.floor(this.random() * c.jitterMs);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    if (this.#roll(c.serverErrorPercent)) {
      await reply.code(503).send({ error: { code: 'drill_server_error', message: 'The switch is failing (drill)' } });
      return true;
    }
    if (c.retryAfterSeconds > 0 && request.method === 'POST') {
      await reply.code(429).header('Retry-After', String(c.retryAfterSeconds)).send({ error: { code: 'rate_limited', message: 'Too many requests (drill)' } });
      return true;
    }
    return false;
  }

  /** After a query has executed: maybe lose or cut its answer. Returns true when it has dealt with the reply. */
  spoilAnswer(request: FastifyRequest, reply: FastifyReply, body: unknown): boolean {
    const c = this.#conditions;
    if (this.#roll(c.lostAckPercent)) {
      reply.hijack();
      request.raw.socket.destroy();
      return true;
    }
    if (this.#roll(c.malformedPercent)) {
      reply.hijack();
      reply.raw.writeHead(200, { ...replyHeaders(reply), 'Content-Type': 'application/json' });
      reply.raw.end('<html>502 Bad Gateway</html>');
      return true;
    }
    if (this.#roll(c.truncatePercent)) {
      const text = JSON.stringify(body);
      reply.hijack();
      reply.raw.writeHead(200, { ...replyHeaders(reply), 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
      reply.raw.write(text.slice(0, Math.floor(text.length / 2)));
      request.raw.socket.destroy();
      return true;
    }
    return false;
  }

  #releaseHeld(): void {
    for (const socket of this.#held) socket.destroy();
    this.#held.clear();
  }

  async #stopListening(): Promise<void> {
    const address = this.app.server.address();
    if (address && typeof address === 'object') this.#listenAddress = { port: address.port, host: address.address };
    await new Promise<void>((resolve) => {
      this.app.server.close(() => resolve());
      this.app.server.closeAllConnections();
    });
  }

  async #listenAgain(): Promise<void> {
    const address = this.#listenAddress;
    if (!address) return;
    await new Promise<void>((resolve, reject) => {
      this.app.server.once('error', reject);
      this.app.server.listen(address.port, address.host, () => {
        this.app.server.off('error', reject);
        resolve();
      });
    });
  }

  /** Once the protocol server listens: an outage already on (a drill resumed mid-outage) stops it listening again. */
  async listening(): Promise<void> {
    if (this.#conditions.outage) await this.#stopListening();
  }

  /** Before shutdown: nothing held open, and listening again so Fastify's own close finds a server. */
  async settle(): Promise<void> {
    this.#releaseHeld();
    if (this.#conditions.outage) await this.#listenAgain();
    this.#conditions = NORMAL_CONDITIONS;
  }
}
