// Connections kept for reuse: one per database, reopened after an upgrade elsewhere, retried after a failed open.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { HeldConnections } from '../../../src-renderer/db/held-connections.ts';

const open = (name: string, version?: number) =>
  new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(name, version);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });

describe('held connections', () => {
  it('open a database once and hand the same connection to every caller', async () => {
    const held = new HeldConnections();
    let opened = 0;
    const counting = (name: string) => {
      opened++;
      return open(name);
    };
    const name = `held-${crypto.randomUUID()}`;
    const [a, b] = await Promise.all([held.get(name, counting), held.get(name, counting)]);
    expect(a).toBe(b);
    expect(opened).toBe(1);
    a.close();
  });

  it('let go of a connection another one upgrades, and open it again at the new version', async () => {
    const held = new HeldConnections();
    const name = `held-${crypto.randomUUID()}`;
    const first = await held.get(name, (each) => open(each));
    // Another connection upgrades the database: the held one must close, or the upgrade would be blocked.
    const upgraded = await open(name, first.version + 1);
    upgraded.close();
    const again = await held.get(name, (each) => open(each));
    expect(again).not.toBe(first);
    expect(again.version).toBe(first.version + 1);
    again.close();
  });

  it('keep no failed open: the next call tries again', async () => {
    const held = new HeldConnections();
    const name = `held-${crypto.randomUUID()}`;
    await expect(held.get(name, () => Promise.reject(new Error('The disk is full')))).rejects.toThrow('The disk is full');
    const connection = await held.get(name, (each) => open(each));
    expect(connection.name).toBe(name);
    connection.close();
  });
});
