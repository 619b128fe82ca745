// The switch store's contract, held by all three engines alike: memory, SQLite in a temp file, and PostgreSQL
// (a private server, two store instances on it standing for two switch nodes). The durable two also seal what
// they keep: read beneath the store, their data holds no CJI, and a value moved to another row does not open.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type AuditRecord, chainHash, GENESIS } from '../../../src-shared/audit-chain.ts';
import { MemoryStore } from '../../../src-switch/store/memory-store.ts';
import { PostgresStore } from '../../../src-switch/store/postgres-store.ts';
import { SqliteStore } from '../../../src-switch/store/sqlite-store.ts';
import { AUDIT_STATE, SCHEMA_VERSION, StoreDamaged, type StoreEngine, StoreUnavailable, type SwitchStore } from '../../../src-switch/store/store.ts';
import { Sealer } from '../../../src-switch/store/sealing.ts';
import { StoreKeyFile, StoreKeyRefused } from '../../../src-switch/store/store-key.ts';
import { type PostgresServer, startPostgres, whyNoPostgres } from '../../support/postgres-server.ts';

/** One store to test, and what its engine allows beyond the process: other instances on the same data. */
interface Lab {
  store: SwitchStore;
  /** Every instance a concurrent test spreads its calls over: the store, and a second node where the engine has them. */
  peers: SwitchStore[];
  /** Opens another instance on the same data (a second node, or the store reopened); absent for memory. */
  open?: () => Promise<SwitchStore>;
  /** The database's URL, for engines that have one. */
  url?: string;
  /** Writes `version` as the data's schema version, as a newer switch would have. */
  stampSchema?: (version: number) => Promise<void>;
  /** The data beneath the store, for the engines that keep it (and seal it under `keyFile`). */
  raw?: Raw;
  keyFile?: StoreKeyFile;
  /** The SQLite store's file. */
  file?: string;
}

/** What someone holding the database file or a database login sees and can do, with no store key. */
interface Raw {
  /** Everything held: the file and its journal as bytes, or every table's rows cast to text. */
  dump(): Promise<string>;
  /** Runs SQL on the data directly (`?` placeholders, whichever engine). */
  run(sql: string, params?: unknown[]): Promise<void>;
  /** Opens a store on this data with `keyFile`. */
  open(keyFile: StoreKeyFile): Promise<SwitchStore>;
}

interface Engine {
  name: StoreEngine;
  skip?: string;
  start?: () => Promise<void>;
  stop?: () => Promise<void>;
  lab: () => Promise<Lab>;
  /** Data no store has opened yet, and how a switch of schema 1 (before sealing) laid out its tables. */
  blank?: () => Promise<Raw>;
  schema1?: string;
}

const opened: SwitchStore[] = [];
/** Opens through this, so every instance a test made is closed after it. */
async function track<S extends SwitchStore>(store: Promise<S>): Promise<S> {
  opened.push(await store);
  return opened.at(-1) as S;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

const folder = mkdtempSync(join(tmpdir(), 'outrider-store-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
let files = 0;
const newKeyFile = () => new StoreKeyFile(join(folder, `${++files}.key`));

function sqliteRaw(file: string): Raw {
  return {
    dump: async () => [file, `${file}-wal`].map((each) => (existsSync(each) ? readFileSync(each).toString('latin1') : '')).join('\n'),
    run: async (sql, params = []) => {
      const db = new Database(file);
      try {
        db.prepare(sql).run(...params);
      } finally {
        db.close();
      }
    },
    open: (keyFile) => track(SqliteStore.open(file, keyFile)),
  };
}

function postgresRaw(url: string): Raw {
  return {
    dump: () =>
      withClient(url, async (client) => {
        const tables = ['meta', 'records', 'events', 'audit_state', 'audit_records'];
        const texts = await Promise.all(tables.map(async (table) => (await client.query(`select t::text as row from ${table} t`)).rows.map((row: { row: string }) => row.row)));
        return texts.flat().join('\n');
      }),
    run: async (sql, params = []) => {
      let n = 0;
      await withClient(url, (client) => client.query(sql.replace(/\?/g, () => `$${++n}`), params));
    },
    open: (keyFile) => track(PostgresStore.open(url, keyFile)),
  };
}

const noPostgres = whyNoPostgres();
let postgres: PostgresServer | undefined;

const engines: Engine[] = [
  {
    name: 'memory',
    lab: async () => {
      const store = await track(Promise.resolve(new MemoryStore()));
      return { store, peers: [store] };
    },
  },
  {
    name: 'sqlite',
    lab: async () => {
      const file = join(folder, `${++files}.db`);
      const keyFile = newKeyFile();
      const store = await track(SqliteStore.open(file, keyFile));
      const raw = sqliteRaw(file);
      const stampSchema = (version: number) => raw.run("update meta set value = ? where key = 'schema_version'", [String(version)]);
      return { store, peers: [store], open: () => track(SqliteStore.open(file, keyFile)), stampSchema, raw, keyFile, file };
    },
    blank: async () => sqliteRaw(join(folder, `${++files}.db`)),
    schema1: `
      create table meta (key text primary key, value text not null);
      create table records (ns text not null, key text not null, value text not null, expires_at integer, primary key (ns, key));
      create index records_expiry on records (expires_at) where expires_at is not null;
      create table events (seq integer primary key autoincrement, terminal text, type text not null, data text not null, at integer not null);
      create table audit_records (terminal text not null, n integer not null, record text not null, primary key (terminal, n));
    `,
  },
  {
    name: 'postgres',
    skip: noPostgres,
    start: async () => {
      postgres = await startPostgres({ fsync: false });
    },
    stop: async () => postgres?.stop(),
    lab: async () => {
      const url = await postgres!.database();
      const keyFile = newKeyFile();
      const store = await track(PostgresStore.open(url, keyFile));
      const node2 = await track(PostgresStore.open(url, keyFile));
      const raw = postgresRaw(url);
      const stampSchema = (version: number) => raw.run("update meta set value = ? where key = 'schema_version'", [String(version)]);
      return { store, peers: [store, node2], url, open: () => track(PostgresStore.open(url, keyFile)), stampSchema, raw, keyFile };
    },
    blank: async () => postgresRaw(await postgres!.database()),
    schema1: `
      create table meta (key text primary key, value text not null);
      create table records (ns text not null, key text not null, value text not null, expires_at bigint,
        made bigint generated always as identity, primary key (ns, key));
      create index records_expiry on records (expires_at) where expires_at is not null;
      create table events (seq bigint generated always as identity primary key, terminal text, type text not null, data text not null, at bigint not null);
      create index events_at on events (at);
      create table audit_state (terminal text primary key, state text, kept integer not null default 0);
      create table audit_records (terminal text not null, n integer not null, record text not null, primary key (terminal, n));
    `,
  },
];

async function withClient<R>(url: string, work: (client: pg.Client) => Promise<R>): Promise<R> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

function auditRecord(terminal: string, seq: number): AuditRecord {
  const content = { at: '2026-11-23T14:05:09.37Z', officer: 'T1001', terminal, action: 'query', subject: `plate ABC${seq}`, outcome: 'answered' };
  return { seq, ...content, prev: GENESIS, hash: chainHash(GENESIS, content) };
}

const increment = (current: number | undefined) => ({ next: (current ?? 0) + 1, result: current });

for (const engine of engines) {
  describe.skipIf(engine.skip)(`the ${engine.name} store${engine.skip ? ` (skipped: ${engine.skip})` : ''}`, () => {
    if (engine.skip) console.warn(`store contract: the ${engine.name} engine is skipped: ${engine.skip}`);
    let lab: Lab;
    beforeAll(async () => engine.start?.(), 60_000);
    afterAll(async () => engine.stop?.(), 30_000);
    beforeEach(async () => {
      lab = await engine.lab();
    }, 30_000);

    it('has an id of 8 hex digits and says whether other nodes share it', () => {
      expect(lab.store.id).toMatch(/^[0-9a-f]{8}$/);
      expect(lab.store.engine).toBe(engine.name);
      expect(lab.store.shared).toBe(engine.name === 'postgres');
    });

    it('writes, keeps and deletes a record through update, answering what the change decided', async () => {
      const { store } = lab;
      expect(await store.update<{ plate: string }, string>('holds', 'a', (current) => ({ next: { plate: 'ABC123' }, result: `was ${current}` }))).toBe('was undefined');
      expect(await store.get('holds', 'a')).toEqual({ plate: 'ABC123' });
      expect(await store.update('holds', 'a', (current) => ({ result: current }))).toEqual({ plate: 'ABC123' });
      expect(await store.get('holds', 'a')).toEqual({ plate: 'ABC123' });
      await store.update('holds', 'a', () => ({ next: null, result: undefined }));
      expect(await store.get('holds', 'a')).toBeUndefined();
      expect(await store.get('other', 'a')).toBeUndefined();
    });

    it('writes nothing when a change throws, and hands its error to the caller as it is', async () => {
      const { store } = lab;
      await store.update('holds', 'a', () => ({ next: 1, result: undefined }));
      const refusal = new RangeError('not this one');
      await expect(
        store.update('holds', 'a', () => {
          throw refusal;
        }),
      ).rejects.toBe(refusal);
      expect(await store.get('holds', 'a')).toBe(1);
    });

    it('fails a throwing change alone among writes asked for at the same moment (one group commit)', async () => {
      const { store } = lab;
      const refusal = new RangeError('not this one');
      const asked = [
        store.update('together', 'a', () => ({ next: 'a', result: 'a' })),
        store.appendEvent('terminal-together', 'part', { n: 1 }, 1),
        store.update('together', 'b', () => {
          throw refusal;
        }),
        store.update('together', 'c', () => ({ next: 'c', result: 'c' })),
      ];
      const settled = await Promise.allSettled(asked);
      expect(settled.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
      expect((settled[2] as PromiseRejectedResult).reason).toBe(refusal);
      // Sorted: on PostgreSQL each write is its own transaction, and two may commit in either order.
      expect((await store.list<string>('together')).sort(([a], [b]) => a.localeCompare(b))).toEqual([
        ['a', 'a'],
        ['c', 'c'],
      ]);
      const seq = (settled[1] as PromiseFulfilledResult<number>).value;
      expect((await store.eventsAfter(seq - 1, 10)).map((event) => event.data)).toEqual([{ n: 1 }]);
    });

    it('hands out copies: changing a value read changes nothing stored', async () => {
      const { store } = lab;
      await store.update('holds', 'a', () => ({ next: { n: 1 }, result: undefined }));
      const read = await store.get<{ n: number }>('holds', 'a');
      read!.n = 2;
      await store.update<{ n: number }, void>('holds', 'a', (current) => {
        current!.n = 3;
        return { result: undefined };
      });
      expect(await store.get('holds', 'a')).toEqual({ n: 1 });
      expect(await store.list('holds')).toEqual([['a', { n: 1 }]]);
    });

    it('lists a namespace in the order its records were made, a rewrite keeping its place', async () => {
      const { store } = lab;
      for (const key of ['c', 'a', 'b']) await store.update('units', key, () => ({ next: { key }, result: undefined }));
      await store.update('other', 'x', () => ({ next: 1, result: undefined }));
      await store.update('units', 'c', () => ({ next: { key: 'c2' }, result: undefined }));
      expect(await store.list('units')).toEqual([
        ['c', { key: 'c2' }],
        ['a', { key: 'a' }],
        ['b', { key: 'b' }],
      ]);
      expect(await store.list('none')).toEqual([]);
    });

    it('forgets records past their expiry on purge, a change without one keeping the old', async () => {
      const { store } = lab;
      await store.update('codes', 'once', () => ({ next: 1, expiresAt: 1000, result: undefined }));
      await store.update('codes', 'kept', () => ({ next: 1, result: undefined }));
      await store.update('codes', 'once', () => ({ next: 2, result: undefined }));
      await store.purge(999, 100, 0);
      expect(await store.get('codes', 'once')).toBe(2);
      await store.purge(1000, 100, 0);
      expect(await store.get('codes', 'once')).toBeUndefined();
      expect(await store.list('codes')).toEqual([['kept', 1]]);
    });

    it('loses no change when 50 updates of one new key run at once, and only one saw no record', async () => {
      const { peers, store } = lab;
      const saw = await Promise.all(range(50).map((i) => peers[i % peers.length]!.update('counters', 'k', increment)));
      expect(await store.get('counters', 'k')).toBe(50);
      expect(saw.filter((current) => current === undefined)).toHaveLength(1);
      expect(saw.map((current) => current ?? 0).sort((x, y) => x - y)).toEqual(range(50));
    });

    it('numbers events in order and reads them back after a sequence number', async () => {
      const { store } = lab;
      expect(await store.eventBounds()).toEqual({ first: 0, last: 0 });
      const seqs = [];
      for (const i of range(5)) seqs.push(await store.appendEvent(i % 2 ? 'MDT-0042' : null, 'alert', { i, plate: 'ABC123' }, 1000 + i));
      expect(seqs).toEqual([1, 2, 3, 4, 5]);
      expect(await store.eventBounds()).toEqual({ first: 1, last: 5 });
      expect(await store.eventsAfter(2, 2)).toEqual([
        { seq: 3, terminal: null, type: 'alert', data: { i: 2, plate: 'ABC123' }, at: 1002 },
        { seq: 4, terminal: 'MDT-0042', type: 'alert', data: { i: 3, plate: 'ABC123' }, at: 1003 },
      ]);
      expect(await store.eventsAfter(5, 10)).toEqual([]);
    });

    it('purges events beyond the newest kept and older than the cutoff, numbering on from where it was', async () => {
      const { store } = lab;
      for (const i of range(10)) await store.appendEvent(null, 'tick', { i }, 1000 + i * 10);
      await store.purge(0, 7, 0);
      expect(await store.eventBounds()).toEqual({ first: 4, last: 10 });
      await store.purge(0, 7, 1060);
      expect(await store.eventBounds()).toEqual({ first: 7, last: 10 });
      expect((await store.eventsAfter(0, 100)).map((event) => event.seq)).toEqual([7, 8, 9, 10]);
      await store.purge(0, 0, 0);
      expect(await store.eventBounds()).toEqual({ first: 0, last: 0 });
      expect(await store.appendEvent(null, 'tick', {}, 2000)).toBe(11);
    });

    it('never lets a reader polling after its last seq skip an event appended at the same time', async () => {
      const { peers, store } = lab;
      let appending = true;
      const appends = Promise.all(range(60).map((i) => peers[i % peers.length]!.appendEvent(null, 'tick', { i }, i))).finally(() => (appending = false));
      const seen: number[] = [];
      const poll = async () => {
        for (const event of await store.eventsAfter(seen.at(-1) ?? 0, 1000)) seen.push(event.seq);
      };
      while (appending) await poll();
      const seqs = await appends;
      await poll();
      expect(seen).toEqual([...seqs].sort((a, b) => a - b));
    });

    it('keeps an audit trail: records appended in order beside the state decided with them', async () => {
      const { store } = lab;
      const first = await store.keepAudit<{ last: number }, string>('MDT-0042', (state) => ({ state: { last: 2 }, records: [auditRecord('MDT-0042', 1), auditRecord('MDT-0042', 2)], result: `from ${state?.last}` }));
      expect(first).toBe('from undefined');
      const second = await store.keepAudit<{ last: number }, number | undefined>('MDT-0042', (state) => ({ state: { last: 3 }, records: [auditRecord('MDT-0042', 3)], result: state?.last }));
      expect(second).toBe(2);
      await store.keepAudit<{ last: number }, void>('MDT-0042', (state) => ({ state: state!, records: [], result: undefined }));
      expect((await store.auditRecords('MDT-0042')).map((record) => record.seq)).toEqual([1, 2, 3]);
      expect((await store.auditRecords('MDT-0042'))[0]).toEqual(auditRecord('MDT-0042', 1));
      expect(await store.auditRecords('MDT-0007')).toEqual([]);
    });

    it('takes turns when 20 uploads of one new terminal keep their audit at once', async () => {
      const { peers, store } = lab;
      await Promise.all(
        range(20).map((i) => peers[i % peers.length]!.keepAudit<number, void>('MDT-0042', (state) => ({ state: (state ?? 0) + 1, records: [auditRecord('MDT-0042', (state ?? 0) + 1)], result: undefined }))),
      );
      expect((await store.auditRecords('MDT-0042')).map((record) => record.seq)).toEqual(range(20).map((i) => i + 1));
      expect(await store.keepAudit<number, number | undefined>('MDT-0042', (state) => ({ state: state!, records: [], result: state }))).toBe(20);
    });

    it('keeps nothing of an audit whose decision throws', async () => {
      const { store } = lab;
      await store.keepAudit<number, void>('MDT-0042', () => ({ state: 1, records: [auditRecord('MDT-0042', 1)], result: undefined }));
      await expect(
        store.keepAudit('MDT-0042', () => {
          throw new Error('chain broken');
        }),
      ).rejects.toThrow('chain broken');
      expect(await store.auditRecords('MDT-0042')).toHaveLength(1);
      expect(await store.keepAudit<number, number | undefined>('MDT-0042', (state) => ({ state: state!, records: [], result: state }))).toBe(1);
    });

    it("reads a terminal's audit state back through get and list, as an ordinary record", async () => {
      const { store } = lab;
      await store.keepAudit<{ last: number }, void>('MDT-0042', () => ({ state: { last: 1 }, records: [auditRecord('MDT-0042', 1)], result: undefined }));
      expect(await store.get(AUDIT_STATE, 'MDT-0042')).toEqual({ last: 1 });
      expect(await store.list(AUDIT_STATE)).toEqual([['MDT-0042', { last: 1 }]]);
    });

    it('makes a secret once and hands every caller (every node) the same one', async () => {
      const { store } = lab;
      let made = 0;
      const make = () => Buffer.from([++made, 1, 2, 3]);
      const secret = await store.secret('session', make);
      expect(await store.secret('session', make)).toEqual(secret);
      expect(await store.secret('other', make)).not.toEqual(secret);
      if (lab.open) {
        // Another node of the database; for SQLite, which serves one process, the same node started again.
        if (!store.shared) await Promise.all(lab.peers.map((peer) => peer.close()));
        expect(await (await lab.open()).secret('session', () => Buffer.from('another node'))).toEqual(secret);
      }
    });

    describe.skipIf(engine.name !== 'sqlite')('one switch process per file', () => {
      it('refuses a second open while the first has the file, naming its process, and opens once it is closed', async () => {
        const { store } = lab;
        await store.update('holds', 'a', () => ({ next: 1, result: undefined }));
        await expect(lab.open!()).rejects.toThrow(`is in use by switch process ${process.pid} on this machine: one SQLite store serves one switch`);
        await Promise.all(lab.peers.map((peer) => peer.close()));
        expect(await (await lab.open!()).get('holds', 'a')).toBe(1);
      });

      it('takes over the lock file of a switch that was killed', async () => {
        const { store } = lab;
        await store.update('holds', 'a', () => ({ next: 1, result: undefined }));
        await Promise.all(lab.peers.map((peer) => peer.close()));
        // What a kill -9 leaves: the lock file of a process that no longer runs.
        const gone = spawnSync(process.execPath, ['-e', '']).pid;
        writeFileSync(`${lab.file!}.lock`, `${gone} ${hostname()}\n`);
        const reopened = await lab.open!();
        expect(await reopened.get('holds', 'a')).toBe(1);
        expect(readFileSync(`${lab.file!}.lock`, 'utf8')).toBe(`${process.pid} ${hostname()}\n`);
        await reopened.close();
        expect(existsSync(`${lab.file!}.lock`)).toBe(false);
      });
    });

    describe.skipIf(engine.name === 'memory')('its schema', () => {
      it('keeps its id and everything it held when opened again', async () => {
        const { store } = lab;
        await store.update('holds', 'a', () => ({ next: { plate: 'ABC123' }, result: undefined }));
        await store.appendEvent(null, 'alert', { plate: 'ABC123' }, 1000);
        await store.keepAudit<number, void>('MDT-0042', () => ({ state: 1, records: [auditRecord('MDT-0042', 1)], result: undefined }));
        const secret = await store.secret('session', () => Buffer.from('kept'));
        await Promise.all(lab.peers.map((peer) => peer.close()));
        const again = await lab.open!();
        expect(again.id).toBe(store.id);
        expect(await again.get('holds', 'a')).toEqual({ plate: 'ABC123' });
        expect(await again.eventBounds()).toEqual({ first: 1, last: 1 });
        expect(await again.auditRecords('MDT-0042')).toEqual([auditRecord('MDT-0042', 1)]);
        expect(await again.secret('session', () => Buffer.from('new'))).toEqual(secret);
      });

      it('refuses a store a newer switch wrote, naming both schema versions', async () => {
        await Promise.all(lab.peers.map((peer) => peer.close()));
        await lab.stampSchema!(SCHEMA_VERSION + 1);
        await expect(lab.open!()).rejects.toThrow(`was written by a newer Outrider switch (schema ${SCHEMA_VERSION + 1}; this one knows ${SCHEMA_VERSION})`);
      });
    });

    if (engine.blank) sealing(engine, () => lab);
    if (engine.name === 'postgres') postgresOnly(() => lab);
  });
}

/** What the training records say (src-switch/records/training-records.ts): none may be read beneath a store. */
const CJI = ['4TRN123', 'TRAINING, ARMED', '1980-01-01', 'ARMED AND DANGEROUS', 'HONDA CIVIC', 'V123456789'];
const execution = { query: { kind: 'plate', lic: '4TRN123', lis: 'CA' }, parts: [{ source: 'SVS', summary: 'STOLEN VEHICLE: 2016 HONDA CIVIC, black', nic: 'V123456789' }] };
const person = { query: { kind: 'person', nam: 'TRAINING, ARMED', dob: '1980-01-01', sex: 'M' }, cautions: ['ARMED AND DANGEROUS'] };

function cjiAuditRecord(n: number): AuditRecord {
  const content = { at: '2026-11-23T14:05:09.37Z', officer: 'T1001', terminal: 'MDT-0042', action: 'query', subject: `plate 4TRN123 / TRAINING, ARMED ${n}`, outcome: 'hit' };
  return { seq: n, ...content, prev: GENESIS, hash: chainHash(GENESIS, content) };
}

/** Writes CJI through every kind of value a store keeps: records, events, audit records and state, a secret. */
async function holdCji(store: SwitchStore): Promise<void> {
  await store.update('execution', 'key-1', () => ({ next: execution, result: undefined }));
  await store.update('execution', 'key-2', () => ({ next: person, result: undefined }));
  await store.appendEvent('MDT-0042', 'part', execution.parts[0], 1000);
  await store.appendEvent('MDT-0042', 'part', person, 1001);
  await store.keepAudit<{ subjects: string[] }, void>('MDT-0042', () => ({ state: { subjects: ['4TRN123'] }, records: [cjiAuditRecord(1), cjiAuditRecord(2)], result: undefined }));
  await store.secret('session', () => Buffer.from('the session key'));
}

/** The durable engines' sealing at rest, read and tampered with beneath the store, as a stolen copy or a login would. */
function sealing(engine: Engine, current: () => Lab): void {
  describe('sealed at rest', () => {
    it('keeps no CJI in clear: a raw read of its data finds the keys, and none of the plates, names or answers', async () => {
      const { store, raw } = current();
      await holdCji(store);
      const dump = await raw!.dump();
      expect(dump).toContain('MDT-0042');
      expect(dump).toContain('key-1');
      for (const text of [...CJI, 'the session key', Buffer.from('the session key').toString('base64')]) expect(dump, text).not.toContain(text);
      expect(await store.get('execution', 'key-1')).toEqual(execution);
      expect(await store.eventsAfter(0, 10)).toMatchObject([{ seq: 1, data: execution.parts[0] }, { seq: 2, data: person }]);
      expect(await store.auditRecords('MDT-0042')).toEqual([cjiAuditRecord(1), cjiAuditRecord(2)]);
    });

    it('makes its key file owner-only, 32 bytes, where it was told', () => {
      const { keyFile } = current();
      expect(readFileSync(keyFile!.file)).toHaveLength(32);
      if (process.platform !== 'win32') expect(statSync(keyFile!.file).mode & 0o777).toBe(0o600);
    });

    it('refuses a value moved to another row, naming the row and not what it holds, and still opens the rest', async () => {
      const { store, raw } = current();
      await holdCji(store);
      await raw!.run("update records set value = (select value from records where ns = 'execution' and key = 'key-1') where ns = 'execution' and key = 'key-2'");
      const damaged = await store.get('execution', 'key-2').then(() => undefined, (error: unknown) => error);
      expect(damaged).toBeInstanceOf(StoreDamaged);
      expect((damaged as Error).message).toContain('records execution key-2');
      for (const text of CJI) expect((damaged as Error).message).not.toContain(text);
      await expect(store.update('execution', 'key-2', (value) => ({ result: value }))).rejects.toBeInstanceOf(StoreDamaged);
      await expect(store.list('execution')).rejects.toBeInstanceOf(StoreDamaged);
      expect(await store.get('execution', 'key-1')).toEqual(execution);
    });

    it('leaves a moved event out of the log, once reported, and a moved audit record unread', async () => {
      const { store, raw } = current();
      await holdCji(store);
      await raw!.run('update events set data = (select data from events where seq = 1) where seq = 2');
      await raw!.run("update audit_records set record = (select record from audit_records where n = 1) where terminal = 'MDT-0042' and n = 2");
      const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
      try {
        expect((await store.eventsAfter(0, 10)).map((event) => event.seq)).toEqual([1]);
        expect((await store.eventsAfter(0, 10)).map((event) => event.seq)).toEqual([1]);
        expect(log).toHaveBeenCalledTimes(1);
        expect(String(log.mock.calls[0]![0])).toContain('events 2 MDT-0042 part');
        for (const text of CJI) expect(String(log.mock.calls[0]![0])).not.toContain(text);
      } finally {
        log.mockRestore();
      }
      await expect(store.auditRecords('MDT-0042')).rejects.toThrow('audit_records MDT-0042 2');
    });

    it('refuses to open with another key, naming the key file', async () => {
      const { store } = current();
      await holdCji(store);
      const wrong = newKeyFile();
      writeFileSync(wrong.file, randomBytes(32), { mode: 0o600 });
      await Promise.all(current().peers.map((peer) => peer.close()));
      const refused = await current().raw!.open(wrong).then(() => undefined, (error: unknown) => error);
      expect(refused).toBeInstanceOf(StoreKeyRefused);
      expect((refused as Error).message).toContain(`the store key in ${wrong.file} is not the key`);
    });

    it('refuses to open without its key file, and makes no new key over it', async () => {
      const { store } = current();
      await holdCji(store);
      await Promise.all(current().peers.map((peer) => peer.close()));
      const missing = newKeyFile();
      await expect(current().raw!.open(missing)).rejects.toThrow(`is sealed, and its store key file ${missing.file} does not exist`);
      expect(existsSync(missing.file)).toBe(false);
      const short = newKeyFile();
      writeFileSync(short.file, 'not a key\n');
      await expect(current().raw!.open(short)).rejects.toThrow(`the store key file ${short.file} holds 10 bytes; a store key is exactly 32`);
    });

    it('seals every value again under a new key: the store then opens with the new key file only, and reads the same', async () => {
      const { store, keyFile } = current();
      await holdCji(store);
      const next = newKeyFile();
      const rotated = await store.rotateKey!(new Sealer(next.make()));
      // Two execution records and the audit state, two events, two audit records, the session secret.
      expect(rotated).toBe(8);
      // The store goes on under the new key at once.
      expect(await store.get('execution', 'key-1')).toEqual(execution);
      await store.update('execution', 'key-3', () => ({ next: person, result: undefined }));
      await Promise.all(current().peers.map((peer) => peer.close()));
      await expect(current().raw!.open(keyFile!)).rejects.toThrow(`the store key in ${keyFile!.file} is not the key`);
      const reopened = await current().raw!.open(next);
      try {
        expect(await reopened.get('execution', 'key-1')).toEqual(execution);
        expect(await reopened.get('execution', 'key-3')).toEqual(person);
        expect((await reopened.eventsAfter(0, 10)).map((event) => event.data)).toEqual([execution.parts[0], person]);
        expect(await reopened.auditRecords('MDT-0042')).toEqual([cjiAuditRecord(1), cjiAuditRecord(2)]);
        expect(await reopened.secret('session', () => Buffer.from('another key'))).toEqual(Buffer.from('the session key'));
      } finally {
        await reopened.close();
      }
      const dump = await current().raw!.dump();
      for (const text of CJI) expect(dump, text).not.toContain(text);
    });

    it.skipIf(process.platform === 'win32')('refuses a key file other users may read, naming it and the chmod', async () => {
      const { store, keyFile } = current();
      await holdCji(store);
      await Promise.all(current().peers.map((peer) => peer.close()));
      chmodSync(keyFile!.file, 0o644);
      await expect(current().raw!.open(keyFile!)).rejects.toThrow(`the store key file ${keyFile!.file} can be read by every user of this machine (mode 0644): make it the switch's alone with chmod 600`);
      chmodSync(keyFile!.file, 0o640);
      const reopened = await current().raw!.open(keyFile!);
      expect(await reopened.get('execution', 'key-1')).toEqual(execution);
      await reopened.close();
    });

    it('seals in place, once, a store a switch of schema 1 wrote in clear', async () => {
      const raw = await engine.blank!();
      for (const statement of engine.schema1!.split(';').filter((text) => text.trim())) await raw.run(statement);
      await raw.run("insert into meta (key, value) values ('schema_version', '1'), ('store_id', 'c1ea4d01'), ('secret:session', ?)", [Buffer.from('the session key').toString('base64')]);
      await raw.run("insert into records (ns, key, value) values ('execution', 'key-1', ?), ('execution', 'key-2', ?)", [JSON.stringify(execution), JSON.stringify(person)]);
      await raw.run('insert into events (terminal, type, data, at) values (?, ?, ?, ?)', ['MDT-0042', 'part', JSON.stringify(execution.parts[0]), 1000]);
      await raw.run("insert into audit_records (terminal, n, record) values ('MDT-0042', 1, ?)", [JSON.stringify(cjiAuditRecord(1))]);
      const state = JSON.stringify({ subjects: ['4TRN123'] });
      if (engine.name === 'postgres') await raw.run("insert into audit_state (terminal, state, kept) values ('MDT-0042', ?, 1)", [state]);
      else await raw.run("insert into records (ns, key, value) values (?, 'MDT-0042', ?)", [AUDIT_STATE, state]);
      expect(await raw.dump()).toContain('4TRN123');

      const keyFile = newKeyFile();
      const store = await raw.open(keyFile);
      expect(store.id).toBe('c1ea4d01');
      const dump = await raw.dump();
      for (const text of [...CJI, 'the session key', Buffer.from('the session key').toString('base64')]) expect(dump, text).not.toContain(text);
      await store.close();
      // Opened again, nothing is sealed twice: every value reads as the clear store held it.
      const again = await raw.open(keyFile);
      expect(await again.list('execution')).toEqual([
        ['key-1', execution],
        ['key-2', person],
      ]);
      expect(await again.eventsAfter(0, 10)).toEqual([{ seq: 1, terminal: 'MDT-0042', type: 'part', data: execution.parts[0], at: 1000 }]);
      expect(await again.auditRecords('MDT-0042')).toEqual([cjiAuditRecord(1)]);
      expect(await again.get(AUDIT_STATE, 'MDT-0042')).toEqual({ subjects: ['4TRN123'] });
      expect(await again.secret('session', () => Buffer.from('new'))).toEqual(Buffer.from('the session key'));
      expect(await again.appendEvent(null, 'tick', {}, 2000)).toBe(2);
    });
  });
}

/** What only several nodes on one PostgreSQL show: they hear of each other's events, start together, ride out an outage. */
function postgresOnly(current: () => Lab): void {
  /** Resolves once `count` of the store's event listeners are connected and LISTENing (read from the server). */
  async function listening(url: string, count: number): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const { rows } = await withClient(url, (client) =>
        client.query("select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = 'outrider-switch-listen' and query ilike 'listen%' and state = 'idle'"),
      );
      if (rows[0].n >= count) return;
      if (Date.now() > deadline) throw new Error(`${count} listeners did not connect within 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  function heard() {
    const waiters: Array<() => void> = [];
    let count = 0;
    return {
      listener: () => {
        count++;
        for (const resolve of waiters.splice(0)) resolve();
      },
      next: () => new Promise<void>((resolve) => waiters.push(resolve)),
      get count() {
        return count;
      },
    };
  }

  it('tells another node of an appended event', async () => {
    const [node1, node2] = current().peers as [SwitchStore, SwitchStore];
    const ears = heard();
    node2.onEvents(ears.listener);
    await listening(current().url!, 1);
    const next = ears.next();
    await node1.appendEvent(null, 'alert', {}, 1000);
    await next;
    expect(ears.count).toBe(1);
  });

  it('listens again after its connection is cut, and calls once to have missed events read back', async () => {
    const [node1, node2] = current().peers as [SwitchStore, SwitchStore];
    const ears = heard();
    node2.onEvents(ears.listener);
    const url = current().url!;
    await listening(url, 1);
    const caughtUp = ears.next();
    await withClient(url, (client) => client.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and application_name = 'outrider-switch-listen'"));
    await caughtUp;
    const next = ears.next();
    await node1.appendEvent(null, 'alert', {}, 1000);
    await next;
    expect(ears.count).toBe(2);
  });

  it('lets two nodes opening an empty database at once migrate it once and agree on its id', async () => {
    const url = await postgres!.database();
    const keyFile = newKeyFile();
    const [a, b] = await Promise.all([track(PostgresStore.open(url, keyFile)), track(PostgresStore.open(url, keyFile))]);
    expect(a.id).toBe(b.id);
  });

  it('refuses a second node whose key file is its own, not the one the first node sealed with', async () => {
    const url = await postgres!.database();
    await track(PostgresStore.open(url, newKeyFile()));
    const other = newKeyFile();
    await expect(PostgresStore.open(url, other)).rejects.toThrow(`is sealed, and its store key file ${other.file} does not exist`);
    writeFileSync(other.file, randomBytes(32), { mode: 0o600 });
    await expect(PostgresStore.open(url, other)).rejects.toThrow(`the store key in ${other.file} is not the key the database`);
  });

  it('rejects with StoreUnavailable within seconds while the database is stopped, and recovers when it is back', { timeout: 30_000 }, async () => {
    const { store } = current();
    await store.update('holds', 'a', () => ({ next: 1, result: undefined }));
    await postgres!.stop({ remove: false });
    try {
      await expectUnavailable(store);
    } finally {
      await postgres!.restart();
    }
    expect(await store.update('holds', 'a', increment)).toBe(1);
  });

  it('rejects with StoreUnavailable within seconds while the database hangs without a word', { timeout: 30_000 }, async () => {
    const { store } = current();
    await store.update('holds', 'a', () => ({ next: 1, result: undefined }));
    postgres!.freeze(true);
    try {
      const started = Date.now();
      // The pool holds a connection that now never answers, and new ones are accepted by the kernel but never greeted.
      const outcomes = await Promise.allSettled([store.get('holds', 'a'), store.update('holds', 'a', increment), ...range(10).map(() => store.eventBounds())]);
      for (const outcome of outcomes) expect(outcome.status === 'rejected' && outcome.reason).toBeInstanceOf(StoreUnavailable);
      expect(Date.now() - started).toBeLessThan(8000);
    } finally {
      postgres!.freeze(false);
    }
    expect(await store.update('holds', 'a', increment)).toBe(1);
  });

  it('rejects with StoreUnavailable within seconds when the database is killed, and loses no commit', { timeout: 60_000 }, async () => {
    // A server of its own with fsync on: a kill must not cost an answered commit (SERVERS.md).
    const durable = await startPostgres();
    try {
      const store = await track(PostgresStore.open(durable.url, newKeyFile()));
      await store.update('holds', 'a', () => ({ next: 1, result: undefined }));
      const seq = await store.appendEvent(null, 'alert', {}, 1000);
      durable.kill();
      await expectUnavailable(store);
      await durable.restart();
      expect(await store.get('holds', 'a')).toBe(1);
      expect(await store.eventBounds()).toEqual({ first: seq, last: seq });
    } finally {
      await durable.stop();
    }
  });

  async function expectUnavailable(store: SwitchStore): Promise<void> {
    const calls: Array<[string, () => Promise<unknown>]> = [
      ['get', () => store.get('holds', 'a')],
      ['update', () => store.update('holds', 'a', increment)],
      ['appendEvent', () => store.appendEvent(null, 'alert', {}, 1000)],
      ['keepAudit', () => store.keepAudit('MDT-0042', () => ({ state: 1, records: [], result: undefined }))],
      ['purge', () => store.purge(0, 10, 0)],
    ];
    for (const [name, call] of calls) {
      const started = Date.now();
      const error = await call().then(() => undefined, (reason: unknown) => reason);
      expect(error, name).toBeInstanceOf(StoreUnavailable);
      expect(Date.now() - started, name).toBeLessThan(5000);
    }
  }
}
