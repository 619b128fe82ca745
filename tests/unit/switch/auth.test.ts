// Sign-in, lockout and sessions on the reference switch, over real HTTP, on a clock the tests move.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AuditRecord, auditTime, chainHash, GENESIS } from '../../../src-shared/audit-chain.ts';
import { AuthRefusal, authPaths, bearer, OfficerStatus, Session } from '../../../src-shared/auth.ts';
import { NORMAL_CONDITIONS } from '../../../src-shared/conditions.ts';
import { IDEMPOTENCY_HEADER, paths, PREFER_ASYNC } from '../../../src-shared/protocol.ts';
import { DRILL_OFFICERS, type DrillOfficer } from '../../../src-switch/drill-officers.ts';
import { MessageSwitch } from '../../../src-switch/server.ts';
import { oneTimeCode } from '../../support/sign-in.ts';

const [RIVERA, CHEN, OKAFOR, NOVAK, SALAS, WHITEHORSE] = DRILL_OFFICERS as [DrillOfficer, DrillOfficer, DrillOfficer, DrillOfficer, DrillOfficer, DrillOfficer];
const TERMINAL = 'terminal-auth-0001';
const OTHER_TERMINAL = 'terminal-auth-0002';
let clock = Date.parse('2026-11-23T08:00:00.000Z');
const key = Buffer.alloc(32, 7);
const messageSwitch = new MessageSwitch({ latencyScale: 0, now: () => new Date(clock), sessionKey: key });
let url: string;
let adminUrl: string;
beforeAll(async () => ({ url, adminUrl } = await messageSwitch.listen()));
afterAll(() => messageSwitch.close());
afterEach(() => messageSwitch.conditions.set(NORMAL_CONDITIONS));

interface SignInAnswer {
  status: number;
  body: Record<string, unknown>;
}

async function signIn(officer: DrillOfficer | { id: string; password: string; totpSecret: string }, overrides: Record<string, unknown> = {}, base = url): Promise<SignInAnswer> {
  const body = { officerId: officer.id, password: officer.password, code: oneTimeCode(officer as DrillOfficer, clock), terminal: TERMINAL, ...overrides };
  const response = await fetch(`${base}${authPaths.signIn}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function session(officer: DrillOfficer, terminal = TERMINAL): Promise<Session> {
  const answer = await signIn(officer, { terminal });
  expect(answer.status).toBe(200);
  return Session.parse(answer.body);
}

function plate(token: string | undefined, terminal = TERMINAL, base = url) {
  return fetch(`${base}${paths.queries}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', [IDEMPOTENCY_HEADER]: crypto.randomUUID(), Prefer: PREFER_ASYNC, ...(token ? bearer(token) : {}) },
    body: JSON.stringify({ query: { kind: 'plate', lic: '4TRN000', lis: 'CA' }, askedAt: new Date(clock).toISOString(), terminal }),
  });
}

/** The refusal a request met, or its status alone when it was not refused for its session. */
async function refusal(response: Response): Promise<AuthRefusal | number> {
  return response.status === 401 ? AuthRefusal.parse(await response.json()) : response.status;
}

const officers = async () => OfficerStatus.array().parse(await (await fetch(`${adminUrl}${authPaths.adminOfficers}`)).json());
const release = (id: string) => fetch(`${adminUrl}${authPaths.adminRelease(id)}`, { method: 'POST' });
const post = (path: string, token: string) => fetch(`${url}${path}`, { method: 'POST', headers: bearer(token) });
const wrong = { password: 'not-the-password' };
const SAME_MESSAGE = 'Officer ID, password or one-time code is wrong.';

describe('sign-in', () => {
  it('refuses the right password with a wrong code, and lets the officer in with both', async () => {
    const stale = await signIn(CHEN, { code: oneTimeCode(CHEN, clock - 5 * 60_000) });
    expect(stale).toEqual({ status: 401, body: { error: 'credentials', message: SAME_MESSAGE, attemptsLeft: 4 } });
    const ok = await signIn(CHEN);
    expect(ok.status).toBe(200);
    const signedIn = Session.parse(ok.body);
    expect(signedIn.officer).toEqual({ id: CHEN.id, name: CHEN.name, unit: CHEN.unit });
    expect(signedIn.signedInAt).toBe(new Date(clock).toISOString());
    expect(Date.parse(signedIn.expiresAt) - clock).toBe(12 * 3_600_000);
  });

  it('gives the same answer for a wrong password as for a wrong code', async () => {
    expect((await signIn(CHEN, wrong)).body).toEqual({ error: 'credentials', message: SAME_MESSAGE, attemptsLeft: 4 });
    await signIn(CHEN);
  });

  it('refuses a malformed sign-in with 400 naming what is wrong', async () => {
    const shortCode = await signIn(CHEN, { code: '12ab' });
    expect(shortCode).toMatchObject({ status: 400, body: { error: { code: 'invalid_sign_in', field: 'code', message: 'code: the one-time code is 6 digits' } } });
    const extra = await signIn(CHEN, { remember: true });
    expect(extra.status).toBe(400);
    expect(JSON.stringify(extra.body)).toContain('remember');
  });

  it('never locks an officer ID it does not know, nor says how many tries are left', async () => {
    const stranger = { id: 'NOBODY9', password: 'guess', totpSecret: CHEN.totpSecret };
    for (let attempt = 1; attempt <= 6; attempt++) expect(await signIn(stranger)).toEqual({ status: 401, body: { error: 'credentials', message: SAME_MESSAGE } });
    expect((await officers()).map((officer) => officer.id)).not.toContain('NOBODY9');
  });
});

describe('lockout (5 failures within 15 minutes)', () => {
  it('locks the account, refuses even the right credentials with 423, and ends the session and stream it had', async () => {
    const earlier = await session(NOVAK);
    const stream = (await fetch(`${url}${paths.events}?terminal=${TERMINAL}`, { headers: bearer(earlier.token) })).text();
    for (let attempt = 1; attempt <= 4; attempt++) {
      clock += 60_000;
      expect((await signIn(NOVAK, wrong)).body.attemptsLeft).toBe(5 - attempt);
    }
    clock += 60_000;
    const fifth = await signIn(NOVAK, wrong);
    const message = `Account ${NOVAK.id} is locked after 5 failed sign-ins. An administrator must release it.`;
    expect(fifth).toEqual({ status: 423, body: { error: 'locked', message } });
    expect(await signIn(NOVAK)).toEqual({ status: 423, body: { error: 'locked', message } });
    expect((await officers()).find((officer) => officer.id === NOVAK.id)).toEqual({ id: NOVAK.id, name: NOVAK.name, locked: true, lockedAt: new Date(clock).toISOString(), failures: 5 });
    expect(await refusal(await plate(earlier.token))).toEqual({ error: 'session', message: 'Sign in again: the account was locked' });
    await expect(stream).resolves.toContain('retry:');
  });

  it('opens again when an administrator releases it, but the session from before the lock stays ended', async () => {
    const before = await session(SALAS);
    for (let attempt = 1; attempt <= 5; attempt++) await signIn(SALAS, wrong);
    const released = await release(SALAS.id);
    expect(released.status).toBe(200);
    expect(OfficerStatus.parse(await released.json())).toEqual({ id: SALAS.id, name: SALAS.name, locked: false, failures: 0 });
    const after = await session(SALAS);
    expect((await plate(after.token)).status).toBe(202);
    expect((await plate(before.token)).status).toBe(401);
    expect((await post(authPaths.renew, before.token)).status).toBe(401);
    // A restarted switch has forgotten the lock, and must not take the new session for one from before it.
    const restarted = new MessageSwitch({ latencyScale: 0, now: () => new Date(clock), sessionKey: key });
    try {
      expect((await plate(after.token, TERMINAL, (await restarted.listen()).url)).status).toBe(202);
    } finally {
      await restarted.close();
    }
  });

  it('answers 404, naming the officer, for a release of an unknown one', async () => {
    const response = await release('NOBODY9');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'unknown_officer', message: expect.stringContaining('NOBODY9') } });
  });

  it('starts the count again after a success', async () => {
    for (let attempt = 1; attempt <= 4; attempt++) await signIn(RIVERA, wrong);
    expect((await signIn(RIVERA)).status).toBe(200);
    expect((await signIn(RIVERA, wrong)).body.attemptsLeft).toBe(4);
    expect((await signIn(RIVERA)).status).toBe(200);
  });

  it('does not count failures older than 15 minutes', async () => {
    for (let attempt = 1; attempt <= 4; attempt++) {
      await signIn(OKAFOR, wrong);
      clock += 4 * 60_000;
    }
    // The first failure is now 16 minutes old: this is the fourth within the window, not the fifth.
    expect(await signIn(OKAFOR, wrong)).toMatchObject({ status: 401, body: { attemptsLeft: 1 } });
    expect((await officers()).find((officer) => officer.id === OKAFOR.id)).toMatchObject({ locked: false, failures: 4 });
    expect((await signIn(OKAFOR)).status).toBe(200);
  });
});

describe('sessions', () => {
  it('renews to a fresh token with the same 12 hours; the old one lasts 30 s for requests in flight', async () => {
    const first = await session(WHITEHORSE);
    clock += 60 * 60_000;
    const renewed = await post(authPaths.renew, first.token);
    expect(renewed.status).toBe(200);
    const second = Session.parse(await renewed.json());
    expect(second.token).not.toBe(first.token);
    expect(second).toMatchObject({ signedInAt: first.signedInAt, expiresAt: first.expiresAt, officer: first.officer });
    expect((await plate(first.token)).status).toBe(202);
    clock += 31_000;
    expect(await refusal(await plate(first.token))).toMatchObject({ error: 'session', message: expect.stringContaining('ended') });
    expect((await plate(second.token)).status).toBe(202);
  });

  it('ends at sign-out', async () => {
    const signedIn = await session(WHITEHORSE);
    expect((await post(authPaths.signOut, signedIn.token)).status).toBe(204);
    expect(await refusal(await plate(signedIn.token))).toMatchObject({ error: 'session', message: expect.stringContaining('ended') });
    // Signing out again, after a lost reply, is not an error.
    expect((await post(authPaths.signOut, signedIn.token)).status).toBe(204);
  });

  it('ends 12 hours after the sign-in with the code, renewed or not', async () => {
    const signedIn = await session(WHITEHORSE);
    clock += 11 * 3_600_000;
    const renewed = Session.parse(await (await post(authPaths.renew, signedIn.token)).json());
    clock += 3_600_000;
    expect(await refusal(await plate(renewed.token))).toEqual({ error: 'session', message: 'Sign in again: the 12-hour session has expired' });
    expect((await post(authPaths.renew, renewed.token)).status).toBe(401);
  });

  it('survives a restart of the switch with the same key, and no other switch accepts it', async () => {
    const signedIn = await session(WHITEHORSE);
    const restarted = new MessageSwitch({ latencyScale: 0, now: () => new Date(clock), sessionKey: key });
    const stranger = new MessageSwitch({ latencyScale: 0, now: () => new Date(clock) });
    const [again, other] = [await restarted.listen(), await stranger.listen()];
    try {
      expect((await plate(signedIn.token, TERMINAL, again.url)).status).toBe(202);
      expect(await refusal(await plate(signedIn.token, TERMINAL, other.url))).toMatchObject({ message: expect.stringContaining('not one this switch issued') });
    } finally {
      await Promise.all([restarted.close(), stranger.close()]);
    }
  });

  it('serves only the terminal it signed in from: its query, stream, poll and audit upload', async () => {
    const { token } = await session(WHITEHORSE, TERMINAL);
    const another = { error: 'session', message: 'This session belongs to another terminal' };
    expect(await refusal(await plate(token, OTHER_TERMINAL))).toEqual(another);
    expect(await refusal(await fetch(`${url}${paths.events}?terminal=${OTHER_TERMINAL}`, { headers: bearer(token) }))).toEqual(another);
    expect(await refusal(await fetch(`${url}${paths.query(crypto.randomUUID())}?terminal=${OTHER_TERMINAL}`, { headers: bearer(token) }))).toEqual(another);
    const record = { seq: 1, at: auditTime(new Date(clock)), officer: WHITEHORSE.id, terminal: OTHER_TERMINAL, action: 'session.signin', subject: '', outcome: 'ok' };
    const upload = { terminal: OTHER_TERMINAL, records: [{ ...record, prev: GENESIS, hash: chainHash(GENESIS, record) } satisfies AuditRecord] };
    const audit = await fetch(`${url}${authPaths.audit}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...bearer(token) }, body: JSON.stringify(upload) });
    expect(await refusal(audit)).toEqual(another);
    expect((await plate(token, TERMINAL)).status).toBe(202);
  });

  it('ends the event stream it opened when the officer signs out', async () => {
    const { token } = await session(WHITEHORSE);
    const stream = await fetch(`${url}${paths.events}?terminal=${TERMINAL}`, { headers: bearer(token) });
    expect(stream.status).toBe(200);
    const read = stream.text();
    await post(authPaths.signOut, token);
    await expect(read).resolves.toContain('retry:');
  });
});

describe('the session check', () => {
  const query = JSON.stringify({ query: { kind: 'plate', lic: '4TRN000', lis: 'CA' }, askedAt: '2026-11-23T10:00:00.000Z', terminal: TERMINAL });
  const json = { 'Content-Type': 'application/json', [IDEMPOTENCY_HEADER]: crypto.randomUUID() };
  const CJI: Array<[string, string, string, string?]> = [
    ['POST', paths.queries, 'a query', query],
    ['GET', paths.query(crypto.randomUUID()), 'a poll'],
    ['GET', `${paths.events}?terminal=${TERMINAL}`, 'the event stream'],
    ['POST', paths.confirmations, 'a confirmation request', JSON.stringify({ queryId: crypto.randomUUID(), priority: 'urgent', terminal: TERMINAL })],
    ['GET', '/v1/hotlist', 'the hotlist'],
    ['GET', '/v1/hotlist?since=3f9a2c1d.4', 'a hotlist delta'],
    ['GET', '/v1/%68otlist', 'the hotlist by a percent-encoded path'],
    ['POST', authPaths.audit, 'an audit upload', JSON.stringify({ terminal: TERMINAL, records: [] })],
  ];

  it.each(CJI)('refuses %s %s (%s) without a token, saying so', async (method, path, _what, body) => {
    const response = await fetch(`${url}${path}`, { method, ...(body ? { headers: json, body } : {}) });
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await refusal(response)).toEqual({ error: 'session', message: 'Sign in again: no session token was sent' });
  });

  it('names a malformed token as such', async () => {
    const response = await fetch(`${url}/v1/hotlist`, { headers: bearer('not-a-token') });
    expect(await refusal(response)).toEqual({ error: 'session', message: 'Sign in again: the session token is malformed' });
  });

  it('leaves health, the OpenAPI document and sign-out open', async () => {
    expect((await fetch(`${url}${paths.health}`)).status).toBe(200);
    const document = (await (await fetch(`${url}${paths.openapi}`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining([authPaths.signIn, authPaths.renew, authPaths.signOut, authPaths.audit, authPaths.adminOfficers, authPaths.adminAudit]));
    expect((await fetch(`${url}${authPaths.signOut}`, { method: 'POST' })).status).toBe(204);
  });

  it('lets a browser send the Authorization header, and read a refusal (CORS)', async () => {
    const origin = 'http://127.0.0.1:5173';
    const preflight = await fetch(`${url}${paths.queries}`, {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type,idempotency-key' },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    const refused = await fetch(`${url}/v1/hotlist`, { headers: { Origin: origin } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe(origin);
  });
});

describe('sign-in over a failing link', () => {
  const failure = (promise: Promise<unknown>) => promise.then(() => 'answered', (error: Error) => (error.cause as { code?: string })?.code ?? error.name);

  it('meets the drill conditions like any request: 503s, a black hole, an outage', async () => {
    await messageSwitch.conditions.set({ ...NORMAL_CONDITIONS, serverErrorPercent: 100 });
    expect((await signIn(RIVERA)).status).toBe(503);
    await messageSwitch.conditions.set({ ...NORMAL_CONDITIONS, blackHole: true });
    const body = JSON.stringify({ officerId: RIVERA.id, password: RIVERA.password, code: oneTimeCode(RIVERA, clock), terminal: TERMINAL });
    const held = fetch(`${url}${authPaths.signIn}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body, signal: AbortSignal.timeout(300) });
    expect(await failure(held)).toBe('TimeoutError');
    await messageSwitch.conditions.set({ ...NORMAL_CONDITIONS, outage: true });
    // A kept-alive connection the outage cut fails first; a new one is refused.
    await failure(signIn(RIVERA));
    expect(await failure(signIn(RIVERA))).toBe('ECONNREFUSED');
  });
});
