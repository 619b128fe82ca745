// What each kind of query finds: the training hits over real HTTP, and the data set's records kept in step with the hotlist.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnswerPart, paths, QueryAnswer } from '../../../src-shared/protocol.ts';
import { type Query, validateQuery } from '../../../src-shared/queries.ts';
import { plateKey } from '../../../src-switch/records/data/plates.ts';
import { MessageSwitch } from '../../../src-switch/server.ts';
import { FAN_OUT, SimulatedSources } from '../../../src-switch/sources/simulated-sources.ts';
import { createSwitchData, hotlistKeys } from '../../../src-switch/records/switch-data.ts';
import { sessionsAt } from '../../support/switch-session.ts';

let messageSwitch: MessageSwitch;
let url: string;
let session: Record<string, string>;
beforeAll(async () => {
  messageSwitch = new MessageSwitch({ latencyScale: 0 });
  ({ url } = await messageSwitch.listen());
  session = await sessionsAt(url)('terminal-records-1');
});
afterAll(() => messageSwitch.close());

async function ask(input: object): Promise<AnswerPart[]> {
  const response = await fetch(`${url}${paths.queries}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID(), ...session },
    body: JSON.stringify({ query: input, askedAt: '2026-11-23T10:00:00.000Z' }),
  });
  expect(response.status).toBe(200);
  return QueryAnswer.parse(await response.json()).parts;
}
const found = (parts: AnswerPart[]) => parts.flatMap((part) => part.records.map((record) => ({ source: part.source, type: record.type, cautions: record.cautions })));

describe('training records over HTTP', () => {
  it.each([
    ['a stolen plate', { kind: 'plate', lic: '4TRN456', lis: 'CA' }, { source: 'SVS', type: 'stolen_plate' }],
    ['a stolen vehicle by VIN', { kind: 'vin', vin: '1FTEW1E5XJFA78900' }, { source: 'SVS', type: 'stolen_vehicle' }],
    ['the same vehicle by its plate', { kind: 'plate', lic: '4TRN789', lis: 'CA' }, { source: 'SVS', type: 'stolen_vehicle' }],
    ['a stolen gun', { kind: 'gun', ser: 'TRN1911', mak: 'COL' }, { source: 'NCIC', type: 'stolen_gun' }],
    ['a stolen article', { kind: 'article', ser: 'TRN5550001', typ: 'OCOMPUT' }, { source: 'NCIC', type: 'stolen_article' }],
    ['a missing person', { kind: 'person', nam: 'TRAINING, MISSING', dob: '2010-03-14', sex: 'F' }, { source: 'NCIC', type: 'missing_person' }],
    ['a protection order', { kind: 'person', nam: 'TRAINING, ORDER', dob: '1975-09-30', sex: 'M' }, { source: 'NCIC', type: 'protection_order' }],
    ['a violent caution', { kind: 'person', nam: 'TRAINING, VIOLENT', dob: '1985-04-04', sex: 'M' }, { source: 'WPS', type: 'wanted_person', cautions: ['violent'] }],
    ['an armed person by licence', { kind: 'person_oln', oln: 'T0000001', ols: 'CA' }, { source: 'WPS', type: 'wanted_person', cautions: ['armed_and_dangerous'] }],
    ['a suspended licence', { kind: 'licence', oln: 'T0000001', ols: 'CA' }, { source: 'DMV', type: 'driver_licence' }],
    ['a valid licence by name', { kind: 'licence_name', nam: 'TRAINING, CLEAN', dob: '1990-06-15', sex: 'F' }, { source: 'DMV', type: 'driver_licence' }],
  ])('answers %s', async (_name, query, expected) => {
    expect(found(await ask(query))).toContainEqual(expect.objectContaining(expected));
  });

  it('asks every source of the kind and says NOT ON FILE where there is nothing', async () => {
    const parts = await ask({ kind: 'gun', ser: 'NOSUCH1', mak: 'COL' });
    expect(parts.map((part) => part.source)).toEqual(FAN_OUT.gun);
    expect(parts[0]).toMatchObject({ status: 'not_on_file', records: [] });
    expect(parts[0]!.text).toContain('NOT ON FILE');
  });
});

describe('the data set behind the switch', () => {
  const data = createSwitchData({ seed: 9, size: 2_000, listId: 'rec' });
  const sources = new SimulatedSources({ latencyScale: 0, now: () => new Date('2026-11-23T10:00:00Z'), store: data.store });
  const run = async (input: object) => {
    const query = validateQuery(input);
    if (!query.ok) throw new Error(JSON.stringify(query.errors));
    const asked = query.value as Query;
    return found(await Promise.all(sources.sources(asked.kind).map((source) => sources.ask(source, asked))));
  };
  const stolen = data.dataset.stolenVehicles.find((s) => !s.plateOnly)!;
  const car = data.dataset.vehicles[stolen.vehicle]!;

  it('puts every stolen plate of the data set and of the training records on the hotlist', () => {
    expect(data.hotlist.has(plateKey(car.lis, car.lic))).toBe(true);
    expect(data.hotlist.has('CA:4TRN123')).toBe(true);
    expect(data.hotlist.has('CA:4TRN000')).toBe(false);
    expect(data.hotlist.size).toBe(data.dataset.stolenVehicles.length + 3);
  });

  it('finds a stolen vehicle by plate and by VIN, and neither once the hotlist says it is recovered', async () => {
    expect(await run({ kind: 'plate', lic: car.lic, lis: car.lis })).toContainEqual(expect.objectContaining({ type: 'stolen_vehicle' }));
    expect(await run({ kind: 'vin', vin: car.vin })).toContainEqual(expect.objectContaining({ type: 'stolen_vehicle' }));
    data.hotlist.update({ remove: [plateKey(car.lis, car.lic)] });
    expect(await run({ kind: 'plate', lic: car.lic, lis: car.lis })).toEqual([expect.objectContaining({ source: 'DMV', type: 'registration' })]);
    expect(await run({ kind: 'vin', vin: car.vin })).toEqual([expect.objectContaining({ type: 'registration' })]);
    data.hotlist.update({ add: [plateKey(car.lis, car.lic)] });
  });

  it('makes a plate a drill adds to the hotlist stolen when run live, too', async () => {
    expect(await run({ kind: 'plate', lic: 'DRILL42', lis: 'CA' })).not.toContainEqual(expect.objectContaining({ type: 'stolen_vehicle' }));
    data.hotlist.update({ add: ['CA:DRILL42'] });
    expect(await run({ kind: 'plate', lic: 'DRILL42', lis: 'CA' })).toContainEqual({ source: 'SVS', type: 'stolen_vehicle', cautions: [] });
  });

  it('keeps training answers whatever the hotlist says', async () => {
    data.hotlist.update({ remove: ['CA:4TRN123'], add: ['CA:4TRN000'] });
    expect(await run({ kind: 'plate', lic: '4TRN123', lis: 'CA' })).toContainEqual(expect.objectContaining({ type: 'stolen_vehicle' }));
    expect(await run({ kind: 'plate', lic: '4TRN000', lis: 'CA' })).toEqual([expect.objectContaining({ type: 'registration' })]);
  });

  it('finds a wanted person by name and by the licence they carry, and their licence status', async () => {
    const warrant = data.dataset.warrants.find((w) => data.dataset.people[w.person]!.licence)!;
    const person = data.dataset.people[warrant.person]!;
    const licence = person.licence!;
    const want = expect.objectContaining({ type: 'wanted_person', cautions: warrant.cautions });
    expect(await run({ kind: 'person', nam: person.nam, dob: person.dob, sex: person.sex })).toContainEqual(want);
    expect(await run({ kind: 'person_oln', oln: licence.oln, ols: licence.ols })).toContainEqual(want);
    expect(await run({ kind: 'licence', oln: licence.oln, ols: licence.ols })).toEqual([{ source: 'DMV', type: 'driver_licence', cautions: [] }]);
    expect(await run({ kind: 'licence_name', nam: person.nam, dob: person.dob, sex: person.sex })).toEqual([{ source: 'DMV', type: 'driver_licence', cautions: [] }]);
  });

  it('finds missing persons, protection orders, stolen guns and stolen articles in NCIC', async () => {
    const missing = data.dataset.people[data.dataset.missingPersons[0]!.person]!;
    const restrained = data.dataset.people[data.dataset.protectionOrders[0]!.person]!;
    const gun = data.dataset.stolenGuns[0]!;
    const article = data.dataset.stolenArticles[0]!;
    const inNcic = (type: string) => expect.objectContaining({ source: 'NCIC', type });
    expect(await run({ kind: 'person', nam: missing.nam, dob: missing.dob, sex: missing.sex })).toContainEqual(inNcic('missing_person'));
    expect(await run({ kind: 'person', nam: restrained.nam, dob: restrained.dob, sex: restrained.sex })).toContainEqual(inNcic('protection_order'));
    expect(await run({ kind: 'gun', ser: gun.ser, mak: gun.mak })).toContainEqual(inNcic('stolen_gun'));
    expect(await run({ kind: 'article', ser: article.ser, typ: article.typ })).toContainEqual(inNcic('stolen_article'));
  });

  it('pads the hotlist to a requested size without losing the data set or training plates', () => {
    const keys = hotlistKeys(data.dataset, 10_000);
    expect(keys.count).toBeGreaterThanOrEqual(10_000);
    expect(keys.indexOf(plateKey(car.lis, car.lic))).toBeGreaterThanOrEqual(0);
    expect(keys.indexOf('CA:4TRN456')).toBeGreaterThanOrEqual(0);
  });
});
