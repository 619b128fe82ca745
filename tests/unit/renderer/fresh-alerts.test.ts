// What the alert dialog shows before the live query has re-read: alerts just stored appear, alerts just
// acknowledged go, at once; an acknowledgement that cannot be stored brings its alert back.
import { describe, expect, it } from 'vitest';
import { alertOnTop, FreshAlerts, mergePending } from '../../../src-renderer/alerts/fresh-alerts.svelte.ts';
import type { AlertRecord } from '../../../src-renderer/db/database.ts';

const alert = (id: string, severity: 'officer_safety' | 'hit', rank: number, answeredAt = '2026-11-23T14:00:00.000Z'): AlertRecord => ({
  id,
  queryId: `q-${id}`,
  severity,
  rank,
  title: severity === 'hit' ? 'STOLEN VEHICLE' : 'ARMED AND DANGEROUS',
  subject: 'Plate 4TRN123 (CA)',
  detail: '',
  cautions: [],
  sources: ['SVS'],
  askedAt: answeredAt,
  answeredAt,
  late: false,
  acknowledgedAt: 0,
});

describe('alerts acknowledged in this window', () => {
  it('leave the dialog at once, and the next alert takes their place before anything is stored', async () => {
    const fresh = new FreshAlerts();
    const stolen = alert('a', 'hit', 1);
    const wanted = alert('b', 'hit', 1, '2026-11-23T14:01:00.000Z');
    let store!: () => void;
    const written = new Promise<void>((resolve) => (store = resolve));
    const stored = fresh.acknowledge(stolen, () => written);
    // Storage has not answered: the live query still lists both.
    expect(mergePending([stolen, wanted], fresh.list, fresh.acknowledging).map((held) => held.id)).toEqual(['b']);
    store();
    await stored;
    // A read from before the acknowledgement was stored still hides it; the first read without it forgets it.
    fresh.settle([stolen, wanted]);
    expect(mergePending([stolen, wanted], fresh.list, fresh.acknowledging).map((held) => held.id)).toEqual(['b']);
    fresh.settle([wanted]);
    expect(fresh.acknowledging).toEqual({});
  });

  it('come back if the acknowledgement cannot be stored: the alert is still unacknowledged', async () => {
    const fresh = new FreshAlerts();
    const stolen = alert('a', 'hit', 1);
    await expect(fresh.acknowledge(stolen, () => Promise.reject(new Error('QuotaExceededError')))).rejects.toThrow('QuotaExceededError');
    expect(mergePending([stolen], fresh.list, fresh.acknowledging).map((held) => held.id)).toEqual(['a']);
  });

  it('show again when raised to a higher severity before the acknowledgement was read back', async () => {
    const fresh = new FreshAlerts();
    const hit = alert('a', 'hit', 1);
    await fresh.acknowledge(hit, async () => undefined);
    const raised = { ...hit, severity: 'officer_safety' as const, rank: 0, title: 'ARMED AND DANGEROUS' };
    fresh.add(raised);
    expect(mergePending([hit], fresh.list, fresh.acknowledging)).toEqual([raised]);
  });

  it('are stored at once, and folded into their alert only once an alert shown from memory is in storage', async () => {
    const fresh = new FreshAlerts();
    const stolen = alert('a', 'hit', 1);
    const order: string[] = [];
    let storeAlert!: () => void;
    fresh.storing(new Promise<void>((resolve) => (storeAlert = resolve)).then(() => void order.push('alert stored')));
    const acknowledged = fresh.acknowledge(
      stolen,
      async () => void order.push('acknowledgement stored'),
      async () => void order.push('acknowledgement folded in'),
    );
    // Hidden at once; stored without waiting for the alert's own write.
    expect(mergePending([], [stolen], fresh.acknowledging)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(order).toEqual(['acknowledgement stored']);
    expect(fresh.acknowledging).toEqual({ a: { rank: 1, stored: true } });
    storeAlert();
    await acknowledged;
    expect(order).toEqual(['acknowledgement stored', 'alert stored', 'acknowledgement folded in']);
  });
});

describe('the alert on top', () => {
  it('stays while the officer reads it, though a re-read orders another of its severity first', () => {
    const vehicle = alert('a', 'hit', 1, '2026-11-23T14:00:00.001Z');
    const plate = alert('b', 'hit', 1, '2026-11-23T14:00:00.002Z');
    const first = alertOnTop(mergePending([], [vehicle, plate]), undefined);
    expect(first?.id).toBe('a');
    // Read back from storage a millisecond earlier than memory had it, the plate now sorts first.
    const reread = mergePending([{ ...plate, answeredAt: '2026-11-23T14:00:00.000Z' }, vehicle], []);
    expect(reread[0]?.id).toBe('b');
    expect(alertOnTop(reread, first?.id)?.id).toBe('a');
  });

  it('gives way to a more severe alert, and to the next once it is acknowledged', () => {
    const stolen = alert('a', 'hit', 1);
    const armed = alert('b', 'officer_safety', 0, '2026-11-23T14:01:00.000Z');
    expect(alertOnTop([armed, stolen], 'a')?.id).toBe('b');
    expect(alertOnTop([stolen], 'b')?.id).toBe('a');
    expect(alertOnTop([], 'a')).toBeUndefined();
  });
});
