// Drill conditions over real HTTP: each failure a car's link can show, played by the switch on demand.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NORMAL_CONDITIONS } from '../../../src-shared/conditions.ts';
import { paths, QueryAnswer } from '../../../src-shared/protocol.ts';
import { MessageSwitch } from '../../../src-switch/server.ts';
import { sessionsAt } from '../../support/switch-session.ts';
import { adminFetch } from '../../support/admin-fetch.ts';

let messageSwitch: MessageSwitch;
let url: string;
let adminUrl: string;
let session: Record<string, string>;
beforeEach(async () => {
  messageSwitch = new MessageSwitch({ latencyScale: 0 });
  ({ url, adminUrl } = await messageSwitch.listen());
  session = await sessionsAt(url)('terminal-drill-0001');
});
afterEach(async () => messageSwitch.close());

const setConditions = (conditions: object) =>
  adminFetch(messageSwitch, `${adminUrl}${paths.adminConditions}`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(conditions) });
const submit = (key: string, timeoutMs = 2000) =>
  fetch(`${url}${paths.queries}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key, ...session },
    // A resend carries the query exactly as first sent, askedAt included, as the terminal's outbox does.
    body: JSON.stringify({ query: { kind: 'plate', lic: '4TRN123', lis: 'CA' }, askedAt: '2026-11-23T10:00:00.000Z' }),
    signal: AbortSignal.timeout(timeoutMs),
  });
const executed = async (key: string) => ((await (await adminFetch(messageSwitch, `${adminUrl}${paths.adminStats}`)).json()) as { byKey: Record<string, number> }).byKey[key] ?? 0;
const failure = (promise: Promise<unknown>) => promise.then(() => 'answered', (error: Error) => (error.cause as { code?: string })?.code ?? error.name);

describe('drill conditions', () => {
  it('refuses connections during an outage and listens again on the same port after it', async () => {
    await setConditions({ outage: true });
    expect(await failure(fetch(`${url}${paths.health}`))).toBe('ECONNREFUSED');
    await setConditions({ outage: false });
    expect((await fetch(`${url}${paths.health}`)).status).toBe(200);
  });

  it('accepts but never answers in a black hole, and resets the held connections when it ends', async () => {
    await setConditions({ blackHole: true });
    expect(await failure(fetch(`${url}${paths.health}`, { signal: AbortSignal.timeout(300) }))).toBe('TimeoutError');
    const held = failure(fetch(`${url}${paths.health}`));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await setConditions({ blackHole: false });
    expect(await held).not.toBe('answered');
    expect((await fetch(`${url}${paths.health}`)).status).toBe(200);
  });

  it('answers 503 at the configured rate and 429 with Retry-After', async () => {
    await setConditions({ serverErrorPercent: 100 });
    expect((await submit(crypto.randomUUID())).status).toBe(503);
    await setConditions({ retryAfterSeconds: 7 });
    const limited = await submit(crypto.randomUUID());
    expect(limited.status).toBe(429);
    expect(limited.headers.get('Retry-After')).toBe('7');
  });

  it('cuts an answer short so the terminal cannot parse it; the resend replays the one execution', async () => {
    const key = crypto.randomUUID();
    await setConditions({ truncatePercent: 100 });
    expect(await failure(submit(key).then((r) => r.json()))).not.toBe('answered');
    await setConditions(NORMAL_CONDITIONS);
    expect(QueryAnswer.parse(await (await submit(key)).json()).idempotencyKey).toBe(key);
    expect(await executed(key)).toBe(1);
  });

  it('answers garbage that is not JSON when told to', async () => {
    await setConditions({ malformedPercent: 100 });
    const response = await submit(crypto.randomUUID());
    expect(response.status).toBe(200);
    expect(await failure(response.json())).not.toBe('answered');
  });

  it('executes a query and then drops the acknowledgement; the resend gets the same answer', async () => {
    const key = crypto.randomUUID();
    await setConditions({ lostAckPercent: 100 });
    expect(await failure(submit(key))).not.toBe('answered');
    expect(await executed(key)).toBe(1);
    await setConditions({});
    expect((await submit(key)).headers.get('Idempotent-Replayed')).toBe('true');
    expect(await executed(key)).toBe(1);
  });

  it('refuses a bad conditions document, naming the field', async () => {
    const response = await setConditions({ lossPercent: 150 });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { field: 'lossPercent', message: 'lossPercent: lossPercent must be 0 to 100' } });
    const unknown = await setConditions({ tunnel: true });
    expect(unknown.status).toBe(400);
  });
});
