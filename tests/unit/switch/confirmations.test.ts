// POST /v1/confirmations over real HTTP: a YQ is taken once per key, and the agency's YR arrives on the asking terminal's stream.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfirmationAccepted, type ConfirmationRequest } from '../../../src-shared/confirmation.ts';
import { ConfirmationAnswer, IDEMPOTENCY_HEADER, paths, PREFER_ASYNC } from '../../../src-shared/protocol.ts';
import { SseParser, type StreamEvent } from '../../../src-shared/sse.ts';
import { MessageSwitch } from '../../../src-switch/server.ts';
import { sessionsAt } from '../../support/switch-session.ts';

let messageSwitch: MessageSwitch;
let url: string;
/** The session header of each terminal, signed in on first use. */
let as: (terminal: string) => Promise<Record<string, string>>;
beforeAll(async () => {
  messageSwitch = new MessageSwitch({ latencyScale: 0 });
  ({ url } = await messageSwitch.listen());
  as = sessionsAt(url);
});
afterAll(async () => messageSwitch.close());

/** Reads a terminal's stream until `count` events of `type` have come. */
async function eventsOf(terminal: string, type: string, count: number, during: () => Promise<void>): Promise<StreamEvent[]> {
  const controller = new AbortController();
  const response = await fetch(`${url}${paths.events}?terminal=${terminal}`, { headers: await as(terminal), signal: controller.signal });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const parser = new SseParser();
  const seen: StreamEvent[] = [];
  await during();
  while (seen.filter((event) => event.type === type).length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    seen.push(...parser.push(value));
  }
  controller.abort();
  return seen.filter((event) => event.type === type);
}

async function runPlate(terminal: string, lic: string): Promise<string> {
  const key = randomUUID();
  const response = await fetch(`${url}${paths.queries}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', [IDEMPOTENCY_HEADER]: key, Prefer: PREFER_ASYNC, ...(await as(terminal)) },
    body: JSON.stringify({ query: { kind: 'plate', lic, lis: 'CA' }, askedAt: new Date().toISOString(), priority: 'routine', terminal }),
  });
  expect(response.status).toBe(202);
  return key;
}

async function ask(key: string | undefined, body: ConfirmationRequest | (Record<string, unknown> & { terminal: string })) {
  return fetch(`${url}${paths.confirmations}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(key ? { [IDEMPOTENCY_HEADER]: key } : {}), ...(await as(body.terminal)) },
    body: JSON.stringify(body),
  });
}

describe('hit confirmation (YQ / YR)', () => {
  it('confirms a training hit on the asking terminal’s stream, naming the entering agency', async () => {
    const terminal = `term-${randomUUID()}`;
    const queryId = await runPlate(terminal, '4TRN123');
    const [event] = await eventsOf(terminal, 'confirmation', 1, async () => {
      const response = await ask(randomUUID(), { queryId, priority: 'urgent', terminal });
      expect(response.status).toBe(202);
      expect(ConfirmationAccepted.parse(await response.json()).queryId).toBe(queryId);
    });
    const answer = ConfirmationAnswer.parse(JSON.parse(event!.data));
    expect(answer).toMatchObject({ queryId, confirmed: true, agency: 'CA0349400' });
    expect(answer.text).toMatch(/^YR: CONFIRMED\. VEHICLE STILL STOLEN\. HOLD SUBJECT\..*ORI CA0349400$/);
  });

  it('does not confirm a query that found no hit, nor another terminal’s query', async () => {
    const terminal = `term-${randomUUID()}`;
    const clean = await runPlate(terminal, '4TRN000');
    const others = await runPlate(`term-${randomUUID()}`, '4TRN123');
    const events = await eventsOf(terminal, 'confirmation', 2, async () => {
      await ask(randomUUID(), { queryId: clean, priority: 'routine', terminal });
      await ask(randomUUID(), { queryId: others, priority: 'urgent', terminal });
    });
    expect(events.map((event) => ConfirmationAnswer.parse(JSON.parse(event.data)).confirmed)).toEqual([false, false]);
  });

  it('takes a key once: the same request again is a replay with no second YR, another body is refused', async () => {
    const terminal = `term-${randomUUID()}`;
    const queryId = await runPlate(terminal, '4TRN456');
    const key = randomUUID();
    const first = await ask(key, { queryId, priority: 'urgent', terminal });
    const replay = await ask(key, { queryId, priority: 'urgent', terminal });
    expect(replay.status).toBe(202);
    expect(replay.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await replay.json()).toEqual(await first.json());
    expect((await ask(key, { queryId, priority: 'routine', terminal })).status).toBe(422);
    // Read from the start: the one YR is there, and the replay added none.
    const events = await eventsOf(terminal, 'confirmation', 1, async () => undefined);
    expect(events).toHaveLength(1);
  });

  it('refuses a request with no key or a bad body', async () => {
    const terminal = `term-${randomUUID()}`;
    expect((await ask(undefined, { queryId: randomUUID(), priority: 'urgent', terminal })).status).toBe(400);
    const bad = await ask(randomUUID(), { queryId: randomUUID(), priority: 'soon', terminal });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_confirmation', field: 'priority' } });
  });
});
