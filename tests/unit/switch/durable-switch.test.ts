// What the switch promised is still in force after `kill -9` and a restart, on SQLite and on PostgreSQL: a
// lockout, a sign-out, a used one-time code, an answer (a resend gets the first one, never a second run), the
// event log (a terminal resumes with no gap), the audit trail, and the officers' sessions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditRecord, auditTime, chainHash, GENESIS } from '../../../src-shared/audit-chain.ts';
import { authPaths, bearer, Session } from '../../../src-shared/auth.ts';
import { IDEMPOTENCY_HEADER, paths, PREFER_ASYNC, type QueryAnswer } from '../../../src-shared/protocol.ts';
import { DRILL_OFFICERS } from '../../../src-switch/auth/drill-officers.ts';
import { SwitchProcess } from '../../../scripts/switch-process.ts';
import { oneTimeCode } from '../../support/sign-in.ts';
import { type PostgresServer, startPostgres, whyNoPostgres } from '../../support/postgres-server.ts';

const [RIVERA, CHEN, OKAFOR, NOVAK] = DRILL_OFFICERS as [typeof DRILL_OFFICERS[0], typeof DRILL_OFFICERS[0], typeof DRILL_OFFICERS[0], typeof DRILL_OFFICERS[0]];
const TERMINAL = 'terminal-durable-01';
const noPostgres = whyNoPostgres();
if (noPostgres) console.log(`PostgreSQL runs of the durability test skipped: ${noPostgres}`);

function signIn(url: string, officer: typeof RIVERA, code = oneTimeCode(officer), password = officer.password) {
  return fetch(`${url}${authPaths.signIn}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ officerId: officer.id, password, code, terminal: TERMINAL }) });
}

const plate = JSON.stringify({ query: { kind: 'plate', lic: '4TRN123', lis: 'CA' }, askedAt: new Date().toISOString() });
const query = (url: string, token: string, key: string, prefer?: string) =>
  fetch(`${url}${paths.queries}`, { method: 'POST', headers: { 'Content-Type': 'application/json', [IDEMPOTENCY_HEADER]: key, ...(prefer ? { Prefer: prefer } : {}), ...bearer(token) }, body: plate });

function auditChain(count: number): AuditRecord[] {
  const records: AuditRecord[] = [];
  let prev = GENESIS;
  for (let seq = 1; seq <= count; seq++) {
    const content = { at: auditTime(new Date()), officer: '', terminal: TERMINAL, action: 'app.start', subject: `s-${seq}`, outcome: 'ok' };
    const hash = chainHash(prev, content);
    records.push({ seq, ...content, prev, hash });
    prev = hash;
  }
  return records;
}

/** Reads a stream's frames until `until` matches, or gives up after `ms`. */
async function readStream(url: string, token: string, lastEventId: string | undefined, until: (text: string) => boolean, ms = 5_000): Promise<string> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  const response = await fetch(`${url}${paths.events}`, { headers: { ...bearer(token), ...(lastEventId ? { 'Last-Event-ID': lastEventId } : {}) }, signal: controller.signal });
  let text = '';
  try {
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    while (!until(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
  } catch {
    // Aborted: the caller looks at what came.
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return text;
}

const ENGINES: Array<[name: string, skip: string | undefined, args: () => Promise<{ args: string[]; done?: () => Promise<void> }>]> = [
  ['SQLite', undefined, async () => ({ args: [] })],
  [
    'PostgreSQL',
    noPostgres,
    async () => {
      const server: PostgresServer = await startPostgres();
      return { args: ['--store', server.url], done: () => server.stop({ remove: true }) };
    },
  ],
];

describe.each(ENGINES)('a switch on %s, killed and restarted', (_name, skip, setUp) => {
  let switchProcess: SwitchProcess;
  let done: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    if (skip) return;
    const engine = await setUp();
    done = engine.done;
    switchProcess = new SwitchProcess(0, ['--latency-scale', '0', '--data-size', '200', ...engine.args]);
    await switchProcess.start();
  }, 60_000);
  afterAll(async () => {
    await switchProcess?.stop();
    await done?.();
  });

  it.skipIf(Boolean(skip))('keeps every promise made before the kill', async () => {
    const url = switchProcess.url;
    // A session that will go on, one signed out, an account locked, a code used, a query answered, a stream position.
    const rivera = Session.parse(await (await signIn(url, RIVERA)).json());
    const chen = Session.parse(await (await signIn(url, CHEN)).json());
    expect((await fetch(`${url}${authPaths.signOut}`, { method: 'POST', headers: bearer(chen.token) })).status).toBe(204);
    const usedCode = oneTimeCode(OKAFOR);
    expect((await signIn(url, OKAFOR, usedCode)).status).toBe(200);
    for (let attempt = 1; attempt <= 5; attempt++) await signIn(url, NOVAK, oneTimeCode(NOVAK), 'wrong');
    expect((await signIn(url, NOVAK)).status).toBe(423);
    const key = crypto.randomUUID();
    const first = (await (await query(url, rivera.token, key)).json()) as QueryAnswer;
    const asyncKey = crypto.randomUUID();
    expect((await query(url, rivera.token, asyncKey, PREFER_ASYNC)).status).toBe(202);
    const beforeKill = await readStream(url, rivera.token, undefined, (text) => (text.match(/event: complete/g) ?? []).length >= 1);
    const lastId = [...beforeKill.matchAll(/^id: (.+)$/gm)].at(-1)![1]!;
    const trail = auditChain(3);
    expect((await fetch(`${url}${authPaths.audit}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...bearer(rivera.token) }, body: JSON.stringify({ terminal: TERMINAL, records: trail.slice(0, 2) }) })).status).toBe(200);

    await switchProcess.kill();
    const again = await switchProcess.start();

    // The officer's session goes on; the signed-out one stays out; the lock and the used code hold.
    expect((await query(again, rivera.token, crypto.randomUUID())).status).toBe(200);
    expect((await query(again, chen.token, crypto.randomUUID())).status).toBe(401);
    expect((await signIn(again, OKAFOR, usedCode)).status).toBe(401);
    expect((await signIn(again, NOVAK)).status).toBe(423);
    // The resend gets the first answer, from the record; the query ran once.
    const resent = await query(again, rivera.token, key);
    expect(resent.headers.get('idempotent-replayed')).toBe('true');
    expect(((await resent.json()) as QueryAnswer).queryId).toBe(first.queryId);
    expect((await switchProcess.stats()).byKey[key]).toBe(1);
    // The stream resumes after the last event seen, no gap: nothing new to say, then the next query's parts.
    const resumed = readStream(again, rivera.token, lastId, (text) => text.includes('event: complete'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await query(again, rivera.token, crypto.randomUUID(), PREFER_ASYNC)).status).toBe(202);
    const afterKill = await resumed;
    expect(afterKill).not.toContain('event: gap');
    expect(afterKill).toContain('event: part');
    // The audit trail goes on from the record after the last one held.
    const receipt = await fetch(`${again}${authPaths.audit}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...bearer(rivera.token) }, body: JSON.stringify({ terminal: TERMINAL, records: trail.slice(2) }) });
    expect(await receipt.json()).toMatchObject({ kept: 1, seq: 3 });
  }, 60_000);
});
