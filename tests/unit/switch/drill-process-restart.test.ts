// `npm run switch -- --drill FILE` on SQLite: a restart step kills the real switch process and its supervisor starts
// another on the same ports, which carries on with the drill: officers stay signed in, a resend gets its first
// answer, and one report covers both processes. On the memory store the same step restarts the listener only.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bearer } from '../../../src-shared/auth.ts';
import { DrillReport, drillPaths, DrillStatus } from '../../../src-shared/drill.ts';
import { IDEMPOTENCY_HEADER, paths, QueryAnswer } from '../../../src-shared/protocol.ts';
import { SwitchProcess } from '../../../scripts/switch-process.ts';
import { signInAt } from '../../support/switch-session.ts';

let dir: string;
let switchProcess: SwitchProcess | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'outrider-process-restart-'));
});
afterEach(async () => {
  await switchProcess?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Writes a drill file whose only restart step is at `at` seconds, down for `downSeconds`. */
function drillFile(name: string, at: number, downSeconds: number, durationSeconds: number): string {
  const file = join(dir, `${name}.json`);
  const steps = [{ at: 0, set: { latencyMs: 0 } }, { at, restart: { downSeconds } }, { at: at + downSeconds, set: { jitterMs: 0 } }];
  writeFileSync(file, JSON.stringify({ name, description: 'A restart step under test', durationSeconds, steps }));
  return file;
}

/** The admin status, or undefined while no switch process answers on the admin port (one is starting). */
async function drillStatus(node: SwitchProcess): Promise<DrillStatus | undefined> {
  try {
    return DrillStatus.parse(await (await node.adminFetch(drillPaths.adminDrill)).json());
  } catch {
    return undefined;
  }
}

/** Waits for the admin status to satisfy `until`, over a restart and however long the class's machine takes. */
async function statusWhen(node: SwitchProcess, until: (status: DrillStatus) => boolean): Promise<DrillStatus> {
  return vi.waitFor(
    async () => {
      const status = await drillStatus(node);
      if (!status || !until(status)) throw new Error(`the drill status is not there yet: ${JSON.stringify(status)}`);
      return status;
    },
    { timeout: 60_000, interval: 100 },
  );
}

const plate = JSON.stringify({ query: { kind: 'plate', lic: '4TRN123', lis: 'CA' }, askedAt: new Date().toISOString() });
const query = (url: string, session: Record<string, string>, key: string) =>
  fetch(`${url}${paths.queries}`, { method: 'POST', headers: { 'Content-Type': 'application/json', [IDEMPOTENCY_HEADER]: key, ...session }, body: plate });

describe('a restart step', () => {
  it('kills the SQLite switch process and resumes the drill in a new one on the same ports, with one report for both', async () => {
    const reportFile = join(dir, 'report.json');
    const node = (switchProcess = new SwitchProcess(0, ['--latency-scale', '0', '--data-size', '50', '--drill', drillFile('Process restart', 2, 1.5, 9), '--report', reportFile]));
    await node.start();
    const before = await statusWhen(node, (status) => status.state === 'running');
    expect(before.restartMode).toEqual({ kind: 'process', reason: 'SQLite store' });
    expect(before.process.pid).toBe(node.pid);

    const session = bearer((await signInAt(node.url, 'terminal-restart-01')).token);
    const [beforeKey, afterKey] = [crypto.randomUUID(), crypto.randomUUID()];
    const first = QueryAnswer.parse(await (await query(node.url, session, beforeKey)).json());
    // Asked of the first process: the restart step is still to come.
    expect((await drillStatus(node))?.process.pid).toBe(before.process.pid);

    const after = await statusWhen(node, (status) => status.process.pid !== before.process.pid && !status.restarting);
    expect(after).toMatchObject({ state: 'running', restartMode: { kind: 'process' } });
    expect(node.pid).toBe(after.process.pid);

    // The same URL and token: the same port, and a session the store kept.
    const resent = await query(node.url, session, beforeKey);
    expect(resent.status).toBe(200);
    expect(resent.headers.get('Idempotent-Replayed')).toBe('true');
    expect(QueryAnswer.parse(await resent.json())).toEqual(first);
    expect((await query(node.url, session, afterKey)).status).toBe(200);
    expect((await node.stats()).byKey).toEqual({ [beforeKey]: 1, [afterKey]: 1 });

    await statusWhen(node, (status) => status.state === 'ended');
    const report = DrillReport.parse(await (await node.adminFetch(drillPaths.adminReport)).json());
    expect(report).toMatchObject({
      drill: 'Process restart',
      state: 'ended',
      queries: { received: 3, distinctKeys: 2, executed: 2, duplicatesRefused: 1 },
      answers: { delivered: 2, undelivered: 0 },
      restarts: [{ step: 1, kind: 'process', atSeconds: 2, pidBefore: before.process.pid, pidAfter: after.process.pid }],
    });
    // Steps keep to the drill's schedule from its start (a step fired late under load does not push the rest later):
    // down no sooner than 2 s in, and back no sooner than 2 + 1.5 s in, whichever process brought it back.
    const { backAt, at } = report.restarts[0]!;
    const startedMs = Date.parse(report.startedAt);
    expect(Date.parse(at)).toBeGreaterThanOrEqual(startedMs + 2_000);
    expect(Date.parse(backAt!)).toBeGreaterThanOrEqual(startedMs + 3_500);
    expect(JSON.parse(readFileSync(reportFile, 'utf8'))).toEqual(report);
  }, 90_000);

  it('restarts the listener only on the memory store, in the same process, and says so', async () => {
    const node = (switchProcess = new SwitchProcess(0, ['--store', 'memory', '--latency-scale', '0', '--data-size', '50', '--drill', drillFile('Listener restart', 0.5, 0.5, 1.5), '--report', join(dir, 'memory.json')]));
    await node.start();
    const status = await statusWhen(node, (current) => current.state === 'ended');
    expect(status.restartMode).toEqual({ kind: 'listener', reason: 'memory store' });
    expect(status.process.pid).toBe(node.pid);
    const report = DrillReport.parse(await (await node.adminFetch(drillPaths.adminReport)).json());
    expect(report.restarts).toMatchObject([{ kind: 'listener', pidBefore: node.pid, pidAfter: node.pid }]);
    expect(report.restarts[0]!.backAt).not.toBeNull();
  });
});
