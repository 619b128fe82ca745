// The reference switch over HTTPS: a client that trusts only the agency CA reaches it, others do not.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { request } from 'node:https';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paths } from '../../../src-shared/protocol.ts';
import { makeTestPki, type TestPki } from './support/test-pki.ts';
import { switchCommand } from '../../../scripts/switch-bundle.ts';

const LISTENING = /Outrider switch listening on (https:\/\/127\.0\.0\.1:\d+)/;

let pki: TestPki;
let child: ChildProcess;
let url: string;

function startSwitch(args: readonly string[]): Promise<{ child: ChildProcess; url: string }> {
  const started = spawn(process.execPath, [...switchCommand(), '--port', '0', '--data-size', '20', '--latency-scale', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  started.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    started.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = LISTENING.exec(stdout);
      if (match) resolve({ child: started, url: match[1]! });
    });
    started.once('exit', (code) => reject(new Error(`the switch exited (${code}): ${stderr.trim()}`)));
  });
}

/** GET over HTTPS trusting exactly `ca`; resolves with the status and body, or rejects with the TLS error. */
function getTrusting(ca: string, target: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(target, { ca, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    req.on('error', reject).end();
  });
}

beforeAll(async () => {
  pki = makeTestPki();
  writeFileSync(path.join(pki.dir, 'serve.pem'), pki.switchCert);
  writeFileSync(path.join(pki.dir, 'serve.key'), pki.switchKey);
  ({ child, url } = await startSwitch(['--tls-cert', path.join(pki.dir, 'serve.pem'), '--tls-key', path.join(pki.dir, 'serve.key')]));
}, 60_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }
  pki?.remove();
});

describe('the reference switch with --tls-cert and --tls-key', () => {
  it('announces an https address', () => {
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers a client whose only trust root is the agency CA', async () => {
    const { status, body } = await getTrusting(pki.agencyCa, `${url}${paths.health}`);
    expect(status).toBe(200);
    expect(JSON.parse(body)).toMatchObject({ status: 'ok' });
  });

  it('is refused by a client that trusts only another CA', async () => {
    await expect(getTrusting(pki.rogueCa, `${url}${paths.health}`)).rejects.toMatchObject({ code: expect.stringMatching(/CERT|SIGNATURE|VERIFY|ISSUER/) });
  });
});

describe('the switch CLI', () => {
  it('refuses a certificate without its key', async () => {
    const started = spawn(process.execPath, [...switchCommand(), '--port', '0', '--tls-cert', 'cert.pem'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    started.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(started, 'exit')) as [number];
    expect(code).toBe(2);
    expect(stderr).toMatch(/--tls-cert and --tls-key must be given together/);
    // Starting tsx on a busy machine can take seconds; nothing here waits on a timer.
  }, 60_000);
});
