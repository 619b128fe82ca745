// The event stream over real HTTP: parts one by one, resuming with Last-Event-ID, the poll fallback, BOLOs, gaps.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NORMAL_CONDITIONS } from '../../../src-shared/conditions.ts';
import { Bolo, CompleteEvent, IDEMPOTENCY_HEADER, PartEvent, paths, QueryAccepted, QueryStatus, type QuerySubmission } from '../../../src-shared/protocol.ts';
import { SseParser, type StreamEvent } from '../../../src-shared/sse.ts';
import { openApiDocument } from '../../../src-switch/protocol/openapi.ts';
import { DRILL_OFFICERS, traineeOfficers } from '../../../src-switch/auth/drill-officers.ts';
import { MessageSwitch } from '../../../src-switch/server.ts';
import { sessionsAt } from '../../support/switch-session.ts';
import { adminFetch } from '../../support/admin-fetch.ts';

let messageSwitch: MessageSwitch;
let url: string;
let adminUrl: string;
/** The session header of each terminal; DESK asks for what names no terminal (a synchronous query, a poll by key). */
let as: (terminal: string) => Promise<Record<string, string>>;
const DESK = 'terminal-desk-0001';
beforeAll(async () => {
  // Real source latencies (DMV 40 ms, SVS 70, NCIC 120): the parts must come apart in time.
  // Every test listens as new terminals: trainees enough that none waits for a one-time code not used yet.
  const officers = [...DRILL_OFFICERS, ...traineeOfficers(24)];
  messageSwitch = new MessageSwitch({ latencyScale: 1, officers });
  ({ url, adminUrl } = await messageSwitch.listen());
  as = sessionsAt(url, officers);
});
afterAll(async () => messageSwitch.close());
const open: Array<{ close(): void }> = [];
afterEach(async () => {
  for (const stream of open.splice(0)) stream.close();
  await messageSwitch.conditions.set(NORMAL_CONDITIONS);
});

/** An event stream read the way a terminal reads it: fetch, then parse the body chunk by chunk. */
async function listen(terminal: string, lastEventId?: string) {
  const controller = new AbortController();
  const headers: Record<string, string> = { ...(await as(terminal)), ...(lastEventId ? { 'Last-Event-ID': lastEventId } : {}) };
  const response = await fetch(`${url}${paths.events}?terminal=${terminal}`, { headers, signal: controller.signal });
  const parser = new SseParser();
  const events: StreamEvent[] = [];
  const waiters: Array<() => void> = [];
  const pump = (async () => {
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true as const }));
      if (done) return;
      events.push(...parser.push(value));
      waiters.splice(0).forEach((wake) => wake());
    }
  })();
  const stream = {
    response,
    events,
    parser,
    /** Resolves once `count` events have arrived (of the given type, when named). */
    async until(count: number, type?: string, timeoutMs = 5_000): Promise<StreamEvent[]> {
      const deadline = Date.now() + timeoutMs;
      const matching = () => events.filter((event) => type === undefined || event.type === type);
      while (matching().length < count) {
        if (Date.now() > deadline) throw new Error(`only ${matching().length} of ${count} ${type ?? ''} events arrived`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
      return matching();
    },
    close() {
      controller.abort();
      void pump;
    },
  };
  open.push(stream);
  return stream;
}

const plate = (lic: string): QuerySubmission => ({ query: { kind: 'plate', lic, lis: 'CA' }, askedAt: new Date().toISOString(), priority: 'routine' });

async function submitAsync(submission: QuerySubmission, key: string = randomUUID(), prefer = 'respond-async') {
  return fetch(`${url}${paths.queries}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', [IDEMPOTENCY_HEADER]: key, Prefer: prefer, ...(await as(submission.terminal ?? DESK)) },
    body: JSON.stringify(submission),
  });
}

describe('an asynchronous submission', () => {
  it('is accepted at once with 202, a Location to poll and the sources to expect', async () => {
    const terminal = randomUUID();
    const key = randomUUID();
    const response = await submitAsync({ ...plate('4TRN123'), terminal }, key);
    expect(response.status).toBe(202);
    expect(response.headers.get('Preference-Applied')).toBe('respond-async');
    expect(response.headers.get('Location')).toBe(paths.query(key));
    const accepted = QueryAccepted.parse(await response.json());
    expect(accepted.idempotencyKey).toBe(key);
    expect(accepted.sources).toEqual(['DMV', 'SVS', 'NCIC']);
  });

  it("delivers to the session's terminal when the body names none", async () => {
    const terminal = randomUUID();
    const stream = await listen(terminal);
    const response = await fetch(`${url}${paths.queries}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', [IDEMPOTENCY_HEADER]: randomUUID(), Prefer: 'respond-async', ...(await as(terminal)) },
      body: JSON.stringify(plate('4TRN123')),
    });
    expect(response.status).toBe(202);
    expect(await stream.until(3, 'part')).toHaveLength(3);
  });

  it('delivers each source’s part on the stream as it is ready, fastest first, then the whole answer once', async () => {
    const terminal = randomUUID();
    const stream = await listen(terminal);
    expect(stream.response.headers.get('Content-Type')).toMatch(/^text\/event-stream/);
    const key = randomUUID();
    await submitAsync({ ...plate('4TRN123'), terminal }, key);
    const parts = (await stream.until(3, 'part')).map((event) => PartEvent.parse(JSON.parse(event.data)));
    // The sources answer at 40, 70 and 120 ms: each part arrived on its own, in that order.
    expect(parts.map((part) => part.part.source)).toEqual(['DMV', 'SVS', 'NCIC']);
    expect(parts.every((part) => part.idempotencyKey === key)).toBe(true);
    expect(parts.find((part) => part.part.source === 'SVS')!.part.records[0]!.type).toBe('stolen_vehicle');
    const [complete] = await stream.until(1, 'complete');
    expect(CompleteEvent.parse(JSON.parse(complete!.data)).parts).toHaveLength(3);
    // Event ids increase, so a terminal can resume after any one of them.
    const seqs = stream.events.map((event) => Number(event.id!.split('-')[1]));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('sends a terminal only its own answers', async () => {
    const mine = randomUUID();
    const other = await listen(randomUUID());
    const stream = await listen(mine);
    await submitAsync({ ...plate('FOREIGN1'), terminal: mine });
    await stream.until(1, 'complete');
    expect(other.events.filter((event) => event.type !== 'bolo')).toEqual([]);
  });

  it('a replayed submission is accepted again without a second execution or second events', async () => {
    const terminal = randomUUID();
    const stream = await listen(terminal);
    const key = randomUUID();
    const submission = { ...plate('REPLAY1'), terminal };
    await submitAsync(submission, key);
    await stream.until(1, 'complete');
    const again = await submitAsync(submission, key);
    expect(again.status).toBe(202);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(messageSwitch.admin).toBeDefined();
    const stats = (await (await adminFetch(messageSwitch, `${adminUrl}${paths.adminStats}`)).json()) as { byKey: Record<string, number> };
    expect(stats.byKey[key]).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stream.events.filter((event) => event.type === 'complete')).toHaveLength(1);
  });
});

describe('resuming the stream', () => {
  it('delivers what was produced while the terminal was away exactly once, after its Last-Event-ID', async () => {
    const terminal = randomUUID();
    const first = await listen(terminal);
    await submitAsync({ ...plate('AWAY1'), terminal });
    await first.until(1, 'complete');
    const resumeFrom = first.parser.lastId!;
    first.close();
    // Offline: two more queries are answered with nobody listening.
    await submitAsync({ ...plate('AWAY2'), terminal });
    await submitAsync({ ...plate('4TRN456'), terminal });
    await new Promise((resolve) => setTimeout(resolve, 400));
    const second = await listen(terminal, resumeFrom);
    const completes = await second.until(2, 'complete');
    const subjects = completes.map((event) => CompleteEvent.parse(JSON.parse(event.data)).parts[0]!.text);
    expect(subjects.some((text) => text.includes('AWAY2'))).toBe(true);
    expect(subjects.some((text) => text.includes('4TRN456'))).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Nothing from before the resume point, nothing twice.
    expect(second.events.filter((event) => event.type === 'part')).toHaveLength(6);
    expect(second.events.some((event) => event.data.includes('AWAY1'))).toBe(false);
  });

  it('also resumes from a lastEventId parameter, for a reader that cannot set headers', async () => {
    const terminal = randomUUID();
    const first = await listen(terminal);
    await submitAsync({ ...plate('PARAM1'), terminal });
    await first.until(1, 'complete');
    first.close();
    await submitAsync({ ...plate('PARAM2'), terminal });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const response = await fetch(`${url}${paths.events}?terminal=${terminal}&lastEventId=${first.parser.lastId}`, { headers: await as(terminal) });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    const parser = new SseParser();
    const seen: StreamEvent[] = [];
    while (!seen.some((event) => event.type === 'complete')) seen.push(...parser.push((await reader.read()).value!));
    await reader.cancel();
    expect(seen.some((event) => event.data.includes('PARAM2'))).toBe(true);
    expect(seen.some((event) => event.data.includes('PARAM1'))).toBe(false);
  });

  it('tells a terminal resuming from another run of the switch that it has a gap to fill by polling', async () => {
    const stream = await listen(randomUUID(), 'deadbeef-41');
    const [gap] = await stream.until(1, 'gap');
    expect(JSON.parse(gap!.data).reason).toMatch(/restarted/);
  });

  it("opens the session's terminal's stream when the URL names none", async () => {
    const controller = new AbortController();
    const response = await fetch(`${url}${paths.events}`, { headers: await as(DESK), signal: controller.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/event-stream/);
    controller.abort();
  });

  it('goes silent in a black hole, heartbeats included, and catches up when it ends', async () => {
    const terminal = randomUUID();
    const stream = await listen(terminal);
    await messageSwitch.conditions.set({ ...NORMAL_CONDITIONS, blackHole: true });
    // Submitted on the admin side of the link: the query executes, but the far side sends nothing.
    const key = randomUUID();
    const run = messageSwitch.events;
    expect(run.streams).toBeGreaterThan(0);
    const before = stream.events.length;
    const posted = submitAsync({ ...plate('HOLE1'), terminal }, key);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(stream.events.length).toBe(before);
    await messageSwitch.conditions.set(NORMAL_CONDITIONS);
    // The held POST is reset when the black hole ends; the terminal resends with the same key.
    await posted.catch(() => undefined);
    expect((await submitAsync({ ...plate('HOLE1'), terminal }, key)).status).toBe(202);
    await stream.until(1, 'complete');
  });
});

describe('the poll fallback', () => {
  it('returns every part so far and whether the answer is complete', { timeout: 15_000 }, async () => {
    // NCIC is held back a few seconds (a drill's slow source), so the first poll surely finds it missing.
    await messageSwitch.conditions.set({ ...NORMAL_CONDITIONS, slowSource: { source: 'NCIC', extraMs: 3_000 } });
    const terminal = randomUUID();
    const key = randomUUID();
    await submitAsync({ ...plate('4TRN789'), terminal }, key);
    const poll = async () => QueryStatus.parse(await (await fetch(`${url}${paths.query(key)}?terminal=${terminal}`, { headers: await as(terminal) })).json());
    const early = await poll();
    expect(early.complete).toBe(false);
    expect(early.parts.map((part) => part.source)).not.toContain('NCIC');
    await expect.poll(async () => (await poll()).complete, { timeout: 10_000 }).toBe(true);
    const late = await poll();
    expect(late.parts.map((part) => part.source).sort()).toEqual(['DMV', 'NCIC', 'SVS']);
  });

  it('is 404 for an unknown key and for another terminal', async () => {
    const missing = await fetch(`${url}${paths.query(randomUUID())}`, { headers: await as(DESK) });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'unknown_query' } });
    const key = randomUUID();
    await submitAsync({ ...plate('MINE1'), terminal: randomUUID() }, key);
    const other = randomUUID();
    expect((await fetch(`${url}${paths.query(key)}?terminal=${other}`, { headers: await as(other) })).status).toBe(404);
  });

  it('serves a synchronous submission too: the same answer as the 200 carried', async () => {
    const key = randomUUID();
    const response = await fetch(`${url}${paths.queries}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', [IDEMPOTENCY_HEADER]: key, ...(await as(DESK)) },
      body: JSON.stringify(plate('SYNC1')),
    });
    expect(response.status).toBe(200);
    const polled = QueryStatus.parse(await (await fetch(`${url}${paths.query(key)}`, { headers: await as(DESK) })).json());
    expect(polled.complete).toBe(true);
    expect(polled.parts).toHaveLength(3);
  });
});

describe('BOLO broadcasts', () => {
  it('reach every terminal listening, and one that connects later while the BOLO is held', async () => {
    const a = await listen(randomUUID());
    const b = await listen(randomUUID());
    const response = await adminFetch(messageSwitch, `${adminUrl}${paths.adminBolos}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'ARMED ROBBERY SUSPECT VEHICLE', text: 'Grey sedan, partial plate 7XY', lic: '7XYZ001', lis: 'CA', cautions: ['armed_and_dangerous'] }),
    });
    expect(response.status).toBe(201);
    const issued = Bolo.parse(await response.json());
    for (const stream of [a, b]) {
      const bolos = (await stream.until(1, 'bolo')).map((event) => Bolo.parse(JSON.parse(event.data)));
      expect(bolos.map((bolo) => bolo.id)).toContain(issued.id);
    }
    const late = await listen(randomUUID());
    expect((await late.until(1, 'bolo')).some((event) => event.data.includes(issued.id))).toBe(true);
  });

  it('refuses a BOLO without a title, naming the field', async () => {
    const response = await adminFetch(messageSwitch, `${adminUrl}${paths.adminBolos}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: 'x' }) });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_bolo', field: 'title' } });
  });
});

describe('the OpenAPI document', () => {
  it('is served by the switch and the committed docs/openapi.json is the current one (npm run openapi)', async () => {
    const served = (await (await fetch(`${url}${paths.openapi}`)).json()) as Record<string, unknown>;
    expect(served.openapi).toBe('3.1.0');
    const committed = JSON.parse(readFileSync(new URL('../../../docs/openapi.json', import.meta.url), 'utf8')) as unknown;
    expect(committed).toEqual(openApiDocument());
    expect(Object.keys(served.paths as object)).toEqual(expect.arrayContaining([paths.queries, paths.events, `${paths.queries}/{key}`, paths.adminBolos]));
  });
});
