// Where the car was, as a query and an audit line record it: the fix while it is current, else no fix and why,
// and a position the chain's hash covers, so it cannot be changed, added or taken away unseen.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { type AuditContent, chainHash, GENESIS, verifyChain, AuditRecord } from '../../../src-shared/audit-chain.ts';
import type { GpsStatus } from '../../../src-shared/gps.ts';
import { whereNow } from '../../../src-shared/where.ts';

const ENTER = Date.parse('2026-11-23T14:02:11.500Z');
const FIX = { lat: 34.0522351234, lon: -118.2436831234, speedMps: 0, fixTime: ENTER - 1_200, receivedAt: ENTER - 900, source: 'gpsd' as const };

describe('where the car is at Enter', () => {
  it('is the current fix, to six decimals, with the time the receiver took it', () => {
    expect(whereNow({ state: 'fix', source: 'gpsd', lastFix: FIX }, ENTER)).toEqual({ lat: 34.052235, lon: -118.243683, fixAt: '2026-11-23T14:02:10.300Z' });
  });

  it('is no fix, stale, once the fix was heard over 10 s ago, even if no stale push has come yet', () => {
    const late = ENTER + 10_000;
    expect(whereNow({ state: 'fix', source: 'gpsd', lastFix: FIX }, late)).toEqual({ noFix: 'stale' });
    expect(whereNow({ state: 'stale', source: 'gpsd', lastFix: FIX }, ENTER)).toEqual({ noFix: 'stale' });
  });

  it('says why there is no fix: the receiver has none, the source is unreachable or not yet heard, or there is no GPS', () => {
    const cases: Array<[GpsStatus | undefined, string]> = [
      [{ state: 'no-fix', source: 'nmea-udp', lastFix: FIX }, 'no-fix'],
      [{ state: 'unavailable', source: 'gpsd', detail: 'gpsd refused the connection' }, 'unavailable'],
      [undefined, 'unavailable'],
      [{ state: 'off', source: 'none', detail: 'no GPS source is set in the agency profile' }, 'off'],
      [{ state: 'off', source: 'geolocation' }, 'off'],
    ];
    for (const [status, noFix] of cases) expect(whereNow(status, ENTER), noFix).toEqual({ noFix });
  });
});

describe('where in the audit chain', () => {
  const line: AuditContent = { at: '2026-11-23T14:02:11.50Z', officer: 'TRN101', terminal: 'terminal-0001', action: 'query.enqueued', subject: 'q1', outcome: 'queued plate query, routine' };
  const here = { lat: 34.052235, lon: -118.243683, fixAt: '2026-11-23T14:02:10.300Z' };

  it('hashes a line without a position exactly as lines were hashed before positions, so those already kept still check', () => {
    const before = JSON.stringify([GENESIS, line.at, line.officer, line.terminal, line.action, line.subject, line.outcome]);
    expect(chainHash(GENESIS, line)).toBe(bytesToHex(sha256(utf8ToBytes(before))));
  });

  it('covers the position: moved, taken away, put on a line without one, or swapped for no fix, the hash differs', () => {
    const hashes = new Set([
      chainHash(GENESIS, line),
      chainHash(GENESIS, { ...line, where: here }),
      chainHash(GENESIS, { ...line, where: { ...here, lat: 34.052236 } }),
      chainHash(GENESIS, { ...line, where: { ...here, lon: -118.243684 } }),
      chainHash(GENESIS, { ...line, where: { ...here, fixAt: '2026-11-23T14:02:10.400Z' } }),
      chainHash(GENESIS, { ...line, where: { noFix: 'stale' } }),
      chainHash(GENESIS, { ...line, where: { noFix: 'off' } }),
    ]);
    expect(hashes.size).toBe(7);
    // Whatever order its keys come in, a position hashes the same: the switch parses what the terminal sent.
    expect(chainHash(GENESIS, { ...line, where: { fixAt: here.fixAt, lon: here.lon, lat: here.lat } })).toBe(chainHash(GENESIS, { ...line, where: here }));
  });

  it('chains old lines without a position and new lines with one, and finds a position changed afterwards', () => {
    const contents: AuditContent[] = [line, { ...line, where: here }, { ...line, action: 'session.lock', where: { noFix: 'no-fix' } }];
    let prev = GENESIS;
    const records = contents.map((content, index) => {
      const hash = chainHash(prev, content);
      const record = AuditRecord.parse({ seq: index + 1, ...content, prev, hash });
      prev = hash;
      return record;
    });
    expect(verifyChain(records)).toMatchObject({ ok: true });
    const moved = records.map((record) => (record.seq === 2 ? { ...record, where: { ...here, lat: 33.9 } } : record));
    expect(verifyChain(moved)).toEqual({ ok: false, seq: 2, reason: 'record 2 was changed after it was written' });
  });

  it('refuses a record whose position is not a position or a reason', () => {
    const record = { seq: 1, ...line, prev: GENESIS, hash: chainHash(GENESIS, line) };
    for (const where of [{ lat: 91, lon: 0, fixAt: here.fixAt }, { lat: 34, lon: -118 }, { noFix: 'lost' }, { noFix: 'off', lat: 1 }, {}]) {
      expect(AuditRecord.safeParse({ ...record, where }).success, JSON.stringify(where)).toBe(false);
    }
  });
});
