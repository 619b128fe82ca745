// Bad input stays a 4xx: malformed requests to every route and header, with and without a session, on the
// protocol port and the admin port, are each refused with a JSON body, and the switch keeps serving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authPaths, bearer } from '../../../src-shared/auth.ts';
import { drillPaths } from '../../../src-shared/drill.ts';
import { hotlistPaths } from '../../../src-shared/hotlist.ts';
import { IDEMPOTENCY_HEADER, paths } from '../../../src-shared/protocol.ts';
import { MessageSwitch } from '../../../src-switch/server.ts';
import { signInAt } from '../../support/switch-session.ts';

const TERMINAL = 'terminal-fuzz-0001';
const messageSwitch = new MessageSwitch({ latencyScale: 0 });
let url: string;
let adminUrl: string;
let session: Record<string, string>;
let admin: Record<string, string>;
beforeAll(async () => {
  ({ url, adminUrl } = await messageSwitch.listen());
  session = bearer((await signInAt(url, TERMINAL)).token);
  admin = { Authorization: `Bearer ${messageSwitch.adminToken}` };
});
afterAll(() => messageSwitch.close());

type Case = [what: string, port: 'protocol' | 'admin', method: string, path: string, headers: Record<string, string>, body?: string];

const JSON_TYPE = { 'Content-Type': 'application/json' };
const key = () => ({ [IDEMPOTENCY_HEADER]: crypto.randomUUID() });
const plate = JSON.stringify({ query: { kind: 'plate', lic: '4TRN000', lis: 'CA' }, askedAt: '2026-11-23T10:00:00.000Z' });

/** Built once the session and admin token exist. */
function cases(): Case[] {
  const cji = { ...JSON_TYPE, ...session };
  return [
    ['sign-in: not JSON', 'protocol', 'POST', authPaths.signIn, JSON_TYPE, '{officer'],
    ['sign-in: empty body', 'protocol', 'POST', authPaths.signIn, JSON_TYPE, ''],
    ['sign-in: an array', 'protocol', 'POST', authPaths.signIn, JSON_TYPE, '[]'],
    ['sign-in: null', 'protocol', 'POST', authPaths.signIn, JSON_TYPE, 'null'],
    ['sign-in: text/plain', 'protocol', 'POST', authPaths.signIn, { 'Content-Type': 'text/plain' }, 'hello'],
    ['sign-in: numbers for strings', 'protocol', 'POST', authPaths.signIn, JSON_TYPE, JSON.stringify({ officerId: 101, password: 1, code: 123456, terminal: 7 })],
    ['sign-in: lower-case ID', 'protocol', 'POST', authPaths.signIn, JSON_TYPE, JSON.stringify({ officerId: 'trn101', password: 'x', code: '123456', terminal: TERMINAL })],
    ['sign-in: a code of letters', 'protocol', 'POST', authPaths.signIn, JSON_TYPE, JSON.stringify({ officerId: 'TRN101', password: 'x', code: 'abcdef', terminal: TERMINAL })],
    ['sign-in: an extra field', 'protocol', 'POST', authPaths.signIn, JSON_TYPE, JSON.stringify({ officerId: 'TRN101', password: 'x', code: '123456', terminal: TERMINAL, admin: true })],
    ['sign-in: a terminal too short', 'protocol', 'POST', authPaths.signIn, JSON_TYPE, JSON.stringify({ officerId: 'TRN101', password: 'x', code: '123456', terminal: 'x' })],
    ['sign-in: 20 KiB', 'protocol', 'POST', authPaths.signIn, JSON_TYPE, JSON.stringify({ officerId: 'TRN101', password: 'x'.repeat(20_000), code: '123456', terminal: TERMINAL })],
    ['renew: no token', 'protocol', 'POST', authPaths.renew, {}],
    ['renew: Basic, not Bearer', 'protocol', 'POST', authPaths.renew, { Authorization: 'Basic dXNlcjpwYXNz' }],
    ['renew: Bearer and nothing', 'protocol', 'POST', authPaths.renew, { Authorization: 'Bearer ' }],
    ['renew: three parts', 'protocol', 'POST', authPaths.renew, { Authorization: 'Bearer a.b.c' }],
    ['renew: a payload that is not JSON', 'protocol', 'POST', authPaths.renew, { Authorization: `Bearer ${Buffer.from('{').toString('base64url')}.xyz` }],
    ['query: no Idempotency-Key', 'protocol', 'POST', paths.queries, cji, plate],
    ['query: a key of spaces', 'protocol', 'POST', paths.queries, { ...cji, [IDEMPOTENCY_HEADER]: '   ' }, plate],
    ['query: a key too long', 'protocol', 'POST', paths.queries, { ...cji, [IDEMPOTENCY_HEADER]: 'k'.repeat(200) }, plate],
    ['query: not JSON', 'protocol', 'POST', paths.queries, { ...cji, ...key() }, '{"query":'],
    ['query: text/plain', 'protocol', 'POST', paths.queries, { ...session, 'Content-Type': 'text/plain', ...key() }, plate],
    ['query: form encoded', 'protocol', 'POST', paths.queries, { ...session, 'Content-Type': 'application/x-www-form-urlencoded', ...key() }, 'a=1'],
    ['query: unknown kind', 'protocol', 'POST', paths.queries, { ...cji, ...key() }, JSON.stringify({ query: { kind: 'satellite' }, askedAt: '2026-11-23T10:00:00.000Z' })],
    ['query: plate with a hyphen', 'protocol', 'POST', paths.queries, { ...cji, ...key() }, JSON.stringify({ query: { kind: 'plate', lic: '4TRN-00', lis: 'CA' }, askedAt: '2026-11-23T10:00:00.000Z' })],
    ['query: a terminal that is a number', 'protocol', 'POST', paths.queries, { ...cji, ...key() }, JSON.stringify({ query: { kind: 'plate', lic: '4TRN000', lis: 'CA' }, askedAt: '2026-11-23T10:00:00.000Z', terminal: 42 })],
    ['query: another terminal in the body', 'protocol', 'POST', paths.queries, { ...cji, ...key() }, JSON.stringify({ query: { kind: 'plate', lic: '4TRN000', lis: 'CA' }, askedAt: '2026-11-23T10:00:00.000Z', terminal: 'terminal-else-0001' })],
    ['query: another terminal in the URL', 'protocol', 'POST', `${paths.queries}?terminal=terminal-else-0001`, { ...cji, ...key() }, plate],
    ['query: 17 KiB', 'protocol', 'POST', paths.queries, { ...cji, ...key() }, JSON.stringify({ pad: 'x'.repeat(17 * 1024) })],
    ['query: a foreign token', 'protocol', 'POST', paths.queries, { ...JSON_TYPE, ...key(), Authorization: 'Bearer eyJ9.abc' }, plate],
    ['poll: an unknown key', 'protocol', 'GET', paths.query(crypto.randomUUID()), session],
    ['poll: a key of odd characters', 'protocol', 'GET', `${paths.queries}/%00%FF`, session],
    ['poll: a terminal list', 'protocol', 'GET', `${paths.query(crypto.randomUUID())}?terminal=a&terminal=b`, session],
    ['events: another terminal', 'protocol', 'GET', `${paths.events}?terminal=terminal-else-0001`, session],
    ['events: a bad terminal, no session', 'protocol', 'GET', `${paths.events}?terminal=%3Cscript%3E`, {}],
    ['confirmation: no key', 'protocol', 'POST', paths.confirmations, cji, JSON.stringify({ queryId: crypto.randomUUID(), priority: 'urgent' })],
    ['confirmation: a bad priority', 'protocol', 'POST', paths.confirmations, { ...cji, ...key() }, JSON.stringify({ queryId: crypto.randomUUID(), priority: 'now', terminal: TERMINAL })],
    ['confirmation: another terminal', 'protocol', 'POST', paths.confirmations, { ...cji, ...key() }, JSON.stringify({ queryId: crypto.randomUUID(), priority: 'urgent', terminal: 'terminal-else-0001' })],
    ['hotlist: since garbage', 'protocol', 'GET', `${hotlistPaths.hotlist}?since=%%%`, session],
    ['hotlist: since twice', 'protocol', 'GET', `${hotlistPaths.hotlist}?since=a&since=b`, session],
    ['audit: no records', 'protocol', 'POST', authPaths.audit, cji, JSON.stringify({ terminal: TERMINAL, records: [] })],
    ['audit: a record of strings', 'protocol', 'POST', authPaths.audit, cji, JSON.stringify({ terminal: TERMINAL, records: ['a'] })],
    ['audit: 600 records', 'protocol', 'POST', authPaths.audit, cji, JSON.stringify({ terminal: TERMINAL, records: Array.from({ length: 600 }, () => ({})) })],
    ['audit: another terminal', 'protocol', 'POST', authPaths.audit, cji, JSON.stringify({ terminal: 'terminal-else-0001', records: [] })],
    ['an unknown route', 'protocol', 'GET', '/v1/nothing-here', session],
    ['a DELETE of queries', 'protocol', 'DELETE', paths.queries, session],
    ['admin: no token', 'admin', 'GET', paths.adminStats, {}],
    ['admin: a wrong token', 'admin', 'GET', paths.adminStats, { Authorization: 'Bearer not-the-token' }],
    ['admin: the token as Basic', 'admin', 'GET', paths.adminStats, { Authorization: `Basic ${messageSwitch.adminToken}` }],
    ['admin: a session token', 'admin', 'GET', authPaths.adminOfficers, session],
    ['admin: release with no body', 'admin', 'POST', authPaths.adminRelease('TRN104'), admin],
    ['admin: release as a form', 'admin', 'POST', authPaths.adminRelease('TRN104'), { ...admin, 'Content-Type': 'application/x-www-form-urlencoded' }, 'x=1'],
    ['admin: release from another origin', 'admin', 'POST', authPaths.adminRelease('TRN104'), { ...admin, ...JSON_TYPE, Origin: 'https://evil.example' }, '{}'],
    ['admin: release an unknown officer', 'admin', 'POST', authPaths.adminRelease('NOBODY9'), { ...admin, ...JSON_TYPE }, '{}'],
    ['admin: conditions as text', 'admin', 'PUT', paths.adminConditions, { ...admin, 'Content-Type': 'text/plain' }, '{}'],
    ['admin: conditions out of range', 'admin', 'PUT', paths.adminConditions, { ...admin, ...JSON_TYPE }, JSON.stringify({ lossPercent: 101 })],
    ['admin: a BOLO without a title', 'admin', 'POST', paths.adminBolos, { ...admin, ...JSON_TYPE }, JSON.stringify({ text: 'x' })],
    ['admin: an unknown drill', 'admin', 'POST', drillPaths.adminDrill, { ...admin, ...JSON_TYPE }, JSON.stringify({ id: 'no-such-drill' })],
    ['admin: a drill stop from another origin', 'admin', 'DELETE', drillPaths.adminDrill, { ...admin, Origin: 'http://127.0.0.1.evil.example' }],
    ['admin: an audit trail of a bad terminal', 'admin', 'GET', `${authPaths.adminAudit}?terminal=%3C%3E`, admin],
    ['admin: a token with a second word', 'admin', 'GET', paths.adminStats, { Authorization: `Bearer ${messageSwitch.adminToken} extra` }],
  ];
}

describe('malformed requests', () => {
  it('are each refused with a 4xx and a JSON body, and the switch keeps serving', async () => {
    const outcomes: string[] = [];
    for (const [what, port, method, path, headers, body] of cases()) {
      const response = await fetch(`${port === 'protocol' ? url : adminUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
      const text = await response.text();
      const isJson = (() => {
        try {
          JSON.parse(text);
          return true;
        } catch {
          return false;
        }
      })();
      if (response.status < 400 || response.status >= 500 || !isJson) outcomes.push(`${what}: ${response.status} ${text.slice(0, 80)}`);
    }
    expect(outcomes).toEqual([]);
    expect(cases().length).toBeGreaterThanOrEqual(55);
    expect((await fetch(`${url}${paths.health}`)).status).toBe(200);
    expect((await fetch(`${adminUrl}${paths.adminStats}`, { headers: admin })).status).toBe(200);
  });
});
