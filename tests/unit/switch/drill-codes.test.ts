// Drill codes: the one-time code a training officer's authenticator would show, and the sign-in hint.
import { describe, expect, it } from 'vitest';
import { OfficerDirectory } from '../../../src-switch/auth/officer-directory.ts';
import { MemoryStore } from '../../../src-switch/store/memory-store.ts';
import { drillCode, drillCodes, drillSignInHint, findDrillOfficer } from '../../../src-switch/drill/drill-codes.ts';
import { DRILL_OFFICERS, type DrillOfficer } from '../../../src-switch/auth/drill-officers.ts';

const SALAS = DRILL_OFFICERS.find((officer) => officer.id === 'TRN105')!;

/** RFC 6238 appendix B's SHA-1 secret ("12345678901234567890" in base32); its 8-digit codes end in these 6. */
const RFC_OFFICER: DrillOfficer = { id: 'RFC6238', name: 'Test vector', unit: 'X', password: 'unused', totpSecret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' };

describe('drillCode', () => {
  it("gives RFC 6238's codes, leading zeros kept", () => {
    expect(drillCode(RFC_OFFICER, 59_000).code).toBe('287082');
    expect(drillCode(RFC_OFFICER, 1_111_111_109_000).code).toBe('081804');
    expect(drillCode(RFC_OFFICER, 1_234_567_890_000).code).toBe('005924');
  });

  it('counts the seconds left in the 30-second step, from 30 at its start down to 1', () => {
    const stepStart = 1_234_567_890_000;
    expect(drillCode(SALAS, stepStart).secondsLeft).toBe(30);
    expect(drillCode(SALAS, stepStart + 12_400).secondsLeft).toBe(18);
    expect(drillCode(SALAS, stepStart + 29_999).secondsLeft).toBe(1);
    expect(drillCode(SALAS, stepStart + 29_999).code).toBe(drillCode(SALAS, stepStart).code);
    expect(drillCode(SALAS, stepStart + 30_000).code).not.toBe(drillCode(SALAS, stepStart).code);
  });

  it('gives a code the switch accepts for that officer at that moment', async () => {
    const now = Date.parse('2026-11-23T08:00:10.000Z');
    const { officerId, code } = drillCode(SALAS, now);
    const directory = new OfficerDirectory(DRILL_OFFICERS, new MemoryStore());
    expect(officerId).toBe('TRN105');
    expect(await directory.check('TRN105', SALAS.password, code, new Date(now))).toMatchObject({ ok: true });
  });

  it("gives a code the switch refuses for another officer", async () => {
    const now = Date.parse('2026-11-23T08:00:10.000Z');
    const directory = new OfficerDirectory(DRILL_OFFICERS, new MemoryStore());
    const rivera = DRILL_OFFICERS[0]!;
    expect(await directory.check(rivera.id, rivera.password, drillCode(SALAS, now).code, new Date(now))).toMatchObject({ ok: false });
  });
});

describe('drillCodes', () => {
  it("lists every officer's code in the order given", () => {
    const now = Date.parse('2026-11-23T08:00:10.000Z');
    const codes = drillCodes(DRILL_OFFICERS, now);
    expect(codes.map((entry) => entry.officerId)).toEqual(DRILL_OFFICERS.map((officer) => officer.id));
    expect(codes[4]).toEqual(drillCode(SALAS, now));
    expect(codes.every((entry) => /^\d{6}$/.test(entry.code) && entry.secondsLeft === 20)).toBe(true);
  });
});

describe('findDrillOfficer', () => {
  it('finds an officer whatever the case and spacing of the ID typed', () => {
    expect(findDrillOfficer(DRILL_OFFICERS, ' trn105 ')).toBe(SALAS);
  });

  it('finds nobody for an ID outside the training directory', () => {
    expect(findDrillOfficer(DRILL_OFFICERS, 'TRN999')).toBeUndefined();
  });
});

describe('drillSignInHint', () => {
  it('names a training officer, their password and the command for the code', () => {
    expect(drillSignInHint({ drill: true })).toBe('Drill sign-in: officer TRN101, password drill-rivera-101, code: npm run drill-code -- TRN101');
    expect(drillSignInHint({ drill: true, officer: SALAS })).toBe('Drill sign-in: officer TRN105, password drill-salas-105, code: npm run drill-code -- TRN105');
  });

  it('is one line', () => {
    expect(drillSignInHint({ drill: true })).not.toMatch(/\n/);
  });

  it('says nothing outside drill mode, where officers and their passwords are real', () => {
    expect(drillSignInHint({ drill: false })).toBeUndefined();
    expect(drillSignInHint({ drill: false, officer: SALAS })).toBeUndefined();
  });
});
