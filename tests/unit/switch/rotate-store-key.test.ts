// `npm run switch -- --rotate-store-key FILE`: a real switch process seals its whole store again under a new key
// and exits; the store then opens with the new key file only.
import { once } from 'node:events';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../../src-switch/store/sqlite-store.ts';
import { StoreKeyFile } from '../../../src-switch/store/store-key.ts';
import { switchCliSandbox } from '../../support/switch-cli.ts';

const sandbox = switchCliSandbox('outrider-rotate-');

/** Runs the switch CLI until it exits. */
async function runSwitch(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const spawned = sandbox.spawnSwitch(args);
  let stdout = '';
  let stderr = '';
  spawned.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  spawned.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(spawned, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

/** A SQLite store holding one record, sealed under a key file made for it, as a switch that ran leaves it. */
async function storeWithRecord() {
  const folder = join(sandbox.folder(), 'data');
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const file = join(folder, 'switch.db');
  const key = new StoreKeyFile(join(folder, 'store.key'));
  const store = await SqliteStore.open(file, key);
  await store.update('execution', 'key-1', () => ({ next: { plate: '4TRN123' }, result: undefined }));
  await store.close();
  return { file, key, args: ['--store', `sqlite:${file}`, '--store-key-file', key.file] };
}

describe('the switch CLI with --rotate-store-key', () => {
  it('seals the store again under a new key file it makes owner-only, says what to do, and exits 0', async () => {
    const { file, key, args } = await storeWithRecord();
    const next = join(sandbox.folder(), 'data', 'store-2027.key');
    const { code, stdout, stderr } = await runSwitch([...args, '--rotate-store-key', next]);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain(`sealed again under the key in ${next}:`);
    expect(stdout).toContain(`Start every node with --store-key-file ${next}`);
    expect(stdout).not.toContain('listening');
    expect(statSync(next).mode & 0o777).toBe(0o600);
    await expect(SqliteStore.open(file, key)).rejects.toThrow(`the store key in ${key.file} is not the key`);
    const reopened = await SqliteStore.open(file, new StoreKeyFile(next));
    try {
      expect(await reopened.get('execution', 'key-1')).toEqual({ plate: '4TRN123' });
    } finally {
      await reopened.close();
    }
  });

  it('refuses the key file the store is sealed with now, and a memory store, changing nothing', async () => {
    const { file, key, args } = await storeWithRecord();
    const same = await runSwitch([...args, '--rotate-store-key', key.file]);
    expect(same.code).toBe(2);
    expect(same.stderr).toContain(`--rotate-store-key ${key.file} holds the key the store is sealed with now`);
    const reopened = await SqliteStore.open(file, key);
    expect(await reopened.get('execution', 'key-1')).toEqual({ plate: '4TRN123' });
    await reopened.close();

    const memory = await runSwitch(['--store', 'memory', '--rotate-store-key', join(sandbox.folder(), 'new.key')]);
    expect(memory.code).toBe(2);
    expect(memory.stderr).toContain('the memory store keeps nothing on disk');
    expect(existsSync(join(sandbox.folder(), 'new.key'))).toBe(false);
  });
});
