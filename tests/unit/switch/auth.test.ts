// Sign-in, lockout, sessions and audit keeping on the reference switch, over real HTTP.
import { TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditRecord, auditTime, chainHash, GENESIS } from '../../../src-shared/audit-chain.ts';
import { authPaths, bearer, type Session } from '../../../src-shared/auth.ts';
import { IDEMPOTENCY_HEADER, paths, PREFER_ASYNC } from '../../../src-shared/protocol.ts';
import { DRILL_OFFICERS, type DrillOfficer } from '../../../src-switch/drill-officers.ts';
import { MessageSwitch } from '../../../src-switch/server.ts';

const [RIVERA, CHEN, , NOVAK] = DRILL_OFFICERS as [DrillOfficer, DrillOfficer, DrillOfficer, DrillOfficer];
const TERMINAL = 'terminal-auth-0001';
let clock = Date.now();
const key = Buffer.alloc(32, 7);
const messageSwitch = new MessageSwitch({ latencyScale: 0, now: () => new Date(clock), sessionKey: key });
let url: string;
let adminUrl: string;
beforeAll(async () => ({ url, adminUrl } = await messageSwitch.listen()));
afterAll(() => messageSwitch.close());

const code = (officer: DrillOfficer, at = clock) => new TOTP({ secret: officer.totpSecret, algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: at });

async function signIn(officer: DrillOfficer, overrides: Partial<{ password: string; code: string; terminal: string }> = {}, base = url) {
  const body = { officerId: officer.id, password: officer.password, code: code(officer), terminal: TERMINAL, ...overrides };
  const response = await fetch(`${base}${authPaths.signIn}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Session & { error?: string; message?: string; attemptsLeft?: number } };
}

function plate(token: string | undefined, terminal = TERMINAL, base = url) {
  return fetch(`${base}${paths.queries}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', [IDEMPOTENCY_HEADER]: crypto.randomUUID(), Prefer: PREFER_ASYNC, ...(token ? bearer(token) : {}) },
    body: JSON.stringify({ query: { kind: 'plate', lic: '4TRN000', lis: 'CA' }, askedAt: new Date(clock).toISOString(), terminal }),
  });
}

describe('sign-in', () => {
  it('needs the one-time code as well as the password', async () => {
    const wrongCode = await signIn(CHEN, { code: code(CHEN, clock - 5 * 60_000) });
    expect(wrongCode).toMatchObject({ status: 401, body: { error: 'credentials', attemptsLeft: 4 } });
    const ok = await signIn(CHEN);
    expect(ok.status).toBe(200);
    expect(ok.body.officer).toEqual({ id: CHEN.id, name: CHEN.name, unit: CHEN.unit });
    expect(Date.parse(ok.body.expiresAt) - Date.parse(ok.body.signedInAt)).toBe(12 * 3_600_000);
  });

  it('refuses a malformed request with a specific message', async () => {
    const bad = await signIn(CHEN, { code: '12ab' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('6 digits');
  });

  it('locks after 5 failures within 15 minutes, refuses even the right credentials, and opens on release', async () => {
    for (let attempt = 1; attempt <= 4; attempt++) expect((await signIn(NOVAK, { password: 'wrong' })).status).toBe(401);
    expect((await signIn(NOVAK, { password: 'wrong' })).status).toBe(423);
    const locked = await signIn(NOVAK);
    expect(locked).toMatchObject({ status: 423, body: { error: 'locked' } });
    expect(locked.body.message).toContain('administrator');
    const officers = (await (await fetch(`${adminUrl}${authPaths.adminOfficers}`)).json()) as Array<{ id: string; locked: boolean }>;
    expect(officers.find((officer) => officer.id === NOVAK.id)?.locked).toBe(true);
    expect((await fetch(`${adminUrl}${authPaths.adminRelease(NOVAK.id)}`, { method: 'POST' })).status).toBe(200);
    expect((await signIn(NOVAK)).status).toBe(200);
    expect((await fetch(`${adminUrl}${authPaths.adminRelease('NOBODY1')}`, { method: 'POST' })).status).toBe(404);
  });

  it('does not count failures older than 15 minutes, and a success starts the count again', async () => {
    for (let attempt = 1; attempt <= 4; attempt++) await signIn(RIVERA, { password: 'wrong' });
    clock += 16 * 60_000;
    expect((await signIn(RIVERA, { password: 'wrong' })).body.attemptsLeft).toBe(4);
    await signIn(RIVERA);
    expect((await signIn(RIVERA, { password: 'wrong' })).body.attemptsLeft).toBe(4);
    await signIn(RIVERA);
  });
});

describe('sessions', () => {
  it('are required on CJI endpoints, bound to their terminal, renewed within the 12 hours, ended by sign-out', async () => {
    expect((await plate(undefined)).status).toBe(401);
    expect((await fetch(`${url}${paths.events}?terminal=${TERMINAL}`)).status).toBe(401);
    expect((await fetch(`${url}/v1/hotlist`)).status).toBe(401);
    const { body: session } = await signIn(RIVERA);
    expect((await plate(session.token)).status).toBe(202);
    expect((await plate(session.token, 'terminal-other-0002')).status).toBe(401);

    const renewed = (await (await fetch(`${url}${authPaths.renew}`, { method: 'POST', headers: bearer(session.token) })).json()) as Session;
    expect(renewed.expiresAt).toBe(session.expiresAt);
    // Requests already on their way with the old token still go through for a moment, then it is ended.
    expect((await plate(session.token)).status).toBe(202);
    clock += 31_000;
    expect((await plate(session.token)).status).toBe(401);
    expect((await plate(renewed.token)).status).toBe(202);

    expect((await fetch(`${url}${authPaths.signOut}`, { method: 'POST', headers: bearer(renewed.token) })).status).toBe(204);
    expect((await plate(renewed.token)).status).toBe(401);
  });

  it('end 12 hours after the sign-in with the code, and survive a restart with the same key only', async () => {
    const { body: session } = await signIn(RIVERA);
    const again = new MessageSwitch({ latencyScale: 0, now: () => new Date(clock), sessionKey: key });
    const other = new MessageSwitch({ latencyScale: 0, now: () => new Date(clock) });
    const [a, b] = [await again.listen(), await other.listen()];
    try {
      expect((await plate(session.token, TERMINAL, a.url)).status).toBe(202);
      expect((await plate(session.token, TERMINAL, b.url)).status).toBe(401);
    } finally {
      await Promise.all([again.close(), other.close()]);
    }
    clock += 12 * 3_600_000;
    const expired = await plate(session.token);
    expect(expired.status).toBe(401);
    expect(await expired.text()).toContain('expired');
  });

  it('lets a browser send the Authorization header (CORS preflight)', async () => {
    const preflight = await fetch(`${url}${paths.queries}`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://127.0.0.1:5173', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
    });
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
  });
});

describe('audit keeping', () => {
  function chain(count: number, name = 'q', prev = GENESIS, from = 1): AuditRecord[] {
    const records: AuditRecord[] = [];
    for (let seq = from; seq < from + count; seq++) {
      const content = { at: auditTime(new Date(clock)), officer: RIVERA.id, terminal: TERMINAL, action: 'query.enqueued', subject: `${name}-${seq}`, outcome: 'queued plate query, routine' };
      const hash = chainHash(prev, content);
      records.push({ seq, ...content, prev, hash });
      prev = hash;
    }
    return records;
  }
  const upload = async (token: string, records: AuditRecord[]) =>
    fetch(`${url}${authPaths.audit}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...bearer(token) }, body: JSON.stringify({ terminal: TERMINAL, records }) });

  it('keeps a whole chain once, refuses a changed or missing record naming it, and counts a restarted chain', async () => {
    const { body: session } = await signIn(RIVERA);
    const records = chain(5);
    expect(await (await upload(session.token, records.slice(0, 3))).json()).toMatchObject({ kept: 3, seq: 3 });
    expect(await (await upload(session.token, records.slice(0, 3))).json()).toMatchObject({ kept: 0, seq: 3 });
    const changed = { ...records[3]!, outcome: 'nothing happened' };
    const refusedChange = await upload(session.token, [changed]);
    expect(refusedChange.status).toBe(409);
    expect(await refusedChange.text()).toContain('record 4');
    const refusedGap = await upload(session.token, [records[4]!]);
    expect(refusedGap.status).toBe(409);
    expect(await refusedGap.text()).toContain('record 5');
    expect((await upload(session.token, records.slice(3))).status).toBe(200);
    // The terminal's database was reset: its chain starts again from GENESIS, kept as a new segment.
    expect((await upload(session.token, chain(2, 'after-reset'))).status).toBe(200);
    const kept = (await (await fetch(`${adminUrl}${authPaths.adminAudit}?terminal=${TERMINAL}`)).json()) as { records: AuditRecord[]; segments: number };
    expect(kept.records.map((record) => record.seq)).toEqual([1, 2, 3, 4, 5, 1, 2]);
    expect(kept.segments).toBe(2);
  });
});
