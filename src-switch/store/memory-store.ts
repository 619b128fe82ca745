// The memory engine: the desktop app's bundled drill switch and fast tests. Everything is lost with the process.
import { randomBytes } from 'node:crypto';
import type { AuditRecord } from '../../src-shared/audit-chain.ts';
import { type AuditAppend, AUDIT_STATE, type Change, type StoredEvent, type SwitchStore } from './store.ts';

interface Entry {
  value: unknown;
  expiresAt: number | undefined;
}

export class MemoryStore implements SwitchStore {
  readonly engine = 'memory';
  readonly id = randomBytes(4).toString('hex');
  readonly shared = false;
  readonly #records = new Map<string, Map<string, Entry>>();
  readonly #secrets = new Map<string, Buffer>();
  #events: StoredEvent[] = [];
  #seq = 0;
  readonly #audit = new Map<string, AuditRecord[]>();

  async secret(name: string, make: () => Buffer): Promise<Buffer> {
    let secret = this.#secrets.get(name);
    if (!secret) this.#secrets.set(name, (secret = make()));
    return secret;
  }

  async get<T>(ns: string, key: string): Promise<T | undefined> {
    return structuredClone(this.#records.get(ns)?.get(key)?.value) as T | undefined;
  }

  async list<T>(ns: string): Promise<Array<[string, T]>> {
    return [...(this.#records.get(ns) ?? new Map<string, Entry>())].map(([key, entry]) => [key, structuredClone(entry.value) as T]);
  }

  async update<T, R>(ns: string, key: string, change: (current: T | undefined) => Change<T, R>): Promise<R> {
    let space = this.#records.get(ns);
    if (!space) this.#records.set(ns, (space = new Map()));
    const current = space.get(key);
    const decided = change(current === undefined ? undefined : (structuredClone(current.value) as T));
    if (decided.next === null) space.delete(key);
    else if (decided.next !== undefined) space.set(key, { value: structuredClone(decided.next), expiresAt: decided.expiresAt ?? current?.expiresAt });
    return decided.result;
  }

  async appendEvent(terminal: string | null, type: string, data: unknown, at: number): Promise<number> {
    this.#events.push({ seq: ++this.#seq, terminal, type, data, at });
    return this.#seq;
  }

  async eventsAfter(seq: number, limit: number): Promise<StoredEvent[]> {
    const start = this.#events.findIndex((event) => event.seq > seq);
    return start === -1 ? [] : this.#events.slice(start, start + limit);
  }

  async eventBounds(): Promise<{ first: number; last: number }> {
    return { first: this.#events[0]?.seq ?? 0, last: this.#events.at(-1)?.seq ?? 0 };
  }

  async keepAudit<S, R>(terminal: string, decide: (state: S | undefined) => AuditAppend<S> & { result: R }): Promise<R> {
    return this.update<S, R>(AUDIT_STATE, terminal, (state) => {
      const decided = decide(state);
      this.#audit.set(terminal, [...(this.#audit.get(terminal) ?? []), ...decided.records]);
      return { next: decided.state, result: decided.result };
    });
  }

  async auditRecords(terminal: string): Promise<AuditRecord[]> {
    return [...(this.#audit.get(terminal) ?? [])];
  }

  async purge(now: number, eventsKept: number, eventsBefore: number): Promise<void> {
    for (const space of this.#records.values()) for (const [key, entry] of space) if (entry.expiresAt !== undefined && entry.expiresAt <= now) space.delete(key);
    const drop = this.#events.findIndex((event, index) => this.#events.length - index <= eventsKept && event.at >= eventsBefore);
    this.#events = drop === -1 ? [] : this.#events.slice(drop);
  }

  onEvents(): () => void {
    return () => undefined;
  }

  async close(): Promise<void> {}
}
