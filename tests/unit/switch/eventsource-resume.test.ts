// A standard EventSource (the `eventsource` package, WHATWG semantics) reading GET /v1/events: it gets parts and
// completes, reconnects by itself after the switch drops the stream, resumes with Last-Event-ID, and sees each
// event exactly once. Every event's data is checked against the schema docs/openapi.json gives its type.
import { randomUUID } from 'node:crypto';
import { EventSource } from 'eventsource';
import createClient, { type Client } from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageSwitch } from '../../../src-switch/server.ts';
import { OpenApiConformance } from '../../support/openapi-conformance.ts';
import { signInAt } from '../../support/switch-session.ts';
import type { components, paths } from '../../support/switch-api.ts';

type PartEvent = components['schemas']['PartEvent'];
type QueryAnswer = components['schemas']['QueryAnswer'];
type Bolo = components['schemas']['Bolo'];
interface Received {
  id: string;
  type: string;
  data: unknown;
}

const TERMINAL = `terminal-${randomUUID()}`;
const EVENT_TYPES = ['part', 'complete', 'bolo', 'gap', 'confirmation'];
const conformance = new OpenApiConformance();
let messageSwitch: MessageSwitch;
let api: Client<paths>;
let admin: Client<paths>;
let source: EventSource;
/** Every event the EventSource dispatched, in order. */
const received: Received[] = [];
/** The Last-Event-ID each of the EventSource's requests carried (null for the first). */
const resumedFrom: Array<string | null> = [];
let errors = 0;
const waiters: Array<() => void> = [];

/** Resolves once `ready()` holds, re-checked on every event and error the EventSource reports. */
function until(ready: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Timed out waiting for ${what}`)), timeoutMs);
    const check = () => {
      if (!ready()) return waiters.push(check);
      clearTimeout(timer);
      resolve();
    };
    check();
  });
}
const wake = () => waiters.splice(0).forEach((check) => check());

const completeOf = (key: string) => received.filter((event) => event.type === 'complete' && (event.data as QueryAnswer).idempotencyKey === key);
const partsOf = (key: string) => received.filter((event) => event.type === 'part' && (event.data as PartEvent).idempotencyKey === key).map((event) => (event.data as PartEvent).part.source);

beforeAll(async () => {
  messageSwitch = new MessageSwitch({ latencyScale: 0 });
  const { url, adminUrl } = await messageSwitch.listen();
  const { token } = await signInAt(url, TERMINAL);
  api = createClient<paths>({ baseUrl: url, headers: { Authorization: `Bearer ${token}` } });
  admin = createClient<paths>({ baseUrl: adminUrl, headers: { Authorization: `Bearer ${messageSwitch.adminToken}` } });
  api.use(conformance.middleware());
  admin.use(conformance.middleware());
  // The standard API has no headers option: the session goes in through the package's fetch hook.
  source = new EventSource(`${url}/v1/events`, {
    fetch: (input, init) => {
      resumedFrom.push(new Headers(init.headers).get('Last-Event-ID'));
      return fetch(input, { ...init, headers: { ...init.headers, Authorization: `Bearer ${token}` } });
    },
  });
  for (const type of EVENT_TYPES) {
    source.addEventListener(type, (event) => {
      const data = JSON.parse(event.data) as unknown;
      conformance.checkEvent(type, data);
      received.push({ id: event.lastEventId, type, data });
      wake();
    });
  }
  source.addEventListener('error', () => {
    errors++;
    wake();
  });
  await new Promise<void>((resolve, reject) => {
    source.addEventListener('open', () => resolve(), { once: true });
    setTimeout(() => reject(new Error('The EventSource did not open')), 10_000);
  });
});
afterAll(async () => {
  source.close();
  await messageSwitch.close();
});

const submit = async (key: string) => {
  const { response } = await api.POST('/v1/queries', {
    params: { header: { 'Idempotency-Key': key, Prefer: 'respond-async' } },
    body: { query: { kind: 'plate', lic: '4TRN123', lis: 'CA' }, askedAt: new Date().toISOString(), terminal: TERMINAL },
  });
  expect(response.status).toBe(202);
};
const setConditions = async (body: components['schemas']['LinkConditions']) => expect((await admin.PUT('/v1/admin/conditions', { body })).response.status).toBe(200);

describe('a standard EventSource on GET /v1/events', () => {
  it('receives each part of a query and its complete event', async () => {
    const key = randomUUID();
    await submit(key);
    await until(() => completeOf(key).length > 0, 'the first query to complete');
    expect(partsOf(key).sort()).toEqual(['DMV', 'NCIC', 'SVS']);
    expect(resumedFrom).toEqual([null]);
  });

  it('reconnects by itself after the switch drops it, resumes with Last-Event-ID, and gets each event once', async () => {
    // NCIC answers late, so its part and the complete event are written while the stream is down.
    const key = randomUUID();
    await setConditions({ slowSource: { source: 'NCIC', extraMs: 500 } });
    await submit(key);
    await until(() => partsOf(key).length === 2, "the fast sources' parts");
    const lastBeforeDrop = received.at(-1)!.id;

    // An outage: the switch stops listening and drops every open connection, the stream included.
    await setConditions({ outage: true, slowSource: { source: 'NCIC', extraMs: 500 } });
    await until(() => errors >= 1, 'the EventSource to see the stream drop');
    const bolo = await admin.POST('/v1/admin/bolos', { body: { title: 'Drill: grey sedan', text: 'Issued while the terminal is cut off' } });
    expect(bolo.response.status).toBe(201);
    // It keeps trying (retry: 2000) against a refused port; one failed attempt later the NCIC part is long written.
    await until(() => errors >= 2, 'a refused reconnection attempt');
    expect(completeOf(key)).toHaveLength(0);
    await setConditions({});

    await until(() => completeOf(key).length > 0 && received.some((event) => event.type === 'bolo'), 'the missed events after the reconnection');
    expect(resumedFrom.at(-1)).toBe(lastBeforeDrop);
    expect(resumedFrom.filter((id) => id === null)).toHaveLength(1);
    expect(partsOf(key).sort()).toEqual(['DMV', 'NCIC', 'SVS']);
    expect(completeOf(key)).toHaveLength(1);
    expect(received.filter((event) => event.type === 'bolo').map((event) => (event.data as Bolo).id)).toEqual([(bolo.data as Bolo).id]);
    expect(received.some((event) => event.type === 'gap')).toBe(false);
  });

  it('never saw an event twice, and saw them in the order the switch numbered them', () => {
    const ids = received.map((event) => event.id);
    expect(new Set(ids).size).toBe(ids.length);
    const sequence = ids.map((id) => Number(id.split('-').pop()));
    expect(sequence).toEqual([...sequence].sort((a, b) => a - b));
  });
});
