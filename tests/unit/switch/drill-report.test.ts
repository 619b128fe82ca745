// Over real HTTP: the report counts what the switch did with each query, a restart step drops and restores the
// listener without losing executions, and one slow source holds up only its own part of an answer.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type AuditRecord, auditTime, chainHash, GENESIS } from '../../../src-shared/audit-chain.ts';
import { authPaths, bearer } from '../../../src-shared/auth.ts';
import { Drill, DrillReport, drillPaths } from '../../../src-shared/drill.ts';
import { paths, QueryAnswer } from '../../../src-shared/protocol.ts';
import { MessageSwitch } from '../../../src-switch/server.ts';
import { signInAt } from '../../support/switch-session.ts';
import { adminFetch } from '../../support/admin-fetch.ts';

let messageSwitch: MessageSwitch;
let url: string;
let adminUrl: string;
let session: Record<string, string>;
afterEach(async () => messageSwitch.close());

async function start(options: ConstructorParameters<typeof MessageSwitch>[0] = {}) {
  messageSwitch = new MessageSwitch({ latencyScale: 0, ...options });
  ({ url, adminUrl } = await messageSwitch.listen());
  // The one-time code is for the switch's own clock, which a test may have set.
  session = bearer((await signInAt(url, TERMINAL, undefined, options.now?.().getTime())).token);
}

const setConditions = (conditions: object) =>
  adminFetch(messageSwitch, `${adminUrl}${paths.adminConditions}`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(conditions) });
const submit = (key: string) =>
  fetch(`${url}${paths.queries}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key, ...session },
    body: JSON.stringify({ query: { kind: 'plate', lic: '4TRN123', lis: 'CA' }, askedAt: '2026-11-23T10:00:00.000Z' }),
    signal: AbortSignal.timeout(2000),
  });
const answered = async (key: string) => QueryAnswer.parse(await (await submit(key)).json());
const failure = (promise: Promise<unknown>) => promise.then(() => 'answered', (error: Error) => (error.cause as { code?: string })?.code ?? error.name);
const report = async () => DrillReport.parse(await (await adminFetch(messageSwitch, `${adminUrl}${drillPaths.adminReport}`)).json());
const drill = (input: object) => Drill.parse({ name: 'Under test', description: 'A drill under test', ...input });

const TERMINAL = 'terminal-drill-0001';
/** Uploads the terminal's trail: one record per [action, subject], chained from GENESIS, in nobody's name. */
async function uploadTrail(lines: Array<[string, string]>) {
  let prev = GENESIS;
  const records: AuditRecord[] = lines.map(([action, subject], index) => {
    const content = { at: auditTime(new Date()), officer: '', terminal: TERMINAL, action, subject, outcome: 'under test' };
    const hash = chainHash(prev, content);
    const record = { seq: index + 1, ...content, prev, hash };
    prev = hash;
    return record;
  });
  const response = await fetch(`${url}${authPaths.audit}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...session }, body: JSON.stringify({ terminal: TERMINAL, records }) });
  expect(response.status).toBe(200);
}

describe('the drill report', () => {
  it('counts a lost acknowledgement and its resend as one execution, one duplicate refused, and one answer late by the gap', async () => {
    let nowMs = Date.parse('2026-11-23T10:00:00.000Z');
    await start({ now: () => new Date(nowMs) });
    const [lostAck, onTime, neverResent] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];

    await answered(onTime);
    await setConditions({ lostAckPercent: 100 });
    expect(await failure(submit(lostAck))).not.toBe('answered');
    expect(await failure(submit(neverResent))).not.toBe('answered');
    nowMs += 42_000;
    await setConditions({});
    expect((await submit(lostAck)).headers.get('Idempotent-Replayed')).toBe('true');

    expect(await report()).toMatchObject({
      drill: null,
      state: 'idle',
      lateAfterSeconds: 10,
      queries: { received: 4, distinctKeys: 3, executed: 3, duplicatesRefused: 1, keyReused: 0 },
      answers: { delivered: 2, undelivered: 1, late: 1, medianDelayMs: 0, maxDelayMs: 42_000 },
      lateAnswers: [{ idempotencyKey: lostAck, firstReceivedAt: '2026-11-23T10:00:00.000Z', deliveredAt: '2026-11-23T10:00:42.000Z', delayMs: 42_000 }],
    });
  });

  it('starts counting afresh with a drill and freezes its report when the drill stops', async () => {
    await start();
    await answered(crypto.randomUUID());
    const reports: DrillReport[] = [];
    messageSwitch.drills.onReport((final) => reports.push(final));
    await messageSwitch.drills.start(drill({ durationSeconds: 600, lateAfterSeconds: 30, steps: [{ at: 0, set: { latencyMs: 1 } }] }), 'test');
    await answered(crypto.randomUUID());
    await messageSwitch.drills.stop();
    await answered(crypto.randomUUID());

    expect(reports).toHaveLength(1);
    expect(await report()).toEqual(reports[0]);
    expect(reports[0]).toMatchObject({ drill: 'Under test', state: 'stopped', lateAfterSeconds: 30, queries: { received: 1, executed: 1 }, answers: { delivered: 1 } });
    expect(reports[0]!.endedAt).not.toBeNull();
  });
});

describe('the drill report drawing', () => {
  it("is drawn at the drill's end from the link it played, the switch's record and the trail the terminal uploaded", async () => {
    await start();
    const drawings: string[] = [];
    messageSwitch.drills.onReport((_final, drawing) => drawings.push(drawing.ok ? drawing.value : drawing.error));
    await messageSwitch.drills.start(drill({ durationSeconds: 600, steps: [{ at: 0, set: { latencyMs: 5 } }] }), 'test');
    const [hit, unseen] = [crypto.randomUUID(), crypto.randomUUID()];
    await answered(hit);
    await answered(unseen);
    await uploadTrail([
      ['query.enqueued', hit],
      ['query.answered', hit],
      ['alert.raised', `alert-${hit}`],
      ['alert.acknowledged', `alert-${hit}`],
    ]);
    await messageSwitch.drills.stop();

    expect(drawings).toHaveLength(1);
    const svg = drawings[0]!;
    expect(svg).toMatch(/^<\?xml/);
    expect(svg).toContain('<title>Latency 5 ms, 0:00 to 0:00</title>');
    expect(svg).toContain(`<title>Idempotency key ${hit}</title>`);
    for (const mark of ['Entered', 'Sent: reached the switch', 'Answered', 'Alerted', 'Acknowledged']) expect(svg).toMatch(new RegExp(`<title>${mark} 0:00`));
    // The trail holds nothing of the second query: when it was entered is not known, and the drawing says so.
    expect(svg).toContain(`<title>Idempotency key ${unseen}</title>`);
    expect(svg.match(/<title>Entered: not known/g)).toHaveLength(1);

    const served = await adminFetch(messageSwitch, `${adminUrl}${drillPaths.adminReportDrawing}`);
    expect(served.headers.get('Content-Type')).toBe('image/svg+xml; charset=utf-8');
    expect(served.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    expect(await served.text()).toBe(svg);
  });
});

describe('a restart step', () => {
  it('drops held connections, refuses new ones while down, and comes back on the same port with its executions kept', async () => {
    await start();
    const key = crypto.randomUUID();
    const first = await answered(key);
    const steps = [{ at: 0, set: { blackHole: true } }, { at: 0.5, restart: { downSeconds: 1 } }, { at: 1.5, set: { blackHole: false } }];
    await messageSwitch.drills.start(drill({ durationSeconds: 10, steps }), 'test');
    await vi.waitFor(() => expect(messageSwitch.conditions.current.blackHole).toBe(true), { timeout: 1000, interval: 5 });
    const held = failure(submit(crypto.randomUUID()));

    await vi.waitFor(async () => expect(await failure(fetch(`${url}${paths.health}`))).toBe('ECONNREFUSED'), { timeout: 2000, interval: 20 });
    expect(await held).not.toBe('answered');
    await vi.waitFor(async () => expect((await fetch(`${url}${paths.health}`, { signal: AbortSignal.timeout(200) })).status).toBe(200), { timeout: 3000, interval: 50 });
    const again = await submit(key);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(QueryAnswer.parse(await again.json()).queryId).toBe(first.queryId);
  });
});

describe('one slow source', () => {
  it('holds up only its own part of the answer', async () => {
    await start();
    await setConditions({ slowSource: { source: 'NCIC', extraMs: 400 } });
    const answer = await answered(crypto.randomUUID());
    const at = (source: string) => Date.parse(answer.parts.find((part) => part.source === source)!.answeredAt);
    expect(at('NCIC') - at('DMV')).toBeGreaterThanOrEqual(350);
    expect(Math.abs(at('SVS') - at('DMV'))).toBeLessThan(200);
  });
});
