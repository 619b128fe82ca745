// The switch keeps each terminal's hash-chained audit trail: over real HTTP, and on disk with auditDir.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditRecord, auditTime, chainHash, GENESIS } from '../../../src-shared/audit-chain.ts';
import { authPaths } from '../../../src-shared/auth.ts';
import { MessageSwitch } from '../../../src-switch/server.ts';
import { sessionsAt } from '../../support/switch-session.ts';

/** `count` records chained after `prev`, numbered from `from`, as a terminal writes them. */
function chain(terminal: string, count: number, { prev = GENESIS, from = 1, subject = 'q' } = {}): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (let seq = from; seq < from + count; seq++) {
    const content = { at: auditTime(new Date(Date.UTC(2026, 10, 23, 14, 5, seq))), officer: 'TRN101', terminal, action: 'query.enqueued', subject: `${subject}-${seq}`, outcome: 'queued plate query, routine' };
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
}

function auditClient(url: string, adminUrl: string) {
  const as = sessionsAt(url);
  return {
    async upload(terminal: string, records: AuditRecord[]) {
      const response = await fetch(`${url}${authPaths.audit}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(await as(terminal)) },
        body: JSON.stringify({ terminal, records }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    async kept(terminal: string): Promise<Kept> {
      return (await (await fetch(`${adminUrl}${authPaths.adminAudit}?terminal=${terminal}`)).json()) as Kept;
    },
  };
}

describe('audit keeping', () => {
  const messageSwitch = new MessageSwitch({ latencyScale: 0 });
  let client: ReturnType<typeof auditClient>;
  beforeAll(async () => {
    const { url, adminUrl } = await messageSwitch.listen();
    client = auditClient(url, adminUrl);
  });
  afterAll(() => messageSwitch.close());

  it('keeps a good chain and answers how far it holds it', async () => {
    const records = chain('terminal-good-0001', 3);
    expect(await client.upload('terminal-good-0001', records)).toEqual({ status: 200, body: { kept: 3, seq: 3, last: records[2]!.hash } });
    expect(await client.kept('terminal-good-0001')).toEqual({ terminal: 'terminal-good-0001', records, segments: 1 });
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
    expect(refused.body).toMatchObject({ error: 'chain', seq: 5, expected: records[3]!.hash });
    expect(refused.body.message).toMatch(/^record 5 .*changed/);
    expect((await client.kept(terminal)).records.map((record) => record.seq)).toEqual([1, 2, 3, 4]);
  });

  it('refuses a chain with a record removed, naming the record after the gap', async () => {
    const terminal = 'terminal-gap-00001';
    const records = chain(terminal, 5);
    await client.upload(terminal, records.slice(0, 2));
    const refused = await client.upload(terminal, [records[3]!, records[4]!]);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: 'chain', seq: 4, expected: records[1]!.hash });
    expect(refused.body.message).toMatch(/^record 4 does not follow/);
    expect((await client.kept(terminal)).records).toHaveLength(2);
  });

  it('refuses a first upload that does not start from GENESIS', async () => {
    const records = chain('terminal-late-0001', 3);
    expect((await client.upload('terminal-late-0001', records.slice(1))).body).toMatchObject({ error: 'chain', seq: 2, expected: GENESIS });
  });

  it('keeps a chain that starts again from GENESIS (the terminal was reset) as a new segment', async () => {
    const terminal = 'terminal-reset-001';
    const before = chain(terminal, 4);
    await client.upload(terminal, before);
    const after = chain(terminal, 2, { subject: 'after-reset' });
    expect(await client.upload(terminal, after)).toEqual({ status: 200, body: { kept: 2, seq: 2, last: after[1]!.hash } });
    const kept = await client.kept(terminal);
    expect(kept.records.map((record) => record.seq)).toEqual([1, 2, 3, 4, 1, 2]);
    expect(kept.segments).toBe(2);
  });

  it('refuses with 400 an upload carrying another terminal’s record, or no records', async () => {
    const mixed = [...chain('terminal-mixed-001', 1), ...chain('terminal-other-001', 1)];
    const refused = await client.upload('terminal-mixed-001', mixed);
    expect(refused).toMatchObject({ status: 400, body: { error: { code: 'invalid_audit', message: 'record 1 is from terminal terminal-other-001, not terminal-mixed-001' } } });
    expect((await client.upload('terminal-mixed-001', [])).status).toBe(400);
    expect((await client.kept('terminal-mixed-001')).records).toEqual([]);
  });
});

describe('audit keeping on disk (auditDir)', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'outrider-audit-')), 'audit');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const terminal = 'terminal-disk-0001';
  const records = chain(terminal, 4);

  it('writes each kept record as a JSON line, and a restarted switch goes on from the last one', async () => {
    const first = new MessageSwitch({ latencyScale: 0, auditDir: dir });
    try {
      const { url, adminUrl } = await first.listen();
      expect((await auditClient(url, adminUrl).upload(terminal, records.slice(0, 3))).status).toBe(200);
    } finally {
      await first.close();
    }
    const lines = readFileSync(join(dir, `${terminal}.jsonl`), 'utf8').trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual(records.slice(0, 3));

    const restarted = new MessageSwitch({ latencyScale: 0, auditDir: dir });
    try {
      const { url, adminUrl } = await restarted.listen();
      const client = auditClient(url, adminUrl);
      expect((await client.upload(terminal, records.slice(2))).body).toEqual({ kept: 1, seq: 4, last: records[3]!.hash });
      expect(await client.kept(terminal)).toMatchObject({ records, segments: 1 });
    } finally {
      await restarted.close();
    }
    expect(readFileSync(join(dir, `${terminal}.jsonl`), 'utf8').trimEnd().split('\n')).toHaveLength(4);
  });

  it('will not start on a trail changed where it lies, naming the line', () => {
    const file = join(dir, `${terminal}.jsonl`);
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[1] = JSON.stringify({ ...(JSON.parse(lines[1]!) as AuditRecord), outcome: 'nothing happened' });
    writeFileSync(file, lines.join('\n'));
    expect(() => new MessageSwitch({ latencyScale: 0, auditDir: dir })).toThrow(/terminal-disk-0001\.jsonl is damaged at line 2: record 2 does not match its hash/);
  });
});
