// The switch's secrets in files (the store key, the session key, the admin token): a real switch process refuses
// to start on one that other users may read or change, naming the file and the chmod that fixes it.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { switchCliSandbox } from '../../support/switch-cli.ts';

const sandbox = switchCliSandbox('outrider-secrets-');

/** A secret file as an administrator might have made it, with `mode`. */
function secret(name: string, content: Buffer | string, mode: number): string {
  mkdirSync(join(sandbox.folder(), 'data'), { recursive: true, mode: 0o700 });
  const file = join(sandbox.folder(), 'data', name);
  writeFileSync(file, content);
  chmodSync(file, mode);
  return file;
}

/** Runs the switch CLI until it exits, or until it says it listens (then it is stopped). */
async function runSwitch(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const spawned = sandbox.spawnSwitch(args);
  let stdout = '';
  let stderr = '';
  spawned.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (/Outrider switch listening/.test(stdout)) spawned.kill('SIGTERM');
  });
  spawned.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(spawned, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

const token = () => `${randomBytes(32).toString('base64url')}\n`;

describe.skipIf(process.platform === 'win32')('secret files the switch is given', () => {
  it('refuses a session key file every user may read, naming it and the fix, without starting', async () => {
    const file = secret('session.key', randomBytes(32), 0o644);
    const { code, stdout, stderr } = await runSwitch(['--store', 'memory', '--session-key-file', file]);
    expect(code).toBe(2);
    expect(stderr).toContain(`--session-key-file ${file} can be read by every user of this machine (mode 0644): make it the switch's alone with chmod 600 ${file}`);
    expect(stdout).not.toContain('Outrider switch listening');
  });

  it('refuses an admin token file its group may change', async () => {
    const file = secret('admin.token', token(), 0o660);
    const { code, stderr } = await runSwitch(['--store', 'memory', '--admin-token-file', file]);
    expect(code).toBe(2);
    expect(stderr).toContain(`--admin-token-file ${file} can be changed by its group (mode 0660)`);
  });

  it('refuses a store key file every user may read, and opens nothing', async () => {
    const key = secret('store.key', randomBytes(32), 0o604);
    const { code, stdout, stderr } = await runSwitch(['--store', `sqlite:${join(sandbox.folder(), 'data', 'switch.db')}`, '--store-key-file', key]);
    expect(code).not.toBe(0);
    expect(stderr).toContain(`the store key file ${key} can be read by every user of this machine (mode 0604)`);
    expect(stdout).not.toContain('Outrider switch listening');
  });

  it('starts with files only the switch, or its group reading, may use', async () => {
    const session = secret('session.key', randomBytes(32), 0o640);
    const admin = secret('admin.token', token(), 0o600);
    const key = secret('store.key', randomBytes(32), 0o600);
    const { stdout, stderr } = await runSwitch(['--store', `sqlite:${join(sandbox.folder(), 'data', 'switch.db')}`, '--store-key-file', key, '--session-key-file', session, '--admin-token-file', admin]);
    expect(stdout, stderr).toContain('Outrider switch listening');
  });
});
