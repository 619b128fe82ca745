// The instructor's side of the admin server: the page under a strict CSP, the shipped drills, start, stop and report.
import { Script } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authPaths } from '../../../src-shared/auth.ts';
import { NORMAL_CONDITIONS } from '../../../src-shared/conditions.ts';
import { DrillReport, DrillStatus, drillPaths, ShippedDrill } from '../../../src-shared/drill.ts';
import { paths } from '../../../src-shared/protocol.ts';
import { MessageSwitch } from '../../../src-switch/server.ts';
import { adminFetch } from '../../support/admin-fetch.ts';

let messageSwitch: MessageSwitch;
let adminUrl: string;
beforeAll(async () => {
  messageSwitch = new MessageSwitch({ latencyScale: 0 });
  ({ adminUrl } = await messageSwitch.listen());
});
afterAll(async () => messageSwitch.close());

const json = async (path: string, init?: RequestInit) => {
  const response = await adminFetch(messageSwitch, `${adminUrl}${path}`, init);
  return { status: response.status, body: (await response.json()) as unknown };
};
const post = (path: string, body: unknown) => json(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describe('the instructor page', () => {
  it('is served at / under a CSP that allows no inline script or style and nothing from elsewhere', async () => {
    const response = await fetch(`${adminUrl}/`);
    const csp = response.headers.get('Content-Security-Policy')!;
    expect(response.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    const html = await response.text();
    expect(html.match(/<script[^>]*>/g)).toEqual(['<script src="/instructor.js" defer>']);
    expect(html).not.toMatch(/\son[a-z]+=|\sstyle=/);
  });

  it('serves a script the browser can parse, calling the admin routes by their shared paths', async () => {
    const response = await fetch(`${adminUrl}/instructor.js`);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/javascript/);
    const script = await response.text();
    expect(() => new Script(script)).not.toThrow();
    for (const path of [paths.adminConditions, drillPaths.adminDrills, drillPaths.adminDrill, drillPaths.adminReport, drillPaths.adminReportDrawing, authPaths.adminOfficers, authPaths.adminSecurityEvents]) expect(script).toContain(path);
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|eval\(/);
    // The report's drawing goes in as parsed SVG, never as HTML.
    expect(script).toContain("parseFromString(text, 'image/svg+xml')");
    expect((await fetch(`${adminUrl}/instructor.css`)).headers.get('Content-Type')).toMatch(/^text\/css/);
  });

  it('answers only requests addressed to loopback, so a rebound hostname cannot reach it', async () => {
    const foreign = await messageSwitch.admin.inject({ method: 'PUT', url: paths.adminConditions, headers: { host: 'drills.example.com:8080' }, payload: { outage: true } });
    expect(foreign.statusCode).toBe(421);
    expect(messageSwitch.conditions.current.outage).toBe(false);
    expect((await messageSwitch.admin.inject({ method: 'GET', url: '/', headers: { host: 'localhost:9000' } })).statusCode).toBe(200);
  });
});

describe('the admin token', () => {
  const ADMIN_GETS = [paths.adminStats, paths.adminConditions, paths.adminBolos, authPaths.adminOfficers, authPaths.adminSecurityEvents, `${authPaths.adminAudit}?terminal=terminal-any-0001`, drillPaths.adminDrills, drillPaths.adminDrill, drillPaths.adminReport, drillPaths.adminReportDrawing, '/v1/admin/hotlist'];

  it.each(ADMIN_GETS)('is asked for by GET %s: 401 without it, and with a wrong one', async (path) => {
    for (const headers of [{}, { Authorization: 'Bearer not-the-admin-token' }] as Array<Record<string, string>>) {
      const response = await fetch(`${adminUrl}${path}`, { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await response.json()).toMatchObject({ error: { code: 'admin_token' } });
    }
  });

  it('is not needed for the page itself, which asks for it and keeps it for the tab only', async () => {
    for (const path of ['/', '/instructor.js', '/instructor.css']) expect((await fetch(`${adminUrl}${path}`)).status).toBe(200);
    const script = await (await fetch(`${adminUrl}/instructor.js`)).text();
    expect(script).toContain('sessionStorage');
    expect(script).not.toContain('localStorage');
  });

  it('keeps a locked account locked against a cross-origin release, a release with no body, or a form post', async () => {
    const locked = new MessageSwitch({ latencyScale: 0 });
    const addresses = await locked.listen();
    try {
      for (let attempt = 1; attempt <= 5; attempt++) {
        await fetch(`${addresses.url}${authPaths.signIn}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ officerId: 'TRN104', password: 'wrong', code: '000000', terminal: 'terminal-admin-0001' }) });
      }
      const release = `${addresses.adminUrl}${authPaths.adminRelease('TRN104')}`;
      const token = { Authorization: `Bearer ${locked.adminToken}` };
      // What a web page can make a browser send: no token, a foreign Origin, no preflight.
      expect((await fetch(release, { method: 'POST', headers: { Origin: 'https://evil.example' } })).status).toBe(403);
      expect((await fetch(release, { method: 'POST' })).status).toBe(401);
      // Even with the token: no body, a form, or another origin is refused.
      expect((await fetch(release, { method: 'POST', headers: token })).status).toBe(415);
      expect((await fetch(release, { method: 'POST', headers: { ...token, 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'x=1' })).status).toBe(415);
      expect((await fetch(release, { method: 'POST', headers: { ...token, 'Content-Type': 'application/json', Origin: 'https://evil.example' }, body: '{}' })).status).toBe(403);
      const officers = async () => (await (await adminFetch(locked, `${addresses.adminUrl}${authPaths.adminOfficers}`)).json()) as Array<{ id: string; locked: boolean }>;
      expect((await officers()).find((officer) => officer.id === 'TRN104')).toMatchObject({ locked: true });
      // The instructor page's own request: the token, JSON, its own origin.
      const own = await fetch(release, { method: 'POST', headers: { ...token, 'Content-Type': 'application/json', Origin: addresses.adminUrl }, body: '{}' });
      expect(own.status).toBe(200);
      expect((await officers()).find((officer) => officer.id === 'TRN104')).toMatchObject({ locked: false });
    } finally {
      await locked.close();
    }
  });
});

describe('drills from the admin server', () => {
  it('lists the shipped drills with what each one drills', async () => {
    const { body } = await json(drillPaths.adminDrills);
    const drills = ShippedDrill.array().parse(body);
    expect(drills.map((drill) => drill.id)).toEqual(expect.arrayContaining(['dead-zone', 'tunnel-flapping', 'degraded-rural', 'switch-restart']));
  });

  it('starts a shipped drill, reports on it while it plays, and stops it with the link back to normal', async () => {
    const started = await post(drillPaths.adminDrill, { id: 'dead-zone' });
    expect(started.status).toBe(200);
    expect(DrillStatus.parse(started.body)).toMatchObject({ state: 'running', source: 'dead-zone', name: 'Dead zone', durationSeconds: 180 });
    expect(DrillReport.parse((await json(drillPaths.adminReport)).body)).toMatchObject({ drill: 'Dead zone', state: 'running', endedAt: null });

    const stopped = await json(drillPaths.adminDrill, { method: 'DELETE' });
    expect(DrillStatus.parse(stopped.body)).toMatchObject({ state: 'stopped', nextStep: null });
    expect((await json(paths.adminConditions)).body).toEqual(NORMAL_CONDITIONS);
    expect(DrillReport.parse((await json(drillPaths.adminReport)).body)).toMatchObject({ drill: 'Dead zone', state: 'stopped' });
  });

  it('refuses a drill it does not ship, naming the ones it does, and a request without an id', async () => {
    const unknown = await post(drillPaths.adminDrill, { id: 'blizzard' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: { code: 'unknown_drill', message: expect.stringContaining('dead-zone') } });
    const bad = await post(drillPaths.adminDrill, { name: 'dead-zone' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'invalid_drill_request' } });
  });
});
