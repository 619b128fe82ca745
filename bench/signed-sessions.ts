// Sessions for simulated terminals, signed with a switch node's session key (`--session-key-file`) as its sign-in
// signs them: a sign-in is a password check (scrypt, about 50 ms of the switch's CPU), and hundreds or thousands
// of them would be most of a figure that measures queries, not sign-ins.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bearer } from '../src-shared/auth.ts';
import { SessionTokens } from '../src-switch/auth/session-tokens.ts';
import { MemoryStore } from '../src-switch/store/memory-store.ts';

/** Trainee ids a session may name (TRN1001 up), cycled through. */
const TRAINEES = 900;
const SHIFT_MS = 12 * 3_600_000;

export class SignedSessions {
  /** The key file to start each node with: every node given it accepts these sessions. */
  readonly keyFile: string;
  readonly #dir: string;
  readonly #tokens: SessionTokens;

  constructor() {
    this.#dir = mkdtempSync(join(tmpdir(), 'outrider-bench-sessions-'));
    this.keyFile = join(this.#dir, 'session.key');
    const key = randomBytes(32);
    writeFileSync(this.keyFile, key, { mode: 0o600 });
    this.#tokens = new SessionTokens(new MemoryStore(), key);
  }

  /** The Authorization header of a session for `terminal`, the `i`th trainee's. */
  issue(terminal: string, i: number): Record<string, string> {
    const now = Date.now();
    const officer = `TRN${1001 + (i % TRAINEES)}`;
    return bearer(this.#tokens.issue({ officer, terminal, signedInAt: new Date(now).toISOString(), expiresAt: new Date(now + SHIFT_MS).toISOString() }));
  }

  /** Removes the key file. */
  remove(): void {
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
