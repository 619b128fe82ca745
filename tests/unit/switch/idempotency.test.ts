// The switch executes each Idempotency-Key once, over real HTTP on loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paths, QueryAnswer } from '../../../src-shared/protocol.ts';
import { Executions } from '../../../src-switch/protocol/executions.ts';
import { MemoryStore } from '../../../src-switch/store/memory-store.ts';
import { MessageSwitch } from '../../../src-switch/server.ts';
import { sessionsAt } from '../../support/switch-session.ts';
import { adminFetch } from '../../support/admin-fetch.ts';

let messageSwitch: MessageSwitch;
let base: string;
let admin: string;
let session: Record<string, string>;
const TERMINAL = 'terminal-idem-0001';
beforeAll(async () => {
  messageSwitch = new MessageSwitch({ latencyScale: 0 });
  ({ url: base, adminUrl: admin } = await messageSwitch.listen());
  session = await sessionsAt(base)(TERMINAL);
});
afterAll(async () => messageSwitch.close());

const body = (lic = '4TRN123') => JSON.stringify({ query: { kind: 'plate', lic, lis: 'CA' }, askedAt: '2026-11-23T10:00:00.000Z' });
const post = (key: string | undefined, payload: string, type = 'application/json') =>
  fetch(`${base}${paths.queries}`, {
    method: 'POST',
    headers: { 'Content-Type': type, ...(key ? { 'Idempotency-Key': key } : {}), ...session },
    body: payload,
  });
const executions = async (key: string) => ((await (await adminFetch(messageSwitch, `${admin}${paths.adminStats}`)).json()) as { byKey: Record<string, number> }).byKey[key];

describe('switch idempotency', () => {
  it('answers a repeated key with the first answer and executes the query once', async () => {
    const key = crypto.randomUUID();
    const first = QueryAnswer.parse(await (await post(key, body())).json());
    const again = await post(key, body());
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(QueryAnswer.parse(await again.json())).toEqual(first);
    expect(await executions(key)).toBe(1);
  });

  it('executes once even when the retry arrives while the first is still running', async () => {
    const slow = new MessageSwitch({ latencyScale: 2 });
    const { url, adminUrl } = await slow.listen();
    const slowSession = await sessionsAt(url)(TERMINAL);
    const key = crypto.randomUUID();
    const send = () => fetch(`${url}${paths.queries}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key, ...slowSession }, body: body() });
    const answers = await Promise.all([send(), send(), send()].map(async (r) => (await r).json()));
    expect(new Set(answers.map((a) => (a as QueryAnswer).queryId)).size).toBe(1);
    const stats = (await (await adminFetch(slow, `${adminUrl}${paths.adminStats}`)).json()) as { byKey: Record<string, number> };
    expect(stats.byKey[key]).toBe(1);
    await slow.close();
  });

  it('refuses the same key for a different query with 422', async () => {
    const key = crypto.randomUUID();
    await post(key, body('4TRN123'));
    const reused = await post(key, body('4TRN000'));
    expect(reused.status).toBe(422);
    expect(await reused.json()).toMatchObject({ error: { code: 'idempotency_key_reused' } });
  });

  it('needs a key: 400 without one, naming the header', async () => {
    const response = await post(undefined, body());
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { message: 'Idempotency-Key header is required' } });
  });
});

describe('switch input errors', () => {
  it('answers malformed JSON with a 400 JSON error and keeps serving', async () => {
    const response = await post(crypto.randomUUID(), '{"query": {');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'malformed_request' } });
    expect((await fetch(`${base}${paths.health}`)).status).toBe(200);
  });

  it('names the missing field', async () => {
    const response = await post(crypto.randomUUID(), JSON.stringify({ query: { kind: 'plate', lic: '4TRN123' }, askedAt: '2026-11-23T10:00:00.000Z' }));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_query', field: 'query.lis', message: 'State (LIS) is required' } });
  });

  it('refuses an oversized body with 413', async () => {
    const response = await post(crypto.randomUUID(), JSON.stringify({ padding: 'x'.repeat(100_000) }));
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'body_too_large' } });
  });

  it('refuses a body that is not JSON with 415', async () => {
    const response = await post(crypto.randomUUID(), 'LIC/4TRN123', 'text/plain');
    expect(response.status).toBe(415);
  });
});

describe('the executions kept in the store', () => {
  const run = (key: string, at: number) => ({ key, queryId: key, receivedAt: new Date(at).toISOString(), at, priority: 'routine' as const, query: { kind: 'plate' as const, lic: '4TRN000', lis: 'CA' }, sources: [], streamed: false });

  it('forgets keys after the retention period, and only then', async () => {
    let now = 0;
    const executions = new Executions(new MemoryStore(), 'node-a', 1000, () => now);
    const body = { priority: 'routine' };
    expect((await executions.claim(run('k', now), body)).kind).toBe('new');
    now = 1000;
    expect((await executions.claim(run('k', now), body)).kind).toBe('replay');
    now = 1001;
    expect((await executions.claim(run('k', now), body)).kind).toBe('new');
  });

  it('treats the same query with its keys in another order as the same query, and another owner as another query', async () => {
    const executions = new Executions(new MemoryStore(), 'node-a', 1000);
    await executions.claim(run('k', Date.now()), { a: 1, b: 2, priority: 'routine' });
    expect((await executions.claim(run('k', Date.now()), { b: 2, priority: 'routine', a: 1 })).kind).toBe('replay');
    expect((await executions.claim({ ...run('k', Date.now()), owner: 'terminal-other-01' }, { a: 1, b: 2, priority: 'routine' })).kind).toBe('mismatch');
  });
});
