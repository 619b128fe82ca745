// The synthetic data set: reproducible from its seed, realistic in proportion, and every record something an officer can type.
import { describe, expect, it } from 'vitest';
import { validateQuery } from '../../../src-shared/queries.ts';
import { hasValidCheckDigit } from '../../../src-shared/vin.ts';
import { generateDataset } from '../../../src-switch/records/data/generate.ts';
import { REALISTIC_PROPORTIONS } from '../../../src-switch/records/data/proportions.ts';
import { TRAINING } from '../../../src-switch/records/training-records.ts';

const SIZE = 5_000;
const data = generateDataset(42, SIZE);

describe('the generated data set', () => {
  it('is the same for the same seed, and different for another', () => {
    expect(generateDataset(42, 500)).toEqual(generateDataset(42, 500));
    expect(generateDataset(43, 500).people).not.toEqual(generateDataset(42, 500).people);
  });

  it('does not drift with the clock: its dates are on or before the day it describes', () => {
    const dates = [
      ...data.people.map((p) => p.dob),
      ...data.stolenVehicles.map((s) => s.dot),
      ...data.warrants.map((w) => w.issued),
      ...data.missingPersons.map((m) => m.dlc),
    ];
    expect(dates.every((date) => date <= data.asOf)).toBe(true);
  });

  it('gives every vehicle a unique plate and a 17-character VIN with a valid check digit', () => {
    expect(new Set(data.vehicles.map((v) => `${v.lis}:${v.lic}`)).size).toBe(data.vehicles.length);
    expect(new Set(data.vehicles.map((v) => v.vin)).size).toBe(data.vehicles.length);
    const bad = data.vehicles.filter((v) => v.vin.length !== 17 || !hasValidCheckDigit(v.vin));
    expect(bad).toEqual([]);
  });

  it('holds every kind of record in the documented proportions', () => {
    const p = REALISTIC_PROPORTIONS;
    expect(data.vehicles.length).toBe(Math.round(SIZE * p.vehiclesPerPerson));
    expect(data.warrants).toHaveLength(Math.round(SIZE * p.warrantShare));
    expect(data.protectionOrders).toHaveLength(Math.round(SIZE * p.protectionOrderShare));
    expect(data.stolenGuns).toHaveLength(Math.round(SIZE * p.stolenGunsPerPerson));
    expect(data.stolenArticles).toHaveLength(Math.round(SIZE * p.stolenArticlesPerPerson));
    expect(data.missingPersons.length).toBeGreaterThanOrEqual(1);
    expect(data.stolenVehicles.some((s) => s.plateOnly)).toBe(true);
    expect(data.stolenVehicles.some((s) => !s.plateOnly)).toBe(true);
    const licensed = data.people.filter((person) => person.licence).length / SIZE;
    expect(licensed).toBeGreaterThan(0.6);
    expect(licensed).toBeLessThan(0.85);
    const home = data.vehicles.filter((v) => v.lis === 'CA').length / data.vehicles.length;
    expect(home).toBeGreaterThan(0.85);
  });

  it('flags some warrants with cautions and leaves most without', () => {
    const flagged = generateDataset(7, 5_000, { proportions: { warrantShare: 0.1, cautionShare: 0.1 } }).warrants.filter((w) => w.cautions.length > 0).length;
    expect(flagged).toBeGreaterThan(25);
    expect(flagged).toBeLessThan(80);
  });

  it('never collides with a training plate or licence', () => {
    expect(data.vehicles.some((v) => v.lic.startsWith('4TRN'))).toBe(false);
    expect(data.people.some((p) => p.licence?.oln.startsWith('T000') || p.nam.startsWith('TRAINING,'))).toBe(false);
  });

  it('holds only records that pass the query schemas, so each can be typed into the terminal', () => {
    const queries = [
      ...data.vehicles.map((v) => ({ kind: 'plate', lic: v.lic, lis: v.lis, liy: v.liy, lit: v.lit })),
      ...data.vehicles.map((v) => ({ kind: 'vin', vin: v.vin })),
      ...data.people.map((p) => ({ kind: 'person', nam: p.nam, dob: p.dob, sex: p.sex, rac: p.rac })),
      ...data.people.flatMap((p) => (p.licence ? [{ kind: 'licence', oln: p.licence.oln, ols: p.licence.ols }] : [])),
      ...data.stolenGuns.map((g) => ({ kind: 'gun', ser: g.ser, mak: g.mak, cal: g.cal, mod: g.mod })),
      ...data.stolenArticles.map((a) => ({ kind: 'article', ser: a.ser, typ: a.typ })),
    ];
    const refused = queries.map((query) => ({ query, result: validateQuery(query) })).filter(({ result }) => !result.ok);
    expect(refused).toEqual([]);
  });
});

describe('the training records', () => {
  it('are keyed by queries the terminal accepts', () => {
    const asQuery = (kind: string, key: string): object => {
      const [a, b, c] = key.split(/[:|]/);
      if (kind === 'plate') return { kind, lis: a, lic: b };
      if (kind === 'vin') return { kind, vin: key };
      if (kind === 'person' || kind === 'licence_name') return { kind, nam: a, dob: b, sex: c };
      if (kind === 'person_oln' || kind === 'licence') return { kind, ols: a, oln: b };
      return kind === 'gun' ? { kind, ser: a, mak: b } : { kind, ser: a, typ: b };
    };
    for (const [kind, index] of Object.entries(TRAINING)) {
      for (const key of Object.keys(index)) expect(validateQuery(asQuery(kind, key)), `${kind} ${key}`).toMatchObject({ ok: true });
    }
  });

  it('include one hit of every kind', () => {
    const types = new Set(Object.values(TRAINING).flatMap((index) => Object.values(index).flat().map((held) => held.record.type)));
    for (const type of ['stolen_vehicle', 'stolen_plate', 'wanted_person', 'missing_person', 'protection_order', 'stolen_gun', 'stolen_article'] as const) {
      expect(types).toContain(type);
    }
    const cautions = new Set(Object.values(TRAINING.person).flat().flatMap((held) => held.record.cautions));
    expect([...cautions].sort()).toEqual(['armed_and_dangerous', 'violent']);
  });
});
