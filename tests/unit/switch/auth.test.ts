// Sign-in, lockout and sessions on the reference switch, over real HTTP, on a clock the tests move.
import { request as httpRequest } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AuditRecord, auditTime, chainHash, GENESIS } from '../../../src-shared/audit-chain.ts';
import { AuthRefusal, authPaths, bearer, OfficerStatus, Session } from '../../../src-shared/auth.ts';
import { NORMAL_CONDITIONS } from '../../../src-shared/conditions.ts';
import { IDEMPOTENCY_HEADER, paths, PREFER_ASYNC } from '../../../src-shared/protocol.ts';
import { DRILL_OFFICERS, type DrillOfficer } from '../../../src-switch/auth/drill-officers.ts';
import { MessageSwitch } from '../../../src-switch/server.ts';
import { adminFetch } from '../../support/admin-fetch.ts';
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
// Each test starts with this address's failures out of the 15-minute window, so the address throttle counts only its own.
afterEach(async () => {
  clock += 16 * 60_000;
  await messageSwitch.conditions.set(NORMAL_CONDITIONS);
});

interface SignInAnswer {
  status: number;
  body: Record<string, unknown>;
}

async function signIn(officer: DrillOfficer | { id: string; password: string; totpSecret: string }, overrides: Record<string, unknown> = {}, base = url): Promise<SignInAnswer> {
  const body = { officerId: officer.id, password: officer.password, code: oneTimeCode(officer as DrillOfficer, clock), terminal: TERMINAL, ...overrides };
  const response = await fetch(`${base}${authPaths.signIn}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A successful sign-in, on the next 30 s step: a switch takes each one-time code once. */
/** A sign-in sent from another loopback address, as another car would be; resolves with the status. */
function signInFrom(localAddress: string, officer: DrillOfficer): Promise<number> {
  clock += 30_000;
  const body = JSON.stringify({ officerId: officer.id, password: officer.password, code: oneTimeCode(officer, clock), terminal: OTHER_TERMINAL });
  return new Promise((resolve, reject) => {
    const target = new URL(`${url}${authPaths.signIn}`);
    const sent = httpRequest({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', localAddress, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    sent.once('error', reject);
    sent.end(body);
  });
}

async function session(officer: DrillOfficer, terminal = TERMINAL): Promise<Session> {
  clock += 30_000;
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

const officers = async () => OfficerStatus.array().parse(await (await adminFetch(messageSwitch, `${adminUrl}${authPaths.adminOfficers}`)).json());
const release = (id: string) => adminFetch(messageSwitch, `${adminUrl}${authPaths.adminRelease(id)}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
const securityEvents = async () => (await (await adminFetch(messageSwitch, `${adminUrl}${authPaths.adminSecurityEvents}`)).json()) as Array<{ kind: string; officer?: string; terminal?: string; message: string }>;
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

  it('answers an officer ID it does not know exactly as a known one: the same bodies, counted and locked alike', async () => {
    const stranger = { id: 'NOBODY9', password: 'guess', totpSecret: CHEN.totpSecret };
    for (let attempt = 1; attempt <= 4; attempt++) {
      const [known, unknown] = [await signIn(WHITEHORSE, wrong), await signIn(stranger)];
      expect(unknown).toEqual(known);
      expect(unknown).toEqual({ status: 401, body: { error: 'credentials', message: SAME_MESSAGE, attemptsLeft: 5 - attempt } });
    }
    expect(await signIn(stranger)).toEqual({ status: 423, body: { error: 'locked', message: `Account NOBODY9 is locked after 5 failed sign-ins. An administrator must release it.` } });
    expect((await officers()).map((officer) => officer.id)).not.toContain('NOBODY9');
    expect((await release(WHITEHORSE.id)).status).toBe(200);
  });

  it('takes each one-time code once: the same code again is refused like a wrong one, and counts', async () => {
    clock += 30_000;
    expect((await signIn(CHEN)).status).toBe(200);
    // The same code, on another terminal, within its 30 s: a replay (RFC 6238 section 5.2).
    expect(await signIn(CHEN, { terminal: OTHER_TERMINAL })).toEqual({ status: 401, body: { error: 'credentials', message: SAME_MESSAGE, attemptsLeft: 4 } });
    // The code of an earlier step, still inside the switch's window, is older than the one used: refused too.
    expect((await signIn(CHEN, { code: oneTimeCode(CHEN, clock - 30_000), terminal: OTHER_TERMINAL })).status).toBe(401);
    // The next step's code is new.
    expect((await signIn(CHEN, { code: oneTimeCode(CHEN, clock + 30_000), terminal: OTHER_TERMINAL })).status).toBe(200);
  });

  it('stops one address failing against officer after officer (429), leaving the officers unlocked and free to sign in elsewhere', async () => {
    for (const officer of [RIVERA, CHEN, OKAFOR]) expect((await signIn(officer, wrong)).status).toBe(401);
    const refused = await fetch(`${url}${authPaths.signIn}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ officerId: NOVAK.id, password: 'guess', code: '123456', terminal: TERMINAL }),
    });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
    expect(AuthRefusal.parse(await refused.json())).toEqual({ error: 'throttled', message: "Too many failed sign-ins from this terminal's address. Try again in 15 minutes, or ask an administrator." });
    // Refused before it was checked: Novak's count is untouched, and an officer already tried may still try.
    expect((await officers()).find((officer) => officer.id === NOVAK.id)).toMatchObject({ failures: 0, locked: false });
    expect((await session(RIVERA)).officer.id).toBe(RIVERA.id);
    // Novak signs in from another car (another loopback address), untroubled.
    expect(await signInFrom('127.0.0.2', NOVAK)).toBe(200);
    expect(await securityEvents()).toContainEqual(expect.objectContaining({ kind: 'address_throttled', message: expect.stringContaining('127.0.0.1') }));
  });
});

describe('lockout (5 failures within 15 minutes)', () => {
  it('locks the account and refuses even the right credentials with 423, leaving the session and stream already open (AC-7)', async () => {
    const earlier = await session(NOVAK);
    const stream = await fetch(`${url}${paths.events}`, { headers: bearer(earlier.token) });
    for (let attempt = 1; attempt <= 4; attempt++) {
      clock += 60_000;
      expect((await signIn(NOVAK, wrong)).body.attemptsLeft).toBe(5 - attempt);
    }
    clock += 60_000;
    const fifth = await signIn(NOVAK, wrong);
    const message = `Account ${NOVAK.id} is locked after 5 failed sign-ins. An administrator must release it.`;
    expect(fifth).toEqual({ status: 423, body: { error: 'locked', message } });
    clock += 30_000;
    expect(await signIn(NOVAK)).toEqual({ status: 423, body: { error: 'locked', message } });
    expect((await officers()).find((officer) => officer.id === NOVAK.id)).toEqual({ id: NOVAK.id, name: NOVAK.name, locked: true, lockedAt: new Date(clock - 30_000).toISOString(), failures: 5 });
    // Five bad tries by someone else do not end the officer's shift: the session still runs queries, the stream still delivers.
    expect((await plate(earlier.token)).status).toBe(202);
    const reader = stream.body!.getReader();
    let received = '';
    while (!received.includes('event: part')) received += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(await securityEvents()).toContainEqual(expect.objectContaining({ kind: 'account_locked', officer: NOVAK.id }));
    expect((await release(NOVAK.id)).status).toBe(200);
  });

  it('opens again when an administrator releases it', async () => {
    for (let attempt = 1; attempt <= 5; attempt++) await signIn(SALAS, wrong);
    expect((await signIn(SALAS)).status).toBe(423);
    const released = await release(SALAS.id);
    expect(released.status).toBe(200);
    expect(OfficerStatus.parse(await released.json())).toEqual({ id: SALAS.id, name: SALAS.name, locked: false, failures: 0 });
    const after = await session(SALAS);
    expect((await plate(after.token)).status).toBe(202);
    expect(await securityEvents()).toContainEqual(expect.objectContaining({ kind: 'account_released', officer: SALAS.id }));
  });

  it('answers 404, naming the officer, for a release of an unknown one', async () => {
    const response = await release('NOBODY9');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'unknown_officer', message: expect.stringContaining('NOBODY9') } });
  });

  it('starts the count again after a success', async () => {
    for (let attempt = 1; attempt <= 4; attempt++) await signIn(RIVERA, wrong);
    await session(RIVERA);
    expect((await signIn(RIVERA, wrong)).body.attemptsLeft).toBe(4);
    await session(RIVERA);
  });

  it('does not count failures older than 15 minutes', async () => {
    for (let attempt = 1; attempt <= 4; attempt++) {
      await signIn(OKAFOR, wrong);
      clock += 4 * 60_000;
    }
    // The first failure is now 16 minutes old: this is the fourth within the window, not the fifth.
    expect(await signIn(OKAFOR, wrong)).toMatchObject({ status: 401, body: { attemptsLeft: 1 } });
    expect((await officers()).find((officer) => officer.id === OKAFOR.id)).toMatchObject({ locked: false, failures: 4 });
    await session(OKAFOR);
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
    expect((await plate(second.token)).status).toBe(202);
  });

  it('ends the whole session when a replaced token is used after its 30 s grace: a copied token, audited', async () => {
    const first = await session(WHITEHORSE);
    const second = Session.parse(await (await post(authPaths.renew, first.token)).json());
    clock += 31_000;
    expect(await refusal(await plate(first.token))).toEqual({ error: 'session', message: 'Sign in again: a replaced session token was used again, so the session was ended' });
    // Whoever holds the newer token, the officer or a thief, is out too: only a sign-in with the code starts again.
    expect(await refusal(await plate(second.token))).toMatchObject({ error: 'session', message: expect.stringContaining('ended') });
    expect((await post(authPaths.renew, second.token)).status).toBe(401);
    expect(await securityEvents()).toContainEqual(expect.objectContaining({ kind: 'token_replayed', officer: WHITEHORSE.id, terminal: TERMINAL }));
  });

  it('ends at sign-out, with every token renewed from the same sign-in', async () => {
    const signedIn = await session(WHITEHORSE);
    const renewed = Session.parse(await (await post(authPaths.renew, signedIn.token)).json());
    expect((await post(authPaths.signOut, renewed.token)).status).toBe(204);
    expect(await refusal(await plate(renewed.token))).toMatchObject({ error: 'session', message: expect.stringContaining('ended') });
    // The token it replaced, still in its grace, ends with it and renews no more.
    expect(await refusal(await plate(signedIn.token))).toMatchObject({ error: 'session', message: expect.stringContaining('ended') });
    clock += 60_000;
    expect((await post(authPaths.renew, signedIn.token)).status).toBe(401);
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

  it('serves only the terminal it signed in from, whether the other is named in the URL or the body', async () => {
    const { token } = await session(WHITEHORSE, TERMINAL);
    const another = { error: 'session', message: 'This session belongs to another terminal' };
    expect(await refusal(await plate(token, OTHER_TERMINAL))).toEqual(another);
    expect(await refusal(await fetch(`${url}${paths.events}?terminal=${OTHER_TERMINAL}`, { headers: bearer(token) }))).toEqual(another);
    expect(await refusal(await fetch(`${url}${paths.query(crypto.randomUUID())}?terminal=${OTHER_TERMINAL}`, { headers: bearer(token) }))).toEqual(another);
    const record = { seq: 1, at: auditTime(new Date(clock)), officer: WHITEHORSE.id, terminal: OTHER_TERMINAL, action: 'session.signin', subject: '', outcome: 'ok' };
    const upload = { terminal: OTHER_TERMINAL, records: [{ ...record, prev: GENESIS, hash: chainHash(GENESIS, record) } satisfies AuditRecord] };
    const json = { 'Content-Type': 'application/json', ...bearer(token) };
    expect(await refusal(await fetch(`${url}${authPaths.audit}`, { method: 'POST', headers: json, body: JSON.stringify(upload) }))).toEqual(another);
    // The URL names the session's own terminal, the body another: refused all the same.
    expect(await refusal(await fetch(`${url}${authPaths.audit}?terminal=${TERMINAL}`, { method: 'POST', headers: json, body: JSON.stringify(upload) }))).toEqual(another);
    const query = { query: { kind: 'plate', lic: '4TRN000', lis: 'CA' }, askedAt: new Date(clock).toISOString(), terminal: OTHER_TERMINAL };
    const asks = { ...json, [IDEMPOTENCY_HEADER]: crypto.randomUUID(), Prefer: PREFER_ASYNC };
    expect(await refusal(await fetch(`${url}${paths.queries}?terminal=${TERMINAL}`, { method: 'POST', headers: asks, body: JSON.stringify(query) }))).toEqual(another);
    const confirmation = { queryId: crypto.randomUUID(), priority: 'urgent', terminal: OTHER_TERMINAL };
    const confirm = await fetch(`${url}${paths.confirmations}?terminal=${TERMINAL}`, { method: 'POST', headers: { ...json, [IDEMPOTENCY_HEADER]: crypto.randomUUID() }, body: JSON.stringify(confirmation) });
    expect(await refusal(confirm)).toEqual(another);
    expect((await plate(token, TERMINAL)).status).toBe(202);
  });

  it("answers 404 to a poll of another terminal's query, with or without ?terminal=, synchronous runs included", async () => {
    const mine = await session(WHITEHORSE, TERMINAL);
    const theirs = await session(CHEN, OTHER_TERMINAL);
    const key = crypto.randomUUID();
    const body = JSON.stringify({ query: { kind: 'person', nam: 'TRAINING, ARMED', dob: '1980-01-01', sex: 'M' }, askedAt: new Date(clock).toISOString() });
    const ran = await fetch(`${url}${paths.queries}`, { method: 'POST', headers: { 'Content-Type': 'application/json', [IDEMPOTENCY_HEADER]: key, ...bearer(mine.token) }, body });
    expect(ran.status).toBe(200);
    for (const suffix of ['', `?terminal=${OTHER_TERMINAL}`]) {
      const poll = await fetch(`${url}${paths.query(key)}${suffix}`, { headers: bearer(theirs.token) });
      expect(poll.status).toBe(404);
      expect(JSON.stringify(await poll.json())).not.toContain('ARMED');
    }
    // The same key and query sent from the other terminal is refused, not answered from the first run's record.
    const replay = await fetch(`${url}${paths.queries}`, { method: 'POST', headers: { 'Content-Type': 'application/json', [IDEMPOTENCY_HEADER]: key, ...bearer(theirs.token) }, body });
    expect(replay.status).toBe(422);
    expect(JSON.stringify(await replay.json())).not.toContain('ARMED');
    expect((await fetch(`${url}${paths.query(key)}`, { headers: bearer(mine.token) })).status).toBe(200);
  });

  it('ends the event stream it opened when the officer signs out', async () => {
    const { token } = await session(WHITEHORSE);
    const stream = await fetch(`${url}${paths.events}`, { headers: bearer(token) });
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
    clock += 30_000;
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
