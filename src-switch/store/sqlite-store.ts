// The SQLite engine (libSQL's Node binding, better-sqlite3's API from prebuilt N-API packages): one switch
// node, one file. WAL with synchronous=FULL, so a commit the switch answered on survives a power cut. Every
// value is sealed under the store key (sealing.ts); keys, sequence numbers and times stay clear.
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'libsql';
import type { AuditRecord } from '../../src-shared/audit-chain.ts';
import { type Place, places, type Sealer } from './sealing.ts';
import { type AuditAppend, AUDIT_STATE, type Change, SCHEMA_VERSION, SEALED_SINCE, type StoredEvent, type SwitchStore } from './store.ts';
import { claimStoreFile } from './store-owner.ts';
import { type StoreKeyFile, unlockStore } from './store-key.ts';

type Db = InstanceType<typeof Database>;

/** Each schema version's change, applied in order (in one transaction) to a store found at an older version. */
const MIGRATIONS: Record<number, (db: Db, sealer: Sealer) => void> = {
  1: (db) =>
    db.exec(`
      create table records (ns text not null, key text not null, value text not null, expires_at integer, primary key (ns, key));
      create index records_expiry on records (expires_at) where expires_at is not null;
      create table events (seq integer primary key autoincrement, terminal text, type text not null, data text not null, at integer not null);
      create table audit_records (terminal text not null, n integer not null, record text not null, primary key (terminal, n));
    `),
  // Sealing at rest: what a clear store holds is sealed in place, row by row.
  2: (db, sealer) => void rewriteValues(db, (place, text) => sealer.sealText(place, text)),
};

/**
 * Rewrites every value the store keeps (records, events, audit records, secrets) in place, row by row, as
 * `rewrite` gives it from its place and its current text; returns how many. The caller holds the transaction.
 */
function rewriteValues(db: Db, rewrite: (place: Place, text: string) => string): number {
  type Row = Record<string, string | number | null>;
  let count = 0;
  const each = (select: string, update: string, placeOf: (row: Row) => Place, column: string, keys: (row: Row) => unknown[]) => {
    const statement = db.prepare(update);
    for (const row of db.prepare(select).all() as Row[]) {
      statement.run(rewrite(placeOf(row), String(row[column])), ...keys(row));
      count++;
    }
  };
  each('select ns, key, value from records', 'update records set value = ? where ns = ? and key = ?', (row) => places.record(String(row.ns), String(row.key)), 'value', (row) => [row.ns, row.key]);
  each('select seq, terminal, type, data from events', 'update events set data = ? where seq = ?', (row) => places.event(Number(row.seq), row.terminal as string | null, String(row.type)), 'data', (row) => [row.seq]);
  each('select terminal, n, record from audit_records', 'update audit_records set record = ? where terminal = ? and n = ?', (row) => places.audit(String(row.terminal), Number(row.n)), 'record', (row) => [row.terminal, row.n]);
  each("select key, value from meta where key like 'secret:%'", 'update meta set value = ? where key = ?', (row) => places.secret(String(row.key).slice('secret:'.length)), 'value', (row) => [row.key]);
  return count;
}

interface Row {
  value: string;
  expires_at: number | null;
}

export class SqliteStore implements SwitchStore {
  readonly engine = 'sqlite';
  readonly shared = false;
  readonly id: string;
  readonly #db: Db;
  #sealer: Sealer;
  readonly #statements;
  /** The next group commit, while writes wait for it; settles once it has run. */
  #committing: Promise<void> | undefined;
  /** Gives back this process's claim on the file (store-owner.ts). */
  readonly #release: () => void;
  /** Writes waiting for the next group commit. */
  readonly #pending: Array<{ work: () => unknown; oneWrite: boolean; resolve: (value: unknown) => void; reject: (error: unknown) => void }> = [];

  private constructor(db: Db, id: string, sealer: Sealer, release: () => void) {
    this.#release = release;
    this.#db = db;
    this.id = id;
    this.#sealer = sealer;
    this.#statements = {
      get: db.prepare('select value, expires_at from records where ns = ? and key = ?'),
      list: db.prepare('select key, value from records where ns = ? order by rowid'),
      put: db.prepare('insert into records (ns, key, value, expires_at) values (?, ?, ?, ?) on conflict (ns, key) do update set value = excluded.value, expires_at = excluded.expires_at'),
      remove: db.prepare('delete from records where ns = ? and key = ?'),
      // The sequence number is drawn first, as each event is sealed to its own: one writer, so none draws between.
      nextSeq: db.prepare("select coalesce((select seq from sqlite_sequence where name = 'events'), 0) + 1 as seq"),
      append: db.prepare('insert into events (seq, terminal, type, data, at) values (?, ?, ?, ?, ?)'),
      after: db.prepare('select seq, terminal, type, data, at from events where seq > ? order by seq limit ?'),
      bounds: db.prepare('select coalesce(min(seq), 0) as first, coalesce(max(seq), 0) as last from events'),
      auditCount: db.prepare('select count(*) as n from audit_records where terminal = ?'),
      addAudit: db.prepare('insert into audit_records (terminal, n, record) values (?, ?, ?)'),
      auditRecords: db.prepare('select n, record from audit_records where terminal = ? order by n'),
      meta: db.prepare('select value from meta where key = ?'),
      putMeta: db.prepare('insert into meta (key, value) values (?, ?) on conflict (key) do nothing'),
      savepoint: db.prepare('savepoint job'),
      release: db.prepare('release job'),
      rollbackTo: db.prepare('rollback to job'),
    };
  }

  /**
   * Opens (or makes) the store at `file`, migrating it forward. A store from a newer Outrider is refused, and so
   * is a sealed store without its own key in `keyFile` (store-key.ts).
   */
  static async open(file: string, keyFile: StoreKeyFile): Promise<SqliteStore> {
    const { default: Database } = await import('libsql');
    // CJI lives in this file: owner-only from the start, as the session key and the admin token are.
    if (file !== ':memory:') {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
    }
    // Only one switch process at a time: the claim is given back at close, or when opening fails.
    const release = file === ':memory:' ? () => undefined : claimStoreFile(file);
    try {
      return SqliteStore.#openClaimed(new Database(file), file, keyFile, release);
    } catch (error) {
      release();
      throw error;
    }
  }

  static #openClaimed(db: Db, file: string, keyFile: StoreKeyFile, release: () => void): SqliteStore {
    db.exec('pragma journal_mode = wal; pragma synchronous = full; pragma busy_timeout = 5000; pragma foreign_keys = on');
    db.exec('create table if not exists meta (key text primary key, value text not null)');
    const version = Number((db.prepare("select value from meta where key = 'schema_version'").get() as { value?: string } | undefined)?.value ?? 0);
    if (version > SCHEMA_VERSION) {
      db.close();
      throw new Error(`${file} was written by a newer Outrider switch (schema ${version}; this one knows ${SCHEMA_VERSION})`);
    }
    let sealer: Sealer;
    try {
      sealer = db.transaction(() => {
        const check = (db.prepare("select value from meta where key = 'key_check'").get() as { value: string } | undefined)?.value;
        const unlocked = unlockStore(keyFile, file, check, version >= SEALED_SINCE);
        for (let next = version + 1; next <= SCHEMA_VERSION; next++) MIGRATIONS[next]!(db, unlocked);
        db.prepare("insert into meta (key, value) values ('key_check', ?) on conflict (key) do nothing").run(unlocked.check);
        db.prepare("insert into meta (key, value) values ('schema_version', ?) on conflict (key) do update set value = excluded.value").run(String(SCHEMA_VERSION));
        db.prepare("insert into meta (key, value) values ('store_id', ?) on conflict (key) do nothing").run(randomBytes(4).toString('hex'));
        return unlocked;
      })();
    } catch (error) {
      db.close();
      throw error;
    }
    // The clear rows just sealed would linger in free pages and in the journal: rebuild the file without them.
    if (version > 0 && version < SEALED_SINCE) db.exec('vacuum; pragma wal_checkpoint(truncate)');
    const id = (db.prepare("select value from meta where key = 'store_id'").get() as { value: string }).value;
    return new SqliteStore(db, id, sealer, release);
  }

  async secret(name: string, make: () => Buffer): Promise<Buffer> {
    await this.#settle();
    const place = places.secret(name);
    this.#statements.putMeta.run(`secret:${name}`, this.#sealer.sealText(place, make().toString('base64')));
    return Buffer.from(this.#sealer.openText(place, (this.#statements.meta.get(`secret:${name}`) as { value: string }).value), 'base64');
  }

  async get<T>(ns: string, key: string): Promise<T | undefined> {
    await this.#settle();
    const row = this.#statements.get.get(ns, key) as Row | undefined;
    return row ? this.#sealer.open<T>(places.record(ns, key), row.value) : undefined;
  }

  async list<T>(ns: string): Promise<Array<[string, T]>> {
    await this.#settle();
    return (this.#statements.list.all(ns) as Array<{ key: string; value: string }>).map((row) => [row.key, this.#sealer.open<T>(places.record(ns, row.key), row.value)]);
  }

  /**
   * A read sees every write asked for before it: it waits for the group commit they are in. It does not commit
   * them itself: a read that did would make a commit, and an fsync, of every read (two per request to check
   * the session), and one every few writes instead of one a turn of the event loop.
   */
  #settle(): Promise<void> | undefined {
    return this.#committing;
  }

  /**
   * Runs `work` in the next group commit: every write asked for in the same turn of the event loop shares one
   * transaction, so one fsync covers them all (each commit costs 3-5 ms of fsync here: one per write capped
   * the switch at a few dozen queries a second). A write that throws is undone alone, and its caller gets the
   * error: by its own savepoint, or, for `oneWrite` work (one statement, after anything that may throw), by
   * SQLite undoing the failed statement; that spares three statements per write, a tenth of a busy node's time.
   * The caller's promise settles only once the commit is on disk.
   */
  #write<R>(work: () => R, { oneWrite = false } = {}): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#pending.push({ work, oneWrite, resolve: resolve as (value: unknown) => void, reject });
      if (this.#pending.length === 1) {
        this.#committing = new Promise((committed) =>
          setImmediate(() => {
            this.#commit();
            committed();
          }),
        );
      }
    });
  }

  #commit(): void {
    this.#committing = undefined;
    const batch = this.#pending.splice(0);
    if (batch.length === 0) return;
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      this.#db.exec('begin immediate');
      for (const job of batch) {
        if (job.oneWrite) {
          try {
            outcomes.push({ ok: true, value: job.work() });
          } catch (error) {
            // An error that ended the transaction (a full disk, say) fails the whole batch, as a failed commit does.
            if (!this.#db.inTransaction) throw error;
            outcomes.push({ ok: false, error });
          }
          continue;
        }
        this.#statements.savepoint.run();
        try {
          outcomes.push({ ok: true, value: job.work() });
          this.#statements.release.run();
        } catch (error) {
          this.#statements.rollbackTo.run();
          this.#statements.release.run();
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
      const place = places.record(ns, key);
      const row = this.#statements.get.get(ns, key) as Row | undefined;
      const decided = change(row ? this.#sealer.open<T>(place, row.value) : undefined);
      if (decided.next === null) this.#statements.remove.run(ns, key);
      else if (decided.next !== undefined) this.#statements.put.run(ns, key, this.#sealer.seal(place, decided.next), decided.expiresAt ?? row?.expires_at ?? null);
      return decided.result;
    }, { oneWrite: true });
  }

  async appendEvent(terminal: string | null, type: string, data: unknown, at: number): Promise<number> {
    return this.#write(() => {
      const seq = Number((this.#statements.nextSeq.get() as { seq: number }).seq);
      this.#statements.append.run(seq, terminal, type, this.#sealer.seal(places.event(seq, terminal, type), data), at);
      return seq;
    }, { oneWrite: true });
  }

  async eventsAfter(seq: number, limit: number): Promise<StoredEvent[]> {
    await this.#settle();
    const rows = this.#statements.after.all(seq, limit) as Array<Omit<StoredEvent, 'data'> & { data: string }>;
    return this.#sealer.openEvents(rows);
  }

  async eventBounds(): Promise<{ first: number; last: number }> {
    await this.#settle();
    const row = this.#statements.bounds.get() as { first: number; last: number };
    return { first: Number(row.first), last: Number(row.last) };
  }

  async keepAudit<S, R>(terminal: string, decide: (state: S | undefined) => AuditAppend<S> & { result: R }): Promise<R> {
    return this.#write(() => {
      const place = places.record(AUDIT_STATE, terminal);
      const row = this.#statements.get.get(AUDIT_STATE, terminal) as Row | undefined;
      const decided = decide(row ? this.#sealer.open<S>(place, row.value) : undefined);
      let n = Number((this.#statements.auditCount.get(terminal) as { n: number }).n);
      for (const record of decided.records) {
        n++;
        this.#statements.addAudit.run(terminal, n, this.#sealer.seal(places.audit(terminal, n), record));
      }
      this.#statements.put.run(AUDIT_STATE, terminal, this.#sealer.seal(place, decided.state), null);
      return decided.result;
    });
  }

  async auditRecords(terminal: string): Promise<AuditRecord[]> {
    await this.#settle();
    return (this.#statements.auditRecords.all(terminal) as Array<{ n: number; record: string }>).map((row) => this.#sealer.open<AuditRecord>(places.audit(terminal, Number(row.n)), row.record));
  }

  async purge(now: number, eventsKept: number, eventsBefore: number): Promise<void> {
    await this.#settle();
    this.#db.prepare('delete from records where expires_at is not null and expires_at <= ?').run(now);
    this.#db.prepare('delete from events where seq <= (select coalesce(max(seq), 0) from events) - ? or at < ?').run(eventsKept, eventsBefore);
  }

  /**
   * Seals every value again under `next` (a new store key), in one transaction, and records its check value: the
   * store then opens with the new key file only. The old ciphertexts are rebuilt out of the file and its journal,
   * so a copy of the old key opens nothing taken from now on. Returns how many values were sealed again.
   */
  async rotateKey(next: Sealer): Promise<number> {
    await this.#settle();
    this.#commit();
    const current = this.#sealer;
    const count = this.#db.transaction(() => {
      const rewritten = rewriteValues(this.#db, (place, text) => next.sealText(place, current.openText(place, text)));
      this.#db.prepare("update meta set value = ? where key = 'key_check'").run(next.check);
      return rewritten;
    })();
    this.#sealer = next;
    this.#db.exec('vacuum; pragma wal_checkpoint(truncate)');
    return count;
  }

  onEvents(): () => void {
    return () => undefined;
  }

  async close(): Promise<void> {
    this.#commit();
    this.#db.close();
    this.#release();
  }
}
