// A real switch on SQLite and on PostgreSQL keeps CJI sealed at rest (issue 18): after plates, names, answers,
// an audit trail, a confirmation and a BOLO went through it, the database's raw bytes and rows hold none of
// them; a value moved to another row answers 500 without a word of CJI; a wrong or missing key refuses to start.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditRecord, auditTime, chainHash, GENESIS } from '../../../src-shared/audit-chain.ts';
import { authPaths, bearer } from '../../../src-shared/auth.ts';
import { IDEMPOTENCY_HEADER, paths, PREFER_ASYNC } from '../../../src-shared/protocol.ts';
import { SwitchProcess } from '../../../scripts/switch-process.ts';
import { type PostgresServer, startPostgres, whyNoPostgres } from '../../support/postgres-server.ts';
import { signInAt } from '../../support/switch-session.ts';

const TERMINAL = 'terminal-sealed-01';
/** From the training records (src-switch/records/training-records.ts): what the queries ask and what comes back. */
const CJI = ['4TRN123', 'TRAINING, ARMED', '1980-01-01', 'ARMED AND DANGEROUS', 'HONDA CIVIC', 'V123456789', 'W987654321', 'TRN1911'];
/** Where the car was when the audit trail's queries were entered: as much CJI as what they asked. */
const WHERE = { lat: 34.052235, lon: -118.243683, fixAt: '2026-11-23T14:02:10.300Z' };
const POSITION = ['34.052235', '-118.243683', '14:02:10.300'];
const QUERIES = [
  { kind: 'plate', lic: '4TRN123', lis: 'CA' },
  { kind: 'person', nam: 'TRAINING, ARMED', dob: '1980-01-01', sex: 'M' },
  { kind: 'gun', ser: 'TRN1911', mak: 'COL' },
];

const noPostgres = whyNoPostgres();
if (noPostgres) console.log(`PostgreSQL runs of the sealing test skipped: ${noPostgres}`);

/** One engine under the switch: its --store, a raw look at everything it holds, and raw SQL on it. */
interface Engine {
  store: string;
  dump(): Promise<string>;
  run(sql: string, params: string[]): Promise<void>;
  done(): Promise<void>;
}

function sqlite(folder: string): Engine {
  const file = join(folder, 'switch.db');
  return {
    store: `sqlite:${file}`,
    // The database file with its WAL and shared memory, as bytes: what a stolen copy of the folder shows.
    dump: async () => readdirSync(folder).map((name) => readFileSync(join(folder, name)).toString('latin1')).join('\n'),
    run: async (sql, params) => {
      const db = new Database(file);
      try {
        db.prepare(sql.replace(/\$\d/g, '?')).run(...params);
      } finally {
        db.close();
      }
    },
    done: async () => undefined,
  };
}

async function postgres(): Promise<Engine> {
  const server: PostgresServer = await startPostgres();
  const withClient = async <R,>(work: (client: pg.Client) => Promise<R>): Promise<R> => {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  return {
    store: server.url,
    // Every row of every table the switch made, cast to text: what a pg_dump or a database login shows.
    dump: () =>
      withClient(async (client) => {
        const tables = (await client.query("select table_name from information_schema.tables where table_schema = 'public'")).rows.map((row: { table_name: string }) => row.table_name);
        expect(tables).toEqual(expect.arrayContaining(['records', 'events', 'audit_records', 'audit_state', 'meta']));
        const rows = await Promise.all(tables.map(async (table) => (await client.query(`select t::text as row from "${table}" t`)).rows.map((row: { row: string }) => row.row)));
        return rows.flat().join('\n');
      }),
    run: async (sql, params) => {
      await withClient((client) => client.query(sql, params));
    },
    done: () => server.stop({ remove: true }),
  };
}

function auditTrail(officer: string): AuditRecord[] {
  const records: AuditRecord[] = [];
  let prev = GENESIS;
  for (const [seq, subject] of [
    [1, 'plate CA 4TRN123'],
    [2, 'person TRAINING, ARMED, DOB 1980-01-01'],
  ] as const) {
    const content = { at: auditTime(new Date()), officer, terminal: TERMINAL, action: 'query', subject, outcome: 'hit', where: WHERE };
    const hash = chainHash(prev, content);
    records.push({ seq, ...content, prev, hash });
    prev = hash;
  }
  return records;
}

const ENGINES: Array<[name: string, skip: string | undefined, make: (folder: string) => Promise<Engine>]> = [
  ['SQLite', undefined, async (folder) => sqlite(folder)],
  ['PostgreSQL', noPostgres, () => postgres()],
];

describe.each(ENGINES)('a switch on %s, sealed at rest', (_name, skip, make) => {
  const folder = mkdtempSync(join(tmpdir(), 'outrider-sealed-'));
  const storeFolder = join(folder, 'store');
  const keyFile = join(folder, 'keys', 'store.key');
  let engine: Engine;
  let node: SwitchProcess;
  let headers: Record<string, string>;
  let officer: string;
  const keys: string[] = [];
  const started: SwitchProcess[] = [];
  const start = async (keyPath = keyFile): Promise<SwitchProcess> => {
    const each = new SwitchProcess(0, ['--latency-scale', '0', '--data-size', '200', '--store', engine.store, '--store-key-file', keyPath]);
    started.push(each);
    await each.start();
    return each;
  };

  beforeAll(async () => {
    if (skip) return;
    engine = await make(storeFolder);
    node = await start();
    const session = await signInAt(node.url, TERMINAL);
    officer = session.officer.id;
    headers = { 'Content-Type': 'application/json', ...bearer(session.token) };
    for (const [i, query] of QUERIES.entries()) {
      const key = randomUUID();
      keys.push(key);
      const response = await fetch(`${node.url}${paths.queries}`, {
        method: 'POST',
        headers: { ...headers, [IDEMPOTENCY_HEADER]: key, ...(i === 1 ? { Prefer: PREFER_ASYNC } : {}) },
        body: JSON.stringify({ query, askedAt: new Date().toISOString() }),
      });
      expect(response.status).toBeLessThan(300);
    }
    // The streamed query's parts are in the event log once its poll says it is complete.
    for (let complete = false; !complete; ) complete = ((await (await fetch(`${node.url}${paths.query(keys[1]!)}`, { headers })).json()) as { complete: boolean }).complete;
    expect((await fetch(`${node.url}${authPaths.audit}`, { method: 'POST', headers, body: JSON.stringify({ terminal: TERMINAL, records: auditTrail(officer) }) })).status).toBe(200);
    const confirm = await fetch(`${node.url}${paths.confirmations}`, {
      method: 'POST',
      headers: { ...headers, [IDEMPOTENCY_HEADER]: randomUUID() },
      body: JSON.stringify({ queryId: keys[0], priority: 'urgent', terminal: TERMINAL }),
    });
    expect(confirm.status).toBe(202);
    await node.issueBolo({ title: 'Stolen HONDA CIVIC', text: 'Black 2016 HONDA CIVIC, CA 4TRN123, driver ARMED AND DANGEROUS', lic: '4TRN123', lis: 'CA' });
  }, 120_000);
  afterAll(async () => {
    for (const each of started) await each.stop();
    await engine?.done();
    rmSync(folder, { recursive: true, force: true });
  }, 30_000);

  it.skipIf(Boolean(skip))('holds none of the plates, names, dates or answers in clear, while it runs', async () => {
    const dump = await engine.dump();
    expect(dump).toContain(TERMINAL);
    for (const text of [...CJI, ...POSITION]) expect(dump, text).not.toContain(text);
    // And it still answers from what it sealed, the positions in the kept trail included.
    const trail = (await (await node.adminFetch(`${authPaths.adminAudit}?terminal=${TERMINAL}`)).json()) as { records: AuditRecord[] };
    expect(trail.records.map((record) => record.where)).toEqual([WHERE, WHERE]);
    const answer = await (await fetch(`${node.url}${paths.query(keys[0]!)}`, { headers })).text();
    expect(answer).toContain('HONDA CIVIC');
  });

  it.skipIf(Boolean(skip))('answers 500 for a record moved to another row by raw SQL, logging where and not what, and goes on', async () => {
    const [plate, person] = keys as [string, string];
    await engine.run("update records set value = (select value from records where ns = 'execution' and key = $1) where ns = 'execution' and key = $2", [plate, person]);
    const response = await fetch(`${node.url}${paths.query(person)}`, { headers });
    expect(response.status).toBe(500);
    const body = await response.text();
    expect(JSON.parse(body)).toMatchObject({ error: { code: 'store_damaged' } });
    expect(node.stderr).toContain(`records execution ${person}`);
    for (const text of CJI) {
      expect(body, text).not.toContain(text);
      expect(node.stderr, text).not.toContain(text);
    }
    expect(node.running).toBe(true);
    expect((await fetch(`${node.url}${paths.query(plate)}`, { headers })).status).toBe(200);
  });

  it.skipIf(Boolean(skip))('refuses to start with another key file, or none, naming the file, and makes no key', async () => {
    await node.stop();
    const wrong = join(folder, 'keys', 'wrong.key');
    writeFileSync(wrong, randomBytes(32), { mode: 0o600 });
    await expect(start(wrong)).rejects.toThrow(`The switch exited (1) before listening: The switch could not open its store`);
    expect(started.at(-1)!.stderr).toContain(`the store key in ${wrong} is not the key`);
    const missing = join(folder, 'keys', 'missing.key');
    await expect(start(missing)).rejects.toThrow(`its store key file ${missing} does not exist`);
    expect(existsSync(missing)).toBe(false);
    // Its own key still opens it.
    node = await start();
    expect((await fetch(`${node.url}${paths.query(keys[0]!)}`, { headers })).status).toBe(200);
  }, 60_000);
});
