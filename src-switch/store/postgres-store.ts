// The PostgreSQL engine: several switch nodes behind a load balancer share one database. Each change is a
// transaction that takes turns with the other nodes' (advisory or row locks), and NOTIFY tells them of new events.
// Every value is sealed under the store key (sealing.ts), a file every node holds a copy of; keys stay clear.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { AuditRecord } from '../../src-shared/audit-chain.ts';
import { type Place, places, type Sealer } from './sealing.ts';
import { type AuditAppend, AUDIT_STATE, type Change, SCHEMA_VERSION, SEALED_SINCE, type StoredEvent, StoreUnavailable, type SwitchStore } from './store.ts';
import { type StoreKeyFile, unlockStore } from './store-key.ts';

/** How the pool meets a database that is gone or stuck: fail within seconds, so the switch answers 503 instead of hanging. */
const POOL = {
  max: 10,
  connectionTimeoutMillis: 3000,
  // Server-side limit on one statement, lock waits included; the client-side limit catches a server that never answers.
  statement_timeout: 5000,
  query_timeout: 7000,
  // A node that dies mid-transaction must not hold its locks for longer than this.
  idle_in_transaction_session_timeout: 10_000,
  idleTimeoutMillis: 30_000,
  keepAlive: true,
};
/** How long the event listener waits before connecting again after it lost its connection. */
const LISTEN_RETRY_MS = 1000;
export const EVENTS_CHANNEL = 'outrider_events';

/** Advisory lock keys (the two-int form, a key space apart from the per-record hash locks). */
const LOCK_CLASS = 0x4f52; // "OR"
const MIGRATION_LOCK = 1;
const EVENTS_LOCK = 2;

/** Each schema version's change, applied in order (in the migration's transaction) to a store found at an older version. */
const MIGRATIONS: Record<number, (query: Query, sealer: Sealer) => Promise<unknown>> = {
  1: (query) =>
    query(`
      create table records (ns text not null, key text not null, value text not null, expires_at bigint,
        made bigint generated always as identity, primary key (ns, key));
      create index records_expiry on records (expires_at) where expires_at is not null;
      create table events (seq bigint generated always as identity primary key, terminal text, type text not null, data text not null, at bigint not null);
      create index events_at on events (at);
      create table audit_state (terminal text primary key, state text, kept integer not null default 0);
      create table audit_records (terminal text not null, n integer not null, record text not null, primary key (terminal, n));
    `),
  // Sealing at rest: what a clear store holds is sealed in place. And the audit states get the order they were
  // made in, as `list` promises (they were never read through get and list before).
  2: async (query, sealer) => {
    await query('alter table audit_state add column made bigint generated always as identity');
    await rewriteValues(query, (place, text) => sealer.sealText(place, text));
  },
};

/** Rows rewritten per statement when a store is sealed or sealed again (each statement has its 5 s limit). */
const RESEAL_BATCH = 500;
type StoredRow = Record<string, string | null>;
/** Every table with values, and how a row's place, value and keys read; `update` takes the keys, then the value, as arrays. */
const VALUES: ReadonlyArray<{ select: string; update: string; place: (row: StoredRow) => Place; value: string; keys: (row: StoredRow) => string[] }> = [
  {
    select: 'select ns, key, value from records',
    update: 'update records r set value = v.value from unnest($1::text[], $2::text[], $3::text[]) as v(ns, key, value) where r.ns = v.ns and r.key = v.key',
    place: (row) => places.record(row.ns!, row.key!),
    value: 'value',
    keys: (row) => [row.ns!, row.key!],
  },
  {
    select: 'select seq::text, terminal, type, data from events',
    update: 'update events e set data = v.data from unnest($1::bigint[], $2::text[]) as v(seq, data) where e.seq = v.seq',
    place: (row) => places.event(Number(row.seq), row.terminal ?? null, row.type!),
    value: 'data',
    keys: (row) => [row.seq!],
  },
  {
    select: 'select terminal, state from audit_state where state is not null',
    update: 'update audit_state a set state = v.state from unnest($1::text[], $2::text[]) as v(terminal, state) where a.terminal = v.terminal',
    place: (row) => places.record(AUDIT_STATE, row.terminal!),
    value: 'state',
    keys: (row) => [row.terminal!],
  },
  {
    select: 'select terminal, n::text, record from audit_records',
    update: 'update audit_records a set record = v.record from unnest($1::text[], $2::int[], $3::text[]) as v(terminal, n, record) where a.terminal = v.terminal and a.n = v.n',
    place: (row) => places.audit(row.terminal!, Number(row.n)),
    value: 'record',
    keys: (row) => [row.terminal!, row.n!],
  },
  {
    select: "select key, value from meta where key like 'secret:%'",
    update: 'update meta m set value = v.value from unnest($1::text[], $2::text[]) as v(key, value) where m.key = v.key',
    place: (row) => places.secret(row.key!.slice('secret:'.length)),
    value: 'value',
    keys: (row) => [row.key!],
  },
];

/** Rewrites every value in place, as `rewrite` gives it from its place and current text; returns how many. In the caller's transaction. */
async function rewriteValues(query: Query, rewrite: (place: Place, text: string) => string): Promise<number> {
  let count = 0;
  for (const table of VALUES) {
    const rows = await query<StoredRow>(table.select);
    for (let start = 0; start < rows.length; start += RESEAL_BATCH) {
      const rewritten = rows.slice(start, start + RESEAL_BATCH).map((row) => [...table.keys(row), rewrite(table.place(row), row[table.value]!)]);
      // Column by column, as arrays the update unnests: one statement per batch, not one per row.
      await query(table.update, rewritten[0]!.map((_, column) => rewritten.map((row) => row[column])));
      count += rewritten.length;
    }
  }
  return count;
}

/** SQLSTATE classes that mean the database is not there for us (connection, resources, operator intervention). */
const UNAVAILABLE_STATES = /^(08|53|57)/;

/** A database's own error (a constraint, bad SQL) stays as it is; anything about reaching it becomes StoreUnavailable. */
function storeError(error: unknown): Error {
  if (error instanceof StoreUnavailable) return error;
  if (error instanceof pg.DatabaseError && !UNAVAILABLE_STATES.test(error.code ?? '')) return error;
  return new StoreUnavailable(error);
}

type Query = <Row extends pg.QueryResultRow>(sql: string, params?: unknown[]) => Promise<Row[]>;

function querier(client: pg.ClientBase): Query {
  return async (sql, params) => {
    try {
      return (await client.query(sql, params)).rows;
    } catch (error) {
      throw storeError(error);
    }
  };
}

/** Where the store lives, for messages: host, port and database, never the password. */
function describe(url: string): string {
  const parsed = new URL(url);
  return `the database ${decodeURIComponent(parsed.pathname.slice(1))} at ${parsed.host}`;
}

export class PostgresStore implements SwitchStore {
  readonly engine = 'postgres';
  readonly shared = true;
  readonly id: string;
  readonly #url: string;
  readonly #pool: pg.Pool;
  #sealer: Sealer;
  /** Names this node in its own notifications, so its listeners hear only the other nodes. */
  readonly #node = randomBytes(6).toString('hex');
  readonly #listeners = new Set<() => void>();
  #listener: pg.Client | undefined;
  #retry: NodeJS.Timeout | undefined;
  #closed = false;

  private constructor(url: string, pool: pg.Pool, id: string, sealer: Sealer) {
    this.#url = url;
    this.#pool = pool;
    this.id = id;
    this.#sealer = sealer;
  }

  /**
   * Opens the store at a postgres:// URL, migrating it forward; a store from a newer Outrider is refused, and so
   * is a sealed store without its own key in `keyFile` (store-key.ts).
   */
  static async open(url: string, keyFile: StoreKeyFile): Promise<PostgresStore> {
    const pool = new pg.Pool({ connectionString: url, application_name: 'outrider-switch', ...POOL });
    // An idle client whose server went away emits here; the pool drops it, and the next call meets the outage.
    pool.on('error', () => undefined);
    try {
      const { id, sealer, sealedNow } = await transaction(pool, (query) => migrate(query, url, keyFile));
      // The clear rows just sealed stay as dead row versions in the tables' files until rewritten. (The
      // database's WAL and older backups keep them too: docs/deploy-switch.md.)
      if (sealedNow) await pool.query('vacuum full records, events, audit_state, audit_records, meta');
      return new PostgresStore(url, pool, id, sealer);
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
  }

  async secret(name: string, make: () => Buffer): Promise<Buffer> {
    const key = `secret:${name}`;
    const place = places.secret(name);
    await this.#query('insert into meta (key, value) values ($1, $2) on conflict (key) do nothing', [key, this.#sealer.sealText(place, make().toString('base64'))]);
    const [row] = await this.#query<{ value: string }>('select value from meta where key = $1', [key]);
    return Buffer.from(this.#sealer.openText(place, row!.value), 'base64');
  }

  /** A terminal's audit state lives beside its records, in audit_state (see keepAudit), and reads as a record. */
  async get<T>(ns: string, key: string): Promise<T | undefined> {
    const [row] =
      ns === AUDIT_STATE
        ? await this.#query<{ value: string }>('select state as value from audit_state where terminal = $1 and state is not null', [key])
        : await this.#query<{ value: string }>('select value from records where ns = $1 and key = $2', [ns, key]);
    return row ? this.#sealer.open<T>(places.record(ns, key), row.value) : undefined;
  }

  async list<T>(ns: string): Promise<Array<[string, T]>> {
    const rows =
      ns === AUDIT_STATE
        ? await this.#query<{ key: string; value: string }>('select terminal as key, state as value from audit_state where state is not null order by made')
        : await this.#query<{ key: string; value: string }>('select key, value from records where ns = $1 order by made', [ns]);
    return rows.map((row) => [row.key, this.#sealer.open<T>(places.record(ns, row.key), row.value)]);
  }

  async update<T, R>(ns: string, key: string, change: (current: T | undefined) => Change<T, R>): Promise<R> {
    return transaction(this.#pool, async (query) => {
      // The row may not exist yet, so there is nothing to lock: a lock on the key's hash makes a new key's
      // writers take turns too (a rare collision only makes two keys take turns). It is taken in a statement of
      // its own so that the read after it sees what the previous holder committed.
      await query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [`${ns}\n${key}`]);
      const place = places.record(ns, key);
      const [row] = await query<{ value: string; expires_at: string | null }>('select value, expires_at from records where ns = $1 and key = $2 for update', [ns, key]);
      const decided = change(row ? this.#sealer.open<T>(place, row.value) : undefined);
      if (decided.next === null) await query('delete from records where ns = $1 and key = $2', [ns, key]);
      else if (decided.next !== undefined) {
        await query(
          'insert into records (ns, key, value, expires_at) values ($1, $2, $3, $4) on conflict (ns, key) do update set value = excluded.value, expires_at = excluded.expires_at',
          [ns, key, this.#sealer.seal(place, decided.next), decided.expiresAt ?? row?.expires_at ?? null],
        );
      }
      return decided.result;
    });
  }

  async appendEvent(terminal: string | null, type: string, data: unknown, at: number): Promise<number> {
    return transaction(this.#pool, async (query) => {
      // Appends take turns, so sequence numbers are drawn in commit order: a reader that saw seq n has already
      // seen every seq below it (without this, 6 could commit before 5 and a poller past 6 would skip 5).
      // The number is drawn under the lock (the subquery takes it before a row comes out to number), and before
      // the insert, as each event is sealed to its own.
      const [row] = await query<{ seq: string }>("select nextval(pg_get_serial_sequence('events', 'seq')) as seq from (select pg_advisory_xact_lock($1, $2)) as locked", [
        LOCK_CLASS,
        EVENTS_LOCK,
      ]);
      const seq = Number(row!.seq);
      await query('insert into events (seq, terminal, type, data, at) overriding system value values ($1, $2, $3, $4, $5)', [
        seq,
        terminal,
        type,
        this.#sealer.seal(places.event(seq, terminal, type), data),
        at,
      ]);
      // Delivered to the listening nodes only when this transaction commits.
      await query('select pg_notify($1, $2)', [EVENTS_CHANNEL, `${this.#node} ${seq}`]);
      return seq;
    });
  }

  async eventsAfter(seq: number, limit: number): Promise<StoredEvent[]> {
    const rows = await this.#query<{ seq: string; terminal: string | null; type: string; data: string; at: string }>(
      'select seq, terminal, type, data, at from events where seq > $1 order by seq limit $2',
      [seq, limit],
    );
    return this.#sealer.openEvents(rows);
  }

  async eventBounds(): Promise<{ first: number; last: number }> {
    const [row] = await this.#query<{ first: string; last: string }>('select coalesce(min(seq), 0) as first, coalesce(max(seq), 0) as last from events');
    return { first: Number(row!.first), last: Number(row!.last) };
  }

  async keepAudit<S, R>(terminal: string, decide: (state: S | undefined) => AuditAppend<S> & { result: R }): Promise<R> {
    return transaction(this.#pool, async (query) => {
      // A first trail has no row to lock: make one (a null state reads as none), then lock it. A second node doing
      // the same waits on the insert until the first commits, then locks the row the first wrote.
      await query('insert into audit_state (terminal) values ($1) on conflict (terminal) do nothing', [terminal]);
      const [row] = await query<{ state: string | null; kept: number }>('select state, kept from audit_state where terminal = $1 for update', [terminal]);
      const place = places.record(AUDIT_STATE, terminal);
      const decided = decide(row?.state == null ? undefined : this.#sealer.open<S>(place, row.state));
      const kept = row?.kept ?? 0;
      if (decided.records.length > 0) {
        await query('insert into audit_records (terminal, n, record) select $1, $2 + n, record from unnest($3::text[]) with ordinality as t(record, n)', [
          terminal,
          kept,
          decided.records.map((record, i) => this.#sealer.seal(places.audit(terminal, kept + i + 1), record)),
        ]);
      }
      await query('update audit_state set state = $2, kept = $3 where terminal = $1', [terminal, this.#sealer.seal(place, decided.state), kept + decided.records.length]);
      return decided.result;
    });
  }

  async auditRecords(terminal: string): Promise<AuditRecord[]> {
    const rows = await this.#query<{ n: number; record: string }>('select n, record from audit_records where terminal = $1 order by n', [terminal]);
    return rows.map((row) => this.#sealer.open<AuditRecord>(places.audit(terminal, row.n), row.record));
  }

  async purge(now: number, eventsKept: number, eventsBefore: number): Promise<void> {
    await this.#query('delete from records where expires_at is not null and expires_at <= $1', [now]);
    // Counted from the newest row, not by seq arithmetic: an append rolled back leaves a gap in the numbers.
    await this.#query('delete from events where at < $2 or seq <= coalesce((select seq from events order by seq desc offset $1 limit 1), 0)', [eventsKept, eventsBefore]);
  }

  /**
   * Calls `listener` when another node appended events. Also called once after the listening connection is
   * made again following a loss, since notifications sent meanwhile are gone: the caller reads back anything new.
   */
  onEvents(listener: () => void): () => void {
    this.#listeners.add(listener);
    if (!this.#listener && !this.#retry) void this.#listen(false);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /**
   * Seals every value again under `next` (a new store key), in one transaction under the migrations' lock, and
   * records its check value: the database then opens with the new key file only. Every other node must be
   * stopped first (docs/deploy-switch.md): one still running holds the old key and would read nothing new.
   * The old row versions are rewritten out of the tables' files. Returns how many values were sealed again.
   */
  async rotateKey(next: Sealer): Promise<number> {
    const current = this.#sealer;
    const count = await transaction(this.#pool, async (query) => {
      await query('select pg_advisory_xact_lock($1, $2)', [LOCK_CLASS, MIGRATION_LOCK]);
      const rewritten = await rewriteValues(query, (place, text) => next.sealText(place, current.openText(place, text)));
      await query("update meta set value = $1 where key = 'key_check'", [next.check]);
      return rewritten;
    });
    this.#sealer = next;
    await this.#pool.query('vacuum full records, events, audit_state, audit_records, meta');
    return count;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    const listener = this.#listener;
    this.#listener = undefined;
    await Promise.all([listener?.end().catch(() => undefined), this.#pool.end().catch(() => undefined)]);
  }

  async #query<Row extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<Row[]> {
    try {
      return (await this.#pool.query<Row>(sql, params)).rows;
    } catch (error) {
      throw storeError(error);
    }
  }

  /** Holds one connection that LISTENs; when it is lost, connects again until the store closes. */
  async #listen(again: boolean): Promise<void> {
    this.#retry = undefined;
    if (this.#closed) return;
    const client = new pg.Client({ connectionString: this.#url, application_name: 'outrider-switch-listen', connectionTimeoutMillis: POOL.connectionTimeoutMillis, keepAlive: true });
    let lost = false;
    const reconnect = (): void => {
      if (lost) return;
      lost = true;
      if (this.#listener === client) this.#listener = undefined;
      void client.end().catch(() => undefined);
      if (!this.#closed) this.#retry = setTimeout(() => void this.#listen(true), LISTEN_RETRY_MS);
    };
    client.on('error', reconnect);
    client.on('end', reconnect);
    client.on('notification', (message) => {
      if (message.channel === EVENTS_CHANNEL && !message.payload?.startsWith(`${this.#node} `)) this.#notify();
    });
    this.#listener = client;
    try {
      await client.connect();
      await client.query(`listen ${EVENTS_CHANNEL}`);
    } catch {
      reconnect();
      return;
    }
    if (this.#closed) await client.end().catch(() => undefined);
    else if (again) this.#notify();
  }

  #notify(): void {
    for (const listener of this.#listeners) listener();
  }
}

/** Runs `work` in one transaction on a pooled connection; a connection that failed is not given back to the pool. */
async function transaction<R>(pool: pg.Pool, work: (query: Query) => Promise<R>): Promise<R> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw storeError(error);
  }
  // A checked-out client whose server goes away emits 'error' (unhandled, it would end the process); the query
  // under way rejects with it too, so hearing it is enough.
  const lost = (): void => undefined;
  client.on('error', lost);
  const query = querier(client);
  try {
    await query('begin');
    const result = await work(query);
    await query('commit');
    client.removeListener('error', lost);
    client.release();
    return result;
  } catch (error) {
    const broken = error instanceof StoreUnavailable || (await client.query('rollback').then(() => false, () => true));
    client.removeListener('error', lost);
    client.release(broken ? (error as Error) : undefined);
    throw error;
  }
}

/**
 * Brings the schema to this code's version and unlocks it with the store key; two nodes starting at once take
 * turns, and the second finds it done (and the key check the first wrote: a node without that key is refused).
 */
async function migrate(query: Query, url: string, keyFile: StoreKeyFile): Promise<{ id: string; sealer: Sealer; sealedNow: boolean }> {
  await query('select pg_advisory_xact_lock($1, $2)', [LOCK_CLASS, MIGRATION_LOCK]);
  await query('create table if not exists meta (key text primary key, value text not null)');
  const [row] = await query<{ value: string }>("select value from meta where key = 'schema_version'");
  const version = Number(row?.value ?? 0);
  if (version > SCHEMA_VERSION) throw new Error(`${describe(url)} was written by a newer Outrider switch (schema ${version}; this one knows ${SCHEMA_VERSION})`);
  const [check] = await query<{ value: string }>("select value from meta where key = 'key_check'");
  const sealer = unlockStore(keyFile, describe(url), check?.value, version >= SEALED_SINCE);
  for (let next = version + 1; next <= SCHEMA_VERSION; next++) await MIGRATIONS[next]!(query, sealer);
  await query("insert into meta (key, value) values ('key_check', $1) on conflict (key) do nothing", [sealer.check]);
  await query("insert into meta (key, value) values ('schema_version', $1) on conflict (key) do update set value = excluded.value", [String(SCHEMA_VERSION)]);
  await query("insert into meta (key, value) values ('store_id', $1) on conflict (key) do nothing", [randomBytes(4).toString('hex')]);
  const [id] = await query<{ value: string }>("select value from meta where key = 'store_id'");
  return { id: id!.value, sealer, sealedNow: version > 0 && version < SEALED_SINCE };
}
