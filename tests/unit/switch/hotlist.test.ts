// The hotlist: packed storage, versions and deltas, and the snapshot/delta routes over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyHotlist, HotlistDelta, hotlistPaths, HotlistResponse, HotlistSnapshot, HotlistStatus } from '../../../src-shared/hotlist.ts';
import { generateHotlistPlates, Hotlist } from '../../../src-switch/records/data/hotlist.ts';
import { PackedKeys } from '../../../src-switch/records/data/packed-keys.ts';
import { registerHotlist, registerHotlistAdmin } from '../../../src-switch/protocol/hotlist-routes.ts';
import { MessageSwitch, type SwitchOptions } from '../../../src-switch/server.ts';
import { createSwitchData, type SwitchData } from '../../../src-switch/records/switch-data.ts';
import { sessionsAt } from '../../support/switch-session.ts';
import { adminFetch } from '../../support/admin-fetch.ts';

describe('packed plate keys', () => {
  it('sorts, drops duplicates and finds keys by binary search', () => {
    const keys = PackedKeys.from(['CA:B2', 'CA:A1', 'NV:Z9', 'CA:A1', 'CA:A']);
    expect([...keys]).toEqual(['CA:A', 'CA:A1', 'CA:B2', 'NV:Z9']);
    expect(keys.indexOf('CA:A1')).toBe(1);
    expect(keys.indexOf('CA:A12')).toBe(-1);
    expect(keys.indexOf('CA:1234567890')).toBe(-1);
  });

  it('merges additions and removals into a new sorted set', () => {
    const keys = PackedKeys.from(['CA:B', 'CA:D', 'CA:F']);
    expect([...keys.merge(new Set([1]), new Set(['CA:A', 'CA:E', 'CA:Z']))]).toEqual(['CA:A', 'CA:B', 'CA:E', 'CA:F', 'CA:Z']);
  });

  it('refuses a key that would not fit or would break the JSON', () => {
    expect(() => PackedKeys.from(['CA:12345678901'])).toThrow(RangeError);
    expect(() => PackedKeys.from(['CA:"X'])).toThrow(RangeError);
  });

  it('writes the keys as a JSON array straight from the bytes', () => {
    expect(JSON.parse(`[${Buffer.from(PackedKeys.from(['NV:1', 'CA:4TRN123']).jsonArrayBody()).toString()}]`)).toEqual(['CA:4TRN123', 'NV:1']);
  });
});

describe('hotlist versions and deltas', () => {
  const fresh = () => new Hotlist(['CA:AAA111', 'CA:BBB222', 'NV:CCC333'], { listId: 'test', now: () => new Date('2026-11-23T10:00:00Z') });

  it('starts at version 1 and makes a new version only for a real change', () => {
    const hotlist = fresh();
    expect(hotlist.version).toBe('test.1');
    expect(hotlist.update({ add: ['CA:AAA111'], remove: ['CA:NOPE'] })).toBe('test.1');
    expect(hotlist.update({ add: ['CA:DDD444'] })).toBe('test.2');
    expect(hotlist.has('CA:DDD444')).toBe(true);
    expect(hotlist.size).toBe(4);
  });

  it('gives the net change since a version, however many versions it spans', () => {
    const hotlist = fresh();
    hotlist.update({ add: ['CA:DDD444'], remove: ['CA:AAA111'] });
    hotlist.update({ remove: ['CA:DDD444', 'CA:BBB222'] });
    hotlist.update({ add: ['CA:AAA111', 'WA:EEE555'] });
    expect(hotlist.delta('test.1')).toMatchObject({ fromVersion: 'test.1', version: 'test.4', added: ['WA:EEE555'], removed: ['CA:BBB222'] });
    expect(hotlist.delta('test.2')).toMatchObject({ added: ['CA:AAA111', 'WA:EEE555'], removed: ['CA:BBB222', 'CA:DDD444'] });
    expect(hotlist.delta('test.4')).toMatchObject({ added: [], removed: [], count: 3 });
  });

  it('has no delta for a version it no longer keeps, from another list, or from the future', () => {
    const hotlist = new Hotlist(['CA:AAA111'], { listId: 'test', maxDeltaVersions: 2 });
    for (const plate of ['CA:X1', 'CA:X2', 'CA:X3']) hotlist.update({ add: [plate] });
    expect(hotlist.delta('test.1')).toBeUndefined();
    expect(hotlist.delta('test.2')).toMatchObject({ added: ['CA:X2', 'CA:X3'] });
    expect(hotlist.delta('other.2')).toBeUndefined();
    expect(hotlist.delta('test.9')).toBeUndefined();
  });

  it('keeps answering correctly after it compacts a large batch of changes', () => {
    const hotlist = new Hotlist(generateHotlistPlates(1, 20_000), { listId: 'big' });
    const before = hotlist.keys();
    const removed = before.slice(0, 12_000);
    hotlist.update({ remove: removed, add: ['CA:NEW1'] });
    expect(hotlist.size).toBe(8_001);
    expect(hotlist.has(removed[5]!)).toBe(false);
    expect(hotlist.has(before[15_000]!)).toBe(true);
    expect(applyHotlist({ version: 'big.1', plates: new Set(before) }, hotlist.delta('big.1')!).plates).toEqual(new Set(hotlist.keys()));
  });

  it('generates distinct plates reproducibly from a seed, never a training plate', () => {
    const plates = [...generateHotlistPlates(5, 10_000)];
    expect(plates).toHaveLength(10_000);
    expect(new Set(plates).size).toBe(10_000);
    expect(plates).toEqual([...generateHotlistPlates(5, 10_000)]);
    expect(plates.some((key) => key.slice(3).startsWith('4TRN'))).toBe(false);
  });
});

describe('hotlist routes', () => {
  const data = createSwitchData({ seed: 3, size: 200, hotlistExtra: 5_000, listId: 'http' });
  const { hotlist } = data;
  // The `data` option and the route registration belong to server.ts; until it wires them, the test does.
  const options: SwitchOptions & { data?: SwitchData } = { latencyScale: 0, data };
  const messageSwitch = new MessageSwitch(options);
  if (!messageSwitch.protocol.hasRoute({ method: 'GET', url: hotlistPaths.hotlist })) registerHotlist(messageSwitch.protocol, hotlist);
  if (!messageSwitch.admin.hasRoute({ method: 'POST', url: hotlistPaths.adminHotlist })) registerHotlistAdmin(messageSwitch.admin, hotlist);
  let url: string;
  let adminUrl: string;
  let session: Record<string, string>;
  beforeAll(async () => {
    ({ url, adminUrl } = await messageSwitch.listen());
    session = await sessionsAt(url)('terminal-hotlist-1');
  });
  afterAll(() => messageSwitch.close());

  const get = (query = '', headers: Record<string, string> = {}) => fetch(`${url}${hotlistPaths.hotlist}${query}`, { headers: { ...session, ...headers } });
  const change = (body: object) =>
    adminFetch(messageSwitch, `${adminUrl}${hotlistPaths.adminHotlist}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  it('serves the whole list as a snapshot, gzipped for a client that takes gzip', async () => {
    const response = await get('', { 'Accept-Encoding': 'gzip' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-encoding')).toBe('gzip');
    const snapshot = HotlistSnapshot.parse(await response.json());
    expect(snapshot).toMatchObject({ version: hotlist.version, count: hotlist.size });
    expect(snapshot.count).toBeGreaterThan(5_000);
    expect(snapshot.plates).toEqual([...snapshot.plates].sort());
    expect(snapshot.plates).toEqual(hotlist.keys());
  });

  it('answers a repeated request for an unchanged list with 304', async () => {
    const etag = (await get()).headers.get('etag')!;
    expect((await get('', { 'If-None-Match': etag })).status).toBe(304);
  });

  it('brings a cached list up to date with a delta after a drill changes it', async () => {
    const cached = applyHotlist(undefined, HotlistResponse.parse(await (await get()).json()));
    const recovered = hotlist.keys()[0]!;
    const status = HotlistStatus.parse(await (await change({ add: ['CA:DRILL1'], remove: [recovered] })).json());
    const delta = HotlistDelta.parse(await (await get(`?since=${cached.version}`)).json());
    expect(delta).toMatchObject({ fromVersion: cached.version, version: status.version, added: ['CA:DRILL1'], removed: [recovered] });
    expect(applyHotlist(cached, delta).plates).toEqual(new Set(hotlist.keys()));
  });

  it('sends the whole snapshot when it cannot answer from that version', async () => {
    const answer = HotlistResponse.parse(await (await get('?since=0ldrun.3')).json());
    expect(answer).toMatchObject({ kind: 'snapshot', version: hotlist.version, count: hotlist.size });
  });

  it('refuses a since that is not a version, naming the parameter', async () => {
    const response = await get('?since=yesterday');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_since', field: 'since' } });
  });

  it('refuses an admin change with a malformed plate, naming it', async () => {
    const response = await change({ add: ['CA 4TRN123'] });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_hotlist_change', field: 'add.0' } });
  });
});
