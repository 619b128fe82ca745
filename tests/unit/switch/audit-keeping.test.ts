// The switch keeps each terminal's hash-chained audit trail: over real HTTP, and on disk with auditDir.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditChainRefusal, type AuditRecord, auditTime, CHAIN_RESTART, chainHash, GENESIS } from '../../../src-shared/audit-chain.ts';
import { authPaths, bearer } from '../../../src-shared/auth.ts';
import type { Where } from '../../../src-shared/where.ts';
import { DRILL_OFFICERS, traineeOfficers } from '../../../src-switch/auth/drill-officers.ts';
import { MessageSwitch } from '../../../src-switch/server.ts';
import { restedOfficer } from '../../support/sign-in.ts';
import { sessionsAt, signInAt } from '../../support/switch-session.ts';
import { adminFetch } from '../../support/admin-fetch.ts';

/**
 * `count` records chained after `prev`, numbered from `from`, as a terminal writes them; by nobody unless `officer`,
 * and with no position unless `where`.
 */
function chain(terminal: string, count: number, { prev = GENESIS, from = 1, subject = 'q', officer = '', action = 'query.enqueued', where = undefined as Where | undefined } = {}): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (let seq = from; seq < from + count; seq++) {
    const content = {
      at: auditTime(new Date(Date.UTC(2026, 10, 23, 14, 5, seq))),
      officer,
      terminal,
      action,
      subject: `${subject}-${seq}`,
      outcome: 'queued plate query, routine',
      ...(where ? { where } : {}),
    };
    const hash = chainHash(prev, content);
    records.push({ seq, ...content, prev, hash });
    prev = hash;
  }
  return records;
}

interface Kept {
  terminal: string;
  records: AuditRecord[];
  segments: number;
  restarts: Array<{ terminal: string; seq: number; afterSeq: number; message: string }>;
}

/**
 * Every terminal of this file signs in once, and the switch accepts each officer's time step once: twelve
 * training officers' codes run out within a step, and the next sign-in would wait up to 30 s for a step not
 * used yet (longer than a test may take). Trainees enough that none waits.
 */
const OFFICERS = [...DRILL_OFFICERS, ...traineeOfficers(12)];

function auditClient(url: string, adminUrl: string, holder: { adminToken: string }) {
  const as = sessionsAt(url, OFFICERS);
  return {
    async upload(terminal: string, records: AuditRecord[], session?: Record<string, string>) {
      const response = await fetch(`${url}${authPaths.audit}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(session ?? (await as(terminal))) },
        body: JSON.stringify({ terminal, records }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    async kept(terminal: string): Promise<Kept> {
      return (await (await adminFetch(holder, `${adminUrl}${authPaths.adminAudit}?terminal=${terminal}`)).json()) as Kept;
    },
    async securityEvents(): Promise<Array<{ kind: string; terminal?: string; message: string }>> {
      return (await (await adminFetch(holder, `${adminUrl}${authPaths.adminSecurityEvents}`)).json()) as Array<{ kind: string; terminal?: string; message: string }>;
    },
  };
}

describe('audit keeping', () => {
  const messageSwitch = new MessageSwitch({ latencyScale: 0, officers: OFFICERS });
  let client: ReturnType<typeof auditClient>;
  let url: string;
  beforeAll(async () => {
    const addresses = await messageSwitch.listen();
    url = addresses.url;
    client = auditClient(url, addresses.adminUrl, messageSwitch);
  });
  afterAll(() => messageSwitch.close());

  it('keeps a good chain and answers how far it holds it', async () => {
    const records = chain('terminal-good-0001', 3);
    expect(await client.upload('terminal-good-0001', records)).toEqual({ status: 200, body: { kept: 3, seq: 3, last: records[2]!.hash } });
    expect(await client.kept('terminal-good-0001')).toEqual({ terminal: 'terminal-good-0001', records, segments: 1, restarts: [] });
  });

  it('skips what it already holds, so a resend after a lost receipt keeps nothing twice', async () => {
    const records = chain('terminal-resend-01', 5);
    await client.upload('terminal-resend-01', records.slice(0, 3));
    expect(await client.upload('terminal-resend-01', records.slice(0, 3))).toEqual({ status: 200, body: { kept: 0, seq: 3, last: records[2]!.hash } });
    expect((await client.upload('terminal-resend-01', records)).body).toEqual({ kept: 2, seq: 5, last: records[4]!.hash });
    expect((await client.kept('terminal-resend-01')).records).toEqual(records);
  });

  it('refuses a changed record with 409 naming it, keeping what came before it in the upload and nothing after', async () => {
    const terminal = 'terminal-changed-1';
    const records = chain(terminal, 6);
    await client.upload(terminal, records.slice(0, 3));
    const changed = { ...records[4]!, outcome: 'no query was made' };
    const refused = await client.upload(terminal, [records[3]!, changed, records[5]!]);
    expect(refused.status).toBe(409);
    expect(AuditChainRefusal.parse(refused.body)).toMatchObject({ error: { code: 'chain', message: expect.stringMatching(/^record 5 .*changed/) }, seq: 5, expected: records[3]!.hash, expectedSeq: 5 });
    expect((await client.kept(terminal)).records.map((record) => record.seq)).toEqual([1, 2, 3, 4]);
  });

  it('keeps where the car was on each record, after records written without it, and refuses a position changed on the way', async () => {
    const terminal = 'terminal-where-001';
    const here: Where = { lat: 34.052235, lon: -118.243683, fixAt: '2026-11-23T14:02:10.300Z' };
    const before = chain(terminal, 2);
    const placed = chain(terminal, 2, { prev: before[1]!.hash, from: 3, where: here });
    const [unplaced] = chain(terminal, 1, { prev: placed[1]!.hash, from: 5, where: { noFix: 'stale' } });
    expect((await client.upload(terminal, [...before, placed[0]!])).status).toBe(200);
    // A record whose position was moved, that claims a fix it never had, or that lost its no fix, no longer matches its hash.
    const { where: _dropped, ...stripped } = unplaced!;
    const forgeries = [[{ ...placed[1]!, where: { ...here, lat: 34.1 } }], [placed[1]!, { ...unplaced!, where: here }], [stripped]];
    for (const [index, forged] of forgeries.entries()) {
      const seq = index === 0 ? 4 : 5;
      expect((await client.upload(terminal, forged)).body).toMatchObject({ error: { code: 'chain', message: expect.stringMatching(new RegExp(`^record ${seq} .*changed`)) }, seq });
    }
    expect((await client.upload(terminal, [{ ...unplaced!, where: { noFix: 'lost' } as unknown as Where }])).body).toMatchObject({ error: { code: 'invalid_audit' } });
    expect((await client.upload(terminal, [unplaced!])).status).toBe(200);
    expect((await client.kept(terminal)).records).toEqual([...before, ...placed, unplaced]);
  });

  it('refuses a chain with records removed, naming the seq it expects, even when the hash is re-chained over the gap', async () => {
    const terminal = 'terminal-gap-00001';
    const records = chain(terminal, 5);
    expect((await client.upload(terminal, records)).status).toBe(200);
    // Record 9 computed on record 5's hash: the chain of hashes holds, records 6-8 are missing.
    const [ninth] = chain(terminal, 1, { prev: records[4]!.hash, from: 9 });
    const refused = await client.upload(terminal, [ninth!]);
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({ error: { code: 'chain', message: 'record 9 does not follow record 5, the last held: send from record 6' }, seq: 9, expected: records[4]!.hash, expectedSeq: 6 });
    expect((await client.kept(terminal)).records).toHaveLength(5);
  });

  it('refuses a record that does not chain to the last held, naming what it expects', async () => {
    const terminal = 'terminal-fork-00001';
    const records = chain(terminal, 3);
    await client.upload(terminal, records.slice(0, 2));
    const [forked] = chain(terminal, 1, { prev: records[0]!.hash, from: 3, subject: 'forged' });
    expect((await client.upload(terminal, [forked!])).body).toMatchObject({ error: { code: 'chain' }, seq: 3, expected: records[1]!.hash, expectedSeq: 3 });
  });

  it('keeps a new chain a terminal began after finding its own broken, flagging the records that stay there', async () => {
    const terminal = 'terminal-broke-001';
    const records = chain(terminal, 4);
    await client.upload(terminal, records);
    // Records 5-7 did not chain on the terminal; record 8 is its restart line, from GENESIS, and 9 follows it.
    const restarted = [...chain(terminal, 1, { from: 8, action: CHAIN_RESTART, subject: 'records 5-7' }), ...chain(terminal, 1, { from: 9 })];
    restarted[1] = { ...restarted[1]!, prev: restarted[0]!.hash, hash: chainHash(restarted[0]!.hash, restarted[1]!) };
    expect(await client.upload(terminal, restarted)).toEqual({ status: 200, body: { kept: 2, seq: 9, last: restarted[1]!.hash } });
    const kept = await client.kept(terminal);
    expect(kept.records.map((record) => record.seq)).toEqual([1, 2, 3, 4, 8, 9]);
    expect(kept.restarts).toEqual([
      expect.objectContaining({ seq: 8, afterSeq: 4, message: expect.stringMatching(/the terminal found its chain broken and began a new one at record 8 after record 4; records 5-7 stay on the terminal, for IT$/) }),
    ]);
    expect(await client.securityEvents()).toContainEqual(expect.objectContaining({ kind: 'audit_restarted', terminal }));
  });

  it('refuses a chain from GENESIS past record 1 that is not a restart line, and a restart line over records held', async () => {
    const terminal = 'terminal-broke-002';
    await client.upload(terminal, chain(terminal, 4));
    const plain = await client.upload(terminal, chain(terminal, 1, { from: 6 }));
    expect(plain).toMatchObject({ status: 409, body: { error: { code: 'chain' }, seq: 6, expectedSeq: 5 } });
    const over = await client.upload(terminal, chain(terminal, 1, { from: 3, action: CHAIN_RESTART, subject: 'records 3-4' }));
    expect(over).toMatchObject({ status: 409, body: { error: { code: 'chain' }, seq: 3, expectedSeq: 5 } });
    expect((await client.kept(terminal)).records.map((record) => record.seq)).toEqual([1, 2, 3, 4]);
  });

  it('keeps a chain that starts again from GENESIS as a new segment, and flags it to the administrator', async () => {
    const terminal = 'terminal-reset-001';
    const before = chain(terminal, 4);
    await client.upload(terminal, before);
    const after = chain(terminal, 2, { subject: 'after-reset' });
    expect(await client.upload(terminal, after)).toEqual({ status: 200, body: { kept: 2, seq: 2, last: after[1]!.hash } });
    const kept = await client.kept(terminal);
    expect(kept.records.map((record) => record.seq)).toEqual([1, 2, 3, 4, 1, 2]);
    expect(kept.segments).toBe(2);
    expect(kept.restarts).toEqual([expect.objectContaining({ terminal, seq: 1, afterSeq: 4, message: expect.stringMatching(/^Trail restarted on terminal terminal-reset-001 at .*after record 4/) })]);
    expect(await client.securityEvents()).toContainEqual(expect.objectContaining({ kind: 'audit_restarted', terminal }));
  });

  it('keeps a first upload that starts past record 1, flagging the records it never received', async () => {
    const records = chain('terminal-late-0001', 3);
    expect((await client.upload('terminal-late-0001', records.slice(1))).status).toBe(200);
    expect((await client.kept('terminal-late-0001')).restarts).toEqual([expect.objectContaining({ seq: 2, afterSeq: 0, message: expect.stringContaining('records 1-1 never reached this switch') })]);
  });

  it('refuses with 403 an upload carrying another terminal’s record, and with 400 one carrying none', async () => {
    const mixed = [...chain('terminal-mixed-001', 1), ...chain('terminal-other-001', 1)];
    const refused = await client.upload('terminal-mixed-001', mixed);
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'audit_terminal', message: "record 1 is from terminal terminal-other-001, not terminal-mixed-001, the session's" } } });
    expect((await client.upload('terminal-mixed-001', [])).status).toBe(400);
    expect((await client.kept('terminal-mixed-001')).records).toEqual([]);
  });

  it("refuses a record in the name of an officer who never signed in on the terminal; keeps the officer's own, a failed sign-in's and an earlier shift's", async () => {
    const terminal = 'terminal-names-001';
    // The officers rested longest, so neither waits for a one-time code not used yet.
    const rivera = restedOfficer(url, OFFICERS);
    const riveraSession = bearer((await signInAt(url, terminal, rivera)).token);
    const chen = restedOfficer(url, OFFICERS);
    const own = chain(terminal, 2, { officer: rivera.id });
    expect((await client.upload(terminal, own, riveraSession)).status).toBe(200);
    const [forged] = chain(terminal, 1, { officer: chen.id, prev: own[1]!.hash, from: 3 });
    const refused = await client.upload(terminal, [forged!], riveraSession);
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'audit_officer', message: expect.stringContaining(`names officer ${chen.id}, who has not signed in on ${terminal}`) } } });
    const [attempt] = chain(terminal, 1, { officer: chen.id, action: 'session.signin_failed', prev: own[1]!.hash, from: 3 });
    expect((await client.upload(terminal, [attempt!], riveraSession)).status).toBe(200);
    // Chen takes over the terminal: the tail of Rivera's shift still goes up, under Chen's session.
    const chenSession = bearer((await signInAt(url, terminal, chen)).token);
    const tail = chain(terminal, 2, { officer: rivera.id, prev: attempt!.hash, from: 4 });
    expect((await client.upload(terminal, tail, chenSession)).status).toBe(200);
    expect((await client.kept(terminal)).records.map((record) => record.officer)).toEqual([rivera.id, rivera.id, chen.id, rivera.id, rivera.id]);
  });
});

describe('audit keeping on disk (auditDir)', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'outrider-audit-')), 'audit');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const terminal = 'terminal-disk-0001';
  const records = chain(terminal, 4);

  it('writes each kept record as a JSON line, and a restarted switch goes on from the last one', async () => {
    const first = new MessageSwitch({ latencyScale: 0, auditDir: dir, officers: OFFICERS });
    try {
      const { url, adminUrl } = await first.listen();
      expect((await auditClient(url, adminUrl, first).upload(terminal, records.slice(0, 3))).status).toBe(200);
    } finally {
      await first.close();
    }
    const lines = readFileSync(join(dir, `${terminal}.jsonl`), 'utf8').trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual(records.slice(0, 3));

    const restarted = new MessageSwitch({ latencyScale: 0, auditDir: dir, officers: OFFICERS });
    try {
      const { url, adminUrl } = await restarted.listen();
      const client = auditClient(url, adminUrl, restarted);
      expect((await client.upload(terminal, records.slice(2))).body).toEqual({ kept: 1, seq: 4, last: records[3]!.hash });
      expect(await client.kept(terminal)).toMatchObject({ records, segments: 1, restarts: [] });
    } finally {
      await restarted.close();
    }
    expect(readFileSync(join(dir, `${terminal}.jsonl`), 'utf8').trimEnd().split('\n')).toHaveLength(4);
  });

  it('will not start on a trail changed where it lies, naming the line', async () => {
    const file = join(dir, `${terminal}.jsonl`);
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[1] = JSON.stringify({ ...(JSON.parse(lines[1]!) as AuditRecord), outcome: 'nothing happened' });
    writeFileSync(file, lines.join('\n'));
    await expect(new MessageSwitch({ latencyScale: 0, auditDir: dir, officers: OFFICERS }).listen()).rejects.toThrow(/terminal-disk-0001\.jsonl is damaged at line 2: record 2 does not match its hash/);
  });
});
