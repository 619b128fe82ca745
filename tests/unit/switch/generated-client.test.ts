// An integrator's client: types generated from docs/openapi.json by openapi-typescript, calls made with
// openapi-fetch against a real switch on loopback, and every answer checked against the document's schemas.
import { randomUUID } from 'node:crypto';
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SseParser } from '../../../src-shared/sse.ts';
import { MessageSwitch } from '../../../src-switch/server.ts';
import { OpenApiConformance } from '../../support/openapi-conformance.ts';
import { freshCode, restedOfficer } from '../../support/sign-in.ts';
import type { components, paths } from '../../support/switch-api.ts';

type Query = components['schemas']['QuerySubmission']['query'];
type Kind = Query['kind'];

/** One training query of every kind the document lists (README, training records). */
const QUERIES: Record<Kind, Query> = {
  plate: { kind: 'plate', lic: '4TRN123', lis: 'CA' },
  vin: { kind: 'vin', vin: '1FTEW1E5XJFA78900' },
  person: { kind: 'person', nam: 'TRAINING, ARMED', dob: '1980-01-01', sex: 'M' },
  person_oln: { kind: 'person_oln', oln: 'T0000001', ols: 'CA' },
  licence: { kind: 'licence', oln: 'T0000002', ols: 'CA' },
  licence_name: { kind: 'licence_name', nam: 'TRAINING, CLEAN', dob: '1990-06-15', sex: 'F' },
  gun: { kind: 'gun', ser: 'TRN1911', mak: 'COL' },
  article: { kind: 'article', ser: 'TRN5550001', typ: 'OCOMPUT' },
};

const bearer = (token: () => string | undefined): Middleware => ({
  onRequest: ({ request }) => {
    const value = token();
    if (value) request.headers.set('Authorization', `Bearer ${value}`);
    return request;
  },
});

const TERMINAL = `terminal-${randomUUID()}`;
const conformance = new OpenApiConformance();
let messageSwitch: MessageSwitch;
let api: Client<paths>;
let admin: Client<paths>;
let token: string | undefined;
let switchUrl: string;

beforeAll(async () => {
  messageSwitch = new MessageSwitch({ latencyScale: 0 });
  const { url, adminUrl } = await messageSwitch.listen();
  switchUrl = url;
  api = createClient<paths>({ baseUrl: url });
  api.use(bearer(() => token), conformance.middleware());
  admin = createClient<paths>({ baseUrl: adminUrl });
  admin.use(bearer(() => messageSwitch.adminToken), conformance.middleware());
});
afterAll(async () => messageSwitch.close());

const submit = (query: Query, key: string = randomUUID(), respondAsync = false) =>
  api.POST('/v1/queries', {
    params: { header: { 'Idempotency-Key': key, ...(respondAsync ? { Prefer: 'respond-async' as const } : {}) } },
    body: { query, askedAt: new Date().toISOString(), priority: 'routine', terminal: TERMINAL },
  });

describe('a client generated from docs/openapi.json', () => {
  it('is refused without a session, as documented', async () => {
    const { response, error } = await submit(QUERIES.plate);
    expect(response.status).toBe(401);
    expect(error).toMatchObject({ error: 'session' });
  });

  it('signs an officer in', async () => {
    expect((await api.GET('/v1/health')).data?.status).toBe('ok');
    const officer = restedOfficer(switchUrl);
    const { data, error } = await api.POST('/v1/auth/sign-in', {
      body: { officerId: officer.id, password: officer.password, code: await freshCode(officer, switchUrl), terminal: TERMINAL },
    });
    expect(error).toBeUndefined();
    token = data!.token;
    expect(data!.officer.id).toBe(officer.id);
  });

  it('runs every query kind the document lists, each answered part by part', async () => {
    const querySchema = (conformance.document as unknown as { components: { schemas: { QuerySubmission: { properties: { query: { oneOf: Array<{ properties: { kind: { const: string } } }> } } } } } })
      .components.schemas.QuerySubmission.properties.query.oneOf;
    expect(querySchema.map((variant) => variant.properties.kind.const).sort()).toEqual(Object.keys(QUERIES).sort());
    for (const query of Object.values(QUERIES)) {
      const { data, error } = await submit(query);
      expect(error, query.kind).toBeUndefined();
      if (!data || !('parts' in data)) throw new Error(`${query.kind}: no answer`);
      expect(data.parts.length, query.kind).toBeGreaterThan(0);
    }
  });

  it('polls an answer it was sent part by part, and is told of a key it never sent', async () => {
    const key = randomUUID();
    const accepted = await submit(QUERIES.vin, key, true);
    expect(accepted.response.status).toBe(202);
    if (!accepted.data || !('sources' in accepted.data)) throw new Error('not accepted');
    const { sources } = accepted.data;
    expect(sources.length).toBeGreaterThan(0);
    let status = (await api.GET('/v1/queries/{key}', { params: { path: { key } } })).data!;
    for (let polls = 0; !status.complete && polls < 50; polls++) status = (await api.GET('/v1/queries/{key}', { params: { path: { key } } })).data!;
    expect(status.complete).toBe(true);
    expect(status.parts.map((part) => part.source).sort()).toEqual([...sources].sort());
    expect((await api.GET('/v1/queries/{key}', { params: { path: { key: randomUUID() } } })).response.status).toBe(404);
  });

  it('is answered 400 and 422 with the documented error body', async () => {
    const bad = await submit({ kind: 'plate', lic: '4TRN123', lis: 'C' });
    expect(bad.response.status).toBe(400);
    expect(bad.error).toMatchObject({ error: { code: 'invalid_query' } });
    const key = randomUUID();
    await submit(QUERIES.gun, key);
    expect((await submit(QUERIES.article, key)).response.status).toBe(422);
  });

  it('asks for a confirmation and reads the YR from the event stream', async () => {
    const hit = randomUUID();
    await submit(QUERIES.plate, hit);
    const asked = await api.POST('/v1/confirmations', { params: { header: { 'Idempotency-Key': randomUUID() } }, body: { queryId: hit, priority: 'urgent', terminal: TERMINAL } });
    expect(asked.response.status).toBe(202);
    const controller = new AbortController();
    const stream = await api.GET('/v1/events', { parseAs: 'stream', signal: controller.signal });
    const parser = new SseParser();
    const decoder = new TextDecoder();
    const reader = stream.response.body!.getReader();
    let confirmation: components['schemas']['ConfirmationAnswer'] | undefined;
    while (!confirmation) {
      const { value, done } = await reader.read();
      if (done) throw new Error('The stream ended before the confirmation');
      for (const event of parser.push(decoder.decode(value, { stream: true }))) {
        conformance.checkEvent(event.type, JSON.parse(event.data));
        if (event.type === 'confirmation') confirmation = JSON.parse(event.data) as components['schemas']['ConfirmationAnswer'];
      }
    }
    controller.abort();
    expect(confirmation).toMatchObject({ queryId: hit, confirmed: true });
  });

  it('drives the admin server with its token, and is refused without it', async () => {
    expect((await admin.GET('/v1/admin/stats')).data!.executed).toBeGreaterThan(0);
    expect((await admin.PUT('/v1/admin/conditions', { body: { latencyMs: 0 } })).data!.outage).toBe(false);
    expect((await admin.POST('/v1/admin/bolos', { body: { title: 'Drill BOLO', text: 'Grey sedan, drill only' } })).response.status).toBe(201);
    expect((await admin.GET('/v1/admin/officers')).data!.length).toBeGreaterThan(0);
    expect((await admin.GET('/v1/admin/hotlist')).data!.count).toBeGreaterThan(0);
    expect((await admin.GET('/v1/admin/drills')).data!.length).toBeGreaterThan(0);
    expect((await admin.GET('/v1/admin/drill')).data!.state).toBe('idle');
    expect((await admin.POST('/v1/admin/drill', { body: { id: 'no-such-drill' } })).response.status).toBe(404);
    expect((await admin.GET('/v1/admin/report')).response.status).toBe(200);
    expect((await admin.GET('/v1/admin/drill-codes')).data!.map((code) => code.officerId)).toContain('TRN101');
    const anonymous = createClient<paths>({ baseUrl: new URL('/', (await admin.GET('/v1/admin/stats')).response.url).origin });
    anonymous.use(conformance.middleware());
    expect((await anonymous.GET('/v1/admin/stats')).response.status).toBe(401);
  });

  it('received nothing the document does not describe', () => {
    expect([...conformance.checked]).toEqual(
      expect.arrayContaining(['POST /v1/queries 200', 'POST /v1/queries 202', 'POST /v1/queries 401', 'GET /v1/queries/{key} 200', 'GET /v1/queries/{key} 404', 'POST /v1/auth/sign-in 200', 'event confirmation']),
    );
  });
});
