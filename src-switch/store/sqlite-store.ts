// The SQLite engine (libSQL's Node binding, better-sqlite3's API from prebuilt N-API packages): one switch
// node, one file. WAL with synchronous=FULL, so a commit the switch answered on survives a power cut.
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'libsql';
import type { AuditRecord } from '../../src-shared/audit-chain.ts';
import { type AuditAppend, AUDIT_STATE, type Change, SCHEMA_VERSION, type StoredEvent, type SwitchStore } from './store.ts';

type Db = InstanceType<typeof Database>;

/** Each schema version's statements, applied in order to a store found at an older version. */
const MIGRATIONS: Record<number, string> = {
  1: `
    create table records (ns text not null, key text not null, value text not null, expires_at integer, primary key (ns, key));
    create index records_expiry on records (expires_at) where expires_at is not null;
    create table events (seq integer primary key autoincrement, terminal text, type text not null, data text not null, at integer not null);
    create table audit_records (terminal text not null, n integer not null, record text not null, primary key (terminal, n));
  `,
};

interface Row {
  value: string;
  expires_at: number | null;
}

export class SqliteStore implements SwitchStore {
  readonly engine = 'sqlite';
  readonly shared = false;
  readonly id: string;
  readonly #db: Db;
  readonly #statements;
  /** Writes waiting for the next group commit. */
  readonly #pending: Array<{ work: () => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void }> = [];

  private constructor(db: Db, id: string) {
    this.#db = db;
    this.id = id;
    this.#statements = {
      get: db.prepare('select value, expires_at from records where ns = ? and key = ?'),
      list: db.prepare('select key, value from records where ns = ? order by rowid'),
      put: db.prepare('insert into records (ns, key, value, expires_at) values (?, ?, ?, ?) on conflict (ns, key) do update set value = excluded.value, expires_at = excluded.expires_at'),
      remove: db.prepare('delete from records where ns = ? and key = ?'),
      append: db.prepare('insert into events (terminal, type, data, at) values (?, ?, ?, ?)'),
      after: db.prepare('select seq, terminal, type, data, at from events where seq > ? order by seq limit ?'),
      bounds: db.prepare('select coalesce(min(seq), 0) as first, coalesce(max(seq), 0) as last from events'),
      auditCount: db.prepare('select count(*) as n from audit_records where terminal = ?'),
      addAudit: db.prepare('insert into audit_records (terminal, n, record) values (?, ?, ?)'),
      auditRecords: db.prepare('select record from audit_records where terminal = ? order by n'),
      meta: db.prepare('select value from meta where key = ?'),
      putMeta: db.prepare('insert into meta (key, value) values (?, ?) on conflict (key) do nothing'),
    };
  }

  /** Opens (or makes) the store at `file`, migrating it forward. A store from a newer Outrider is refused. */
  static async open(file: string): Promise<SqliteStore> {
    const { default: Database } = await import('libsql');
    // CJI lives in this file: owner-only from the start, as the session key and the admin token are.
    if (file !== ':memory:') {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
    }
    const db = new Database(file);
    db.exec('pragma journal_mode = wal; pragma synchronous = full; pragma busy_timeout = 5000; pragma foreign_keys = on');
    db.exec('create table if not exists meta (key text primary key, value text not null)');
    const version = Number((db.prepare("select value from meta where key = 'schema_version'").get() as { value?: string } | undefined)?.value ?? 0);
    if (version > SCHEMA_VERSION) throw new Error(`${file} was written by a newer Outrider switch (schema ${version}; this one knows ${SCHEMA_VERSION})`);
    db.transaction(() => {
      for (let next = version + 1; next <= SCHEMA_VERSION; next++) db.exec(MIGRATIONS[next]!);
      db.prepare("insert into meta (key, value) values ('schema_version', ?) on conflict (key) do update set value = excluded.value").run(String(SCHEMA_VERSION));
      db.prepare("insert into meta (key, value) values ('store_id', ?) on conflict (key) do nothing").run(randomBytes(4).toString('hex'));
    })();
    const id = (db.prepare("select value from meta where key = 'store_id'").get() as { value: string }).value;
    return new SqliteStore(db, id);
  }

  async secret(name: string, make: () => Buffer): Promise<Buffer> {
    this.#settle();
    this.#statements.putMeta.run(`secret:${name}`, make().toString('base64'));
    return Buffer.from((this.#statements.meta.get(`secret:${name}`) as { value: string }).value, 'base64');
  }

  async get<T>(ns: string, key: string): Promise<T | undefined> {
    this.#settle();
    const row = this.#statements.get.get(ns, key) as Row | undefined;
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  async list<T>(ns: string): Promise<Array<[string, T]>> {
    this.#settle();
    return (this.#statements.list.all(ns) as Array<{ key: string; value: string }>).map((row) => [row.key, JSON.parse(row.value) as T]);
  }

  /** A read sees every write asked for before it: the writes waiting for the group commit are committed first. */
  #settle(): void {
    if (this.#pending.length > 0) this.#commit();
  }

  /**
   * Runs `work` in the next group commit: every write asked for in the same turn of the event loop shares one
   * transaction, so one fsync covers them all (each commit costs 3-5 ms of fsync here: one per write capped
   * the switch at a few dozen queries a second). Each write has its own savepoint: one that throws is undone
   * alone, and its caller gets the error. The caller's promise settles only once the commit is on disk.
   */
  #write<R>(work: () => R): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.#pending.length === 1) setImmediate(() => this.#commit());
    });
  }

  #commit(): void {
    const batch = this.#pending.splice(0);
    if (batch.length === 0) return;
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      this.#db.exec('begin immediate');
      for (const job of batch) {
        this.#db.exec('savepoint job');
        try {
          outcomes.push({ ok: true, value: job.work() });
          this.#db.exec('release job');
        } catch (error) {
          this.#db.exec('rollback to job');
          this.#db.exec('release job');
          outcomes.push({ ok: false, error });
        }
      }
      this.#db.exec('commit');
    } catch (error) {
      if (this.#db.inTransaction) this.#db.exec('rollback');
      for (const job of batch) job.reject(error);
      return;
    }
    batch.forEach((job, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  }

  async update<T, R>(ns: string, key: string, change: (current: T | undefined) => Change<T, R>): Promise<R> {
    return this.#write(() => {
      const row = this.#statements.get.get(ns, key) as Row | undefined;
      const decided = change(row ? (JSON.parse(row.value) as T) : undefined);
      if (decided.next === null) this.#statements.remove.run(ns, key);
      else if (decided.next !== undefined) this.#statements.put.run(ns, key, JSON.stringify(decided.next), decided.expiresAt ?? row?.expires_at ?? null);
      return decided.result;
    });
  }

  async appendEvent(terminal: string | null, type: string, data: unknown, at: number): Promise<number> {
    return this.#write(() => Number(this.#statements.append.run(terminal, type, JSON.stringify(data), at).lastInsertRowid));
  }

  async eventsAfter(seq: number, limit: number): Promise<StoredEvent[]> {
    this.#settle();
    return (this.#statements.after.all(seq, limit) as Array<Omit<StoredEvent, 'data'> & { data: string }>).map((row) => ({
      seq: Number(row.seq),
      terminal: row.terminal,
      type: row.type,
      data: JSON.parse(row.data) as unknown,
      at: Number(row.at),
    }));
  }

  async eventBounds(): Promise<{ first: number; last: number }> {
    this.#settle();
    const row = this.#statements.bounds.get() as { first: number; last: number };
    return { first: Number(row.first), last: Number(row.last) };
  }

  async keepAudit<S, R>(terminal: string, decide: (state: S | undefined) => AuditAppend<S> & { result: R }): Promise<R> {
    return this.#write(() => {
      const row = this.#statements.get.get(AUDIT_STATE, terminal) as Row | undefined;
      const decided = decide(row ? (JSON.parse(row.value) as S) : undefined);
      let n = Number((this.#statements.auditCount.get(terminal) as { n: number }).n);
      for (const record of decided.records) this.#statements.addAudit.run(terminal, ++n, JSON.stringify(record));
      this.#statements.put.run(AUDIT_STATE, terminal, JSON.stringify(decided.state), null);
      return decided.result;
    });
  }

  async auditRecords(terminal: string): Promise<AuditRecord[]> {
    this.#settle();
    return (this.#statements.auditRecords.all(terminal) as Array<{ record: string }>).map((row) => JSON.parse(row.record) as AuditRecord);
  }

  async purge(now: number, eventsKept: number, eventsBefore: number): Promise<void> {
    this.#settle();
    this.#db.prepare('delete from records where expires_at is not null and expires_at <= ?').run(now);
    this.#db.prepare('delete from events where seq <= (select coalesce(max(seq), 0) from events) - ? or at < ?').run(eventsKept, eventsBefore);
  }

  onEvents(): () => void {
    return () => undefined;
  }

  async close(): Promise<void> {
    this.#settle();
    this.#db.close();
  }
}
