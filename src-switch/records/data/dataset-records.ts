// Turns the generated data set into the records each source holds, indexed by what each kind of query matches on.
import { CAUTION_TEXT as CAUTION_WORDS } from '../../../src-shared/code-tables/index.ts';
import type { Source } from '../../../src-shared/protocol.ts';
import type { QueryKind } from '../../../src-shared/queries.ts';
import { type HeldRecord, record } from '../held-records.ts';
import catalogueJson from './catalogue.json' with { type: 'json' };
import type { Dataset, Person, Vehicle } from './dataset.ts';
import { plateKey } from './plates.ts';

export type RecordIndexes = Record<QueryKind, Map<string, HeldRecord[]>>;

/** How each kind of query is keyed, in the records and in the training tables. */
export const personKey = (p: { nam: string; dob: string; sex: string }) => `${p.nam}|${p.dob}|${p.sex}`;
export const olnKey = (ols: string, oln: string) => `${ols}:${oln}`;
export const serialKey = (ser: string, code: string) => `${ser}|${code}`;

const MAKE_NAMES = new Map(catalogueJson.makes.map((make) => [make.vma, make.name]));
const MODEL_NAMES = new Map(catalogueJson.makes.flatMap((make) => make.models.map(([code, name]) => [`${make.vma}/${code}`, name] as const)));
const COLOUR_NAMES = new Map(catalogueJson.colours.map(([code, name]) => [String(code), String(name)]));

function describeVehicle(v: Vehicle): string {
  return `${v.vyr} ${MAKE_NAMES.get(v.vma) ?? v.vma} ${MODEL_NAMES.get(`${v.vma}/${v.vmo}`) ?? v.vmo}, ${COLOUR_NAMES.get(v.vco) ?? v.vco}`;
}

function vehicleFields(v: Vehicle): Record<string, string> {
  return { LIC: v.lic, LIS: v.lis, LIY: v.liy, LIT: v.lit, VIN: v.vin, VMA: v.vma, VMO: v.vmo, VYR: v.vyr, VCO: v.vco };
}

const personFields = (p: Person) => ({ NAM: p.nam, DOB: p.dob, SEX: p.sex, RAC: p.rac });

/** Indexes every record of the data set; a record reachable two ways (plate and VIN, name and OLN) is one object. */
export function indexDataset(data: Dataset): RecordIndexes {
  const indexes: RecordIndexes = {
    plate: new Map(), vin: new Map(), person: new Map(), person_oln: new Map(),
    licence: new Map(), licence_name: new Map(), gun: new Map(), article: new Map(),
  };
  const add = (kind: QueryKind, key: string, held: HeldRecord) => {
    const list = indexes[kind].get(key);
    if (list) list.push(held);
    else indexes[kind].set(key, [held]);
  };
  // The agency's state system holds its own state's entries; everything else reaches the car through NCIC.
  const stateSource = (state: string): Source => (state === data.homeState ? 'SVS' : 'NCIC');

  for (const v of data.vehicles) {
    const owner = data.people[v.owner]!;
    const held: HeldRecord = { source: 'DMV', record: record('registration', `Registered owner ${owner.nam}; ${describeVehicle(v)}`, vehicleFields(v)) };
    add('plate', plateKey(v.lis, v.lic), held);
    add('vin', v.vin, held);
  }
  for (const s of data.stolenVehicles) {
    const v = data.vehicles[s.vehicle]!;
    const key = plateKey(v.lis, v.lic);
    const entry = { ORI: s.ori, OCA: s.oca, DOT: s.dot };
    if (s.plateOnly) {
      const fields = { LIC: v.lic, LIS: v.lis, LIY: v.liy, LIT: v.lit, ...entry };
      add('plate', key, { source: stateSource(v.lis), hotlistKey: key, record: record('stolen_plate', `STOLEN PLATE: ${v.lis} ${v.lic}, stolen ${s.dot}`, fields, [], s.nic) });
    } else {
      const held: HeldRecord = {
        source: stateSource(v.lis),
        hotlistKey: key,
        record: record('stolen_vehicle', `STOLEN VEHICLE: ${describeVehicle(v)}, stolen ${s.dot}`, { ...vehicleFields(v), ...entry }, [], s.nic),
      };
      add('plate', key, held);
      add('vin', v.vin, held);
    }
  }

  const addPersonRecord = (p: Person, held: HeldRecord) => {
    add('person', personKey(p), held);
    if (p.licence) add('person_oln', olnKey(p.licence.ols, p.licence.oln), held);
  };
  for (const w of data.warrants) {
    const p = data.people[w.person]!;
    const caution = w.cautions.length > 0 ? `. CAUTION: ${w.cautions.map((c) => CAUTION_WORDS[c]).join(', ')}` : '';
    const fields = { ...personFields(p), OFF: w.offence, WAR: w.level, ORI: w.ori, OCA: w.oca, DOW: w.issued };
    // Felony warrants are entered in NCIC (extraditable); misdemeanour ones stay in the state system. A simplification.
    addPersonRecord(p, {
      source: w.level === 'FELONY' ? 'NCIC' : 'WPS',
      record: record('wanted_person', `WANTED: ${w.level.toLowerCase()} warrant, ${w.offence.toLowerCase()}${caution}`, fields, [...w.cautions], w.nic),
    });
  }
  for (const m of data.missingPersons) {
    const p = data.people[m.person]!;
    const fields = { ...personFields(p), MNP: m.category, DLC: m.dlc, ORI: m.ori, OCA: m.oca };
    addPersonRecord(p, { source: 'NCIC', record: record('missing_person', `MISSING PERSON: ${m.category.toLowerCase()}, last contact ${m.dlc}`, fields, [...m.cautions], m.nic) });
  }
  for (const o of data.protectionOrders) {
    const p = data.people[o.person]!;
    const fields = { ...personFields(p), PPN: o.protectedName, EXP: o.expires, ORI: o.ori, OCA: o.oca };
    addPersonRecord(p, { source: 'NCIC', record: record('protection_order', `PROTECTION ORDER: no contact with ${o.protectedName}; expires ${o.expires}`, fields, [], o.nic) });
  }
  for (const p of data.people) {
    if (!p.licence) continue;
    const l = p.licence;
    const fields = { ...personFields(p), OLN: l.oln, OLS: l.ols, STATUS: l.status, CLASS: l.class, EXP: l.expires };
    const held: HeldRecord = { source: 'DMV', record: record('driver_licence', `DRIVER LICENCE ${l.status}: ${p.nam}, class ${l.class}`, fields) };
    add('licence', olnKey(l.ols, l.oln), held);
    add('licence_name', personKey(p), held);
  }
  for (const g of data.stolenGuns) {
    const fields = { SER: g.ser, MAK: g.mak, CAL: g.cal, MOD: g.mod, TYP: g.typ, ORI: g.ori, OCA: g.oca, DOT: g.dot };
    add('gun', serialKey(g.ser, g.mak), { source: 'NCIC', record: record('stolen_gun', `STOLEN GUN: make ${g.mak}, calibre ${g.cal}, model ${g.mod}, stolen ${g.dot}`, fields, [], g.nic) });
  }
  for (const a of data.stolenArticles) {
    const fields = { SER: a.ser, TYP: a.typ, BRA: a.brand, ORI: a.ori, OCA: a.oca, DOT: a.dot };
    add('article', serialKey(a.ser, a.typ), { source: 'NCIC', record: record('stolen_article', `STOLEN ARTICLE: ${a.typ}, brand ${a.brand}, stolen ${a.dot}`, fields, [], a.nic) });
  }
  return indexes;
}
