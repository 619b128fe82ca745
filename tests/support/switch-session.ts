// Signs a training officer in to the switch from Node, as a terminal would, for the unit tests and benchmarks
// that call its CJI endpoints directly.
import { authPaths, bearer, Session, type SignInRequest } from '../../src-shared/auth.ts';
import type { DrillOfficer } from '../../src-switch/auth/drill-officers.ts';
import { freshCode, oneTimeCode, restedOfficer } from './sign-in.ts';

/**
 * Signs `officer` in on `terminal`. `at` is the switch's clock when a test sets it (the code for that moment is
 * sent, and the test keeps its steps apart); otherwise a code this process has not used on this switch yet.
 */
export async function signInAt(switchUrl: string, terminal: string, officer: DrillOfficer = restedOfficer(switchUrl), at?: number): Promise<Session> {
  const code = at === undefined ? await freshCode(officer, switchUrl) : oneTimeCode(officer, at);
  const body: SignInRequest = { officerId: officer.id, password: officer.password, code, terminal };
  const response = await fetch(`${switchUrl}${authPaths.signIn}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${officer.id} could not sign in on ${terminal}: ${response.status} ${await response.text()}`);
  return Session.parse(await response.json());
}

/**
 * The header for each terminal a test speaks as: an officer signs in there the first time it is asked for,
 * since a session only serves the terminal it signed in from. Without `officer` (or with a list of them, for a
 * switch holding more), each terminal gets the officer rested longest, so no test waits for a fresh one-time code.
 */
export function sessionsAt(switchUrl: string, officer?: DrillOfficer | readonly DrillOfficer[]): (terminal: string) => Promise<Record<string, string>> {
  const held = new Map<string, Promise<Record<string, string>>>();
  return (terminal) => {
    let headers = held.get(terminal);
    const who = officer === undefined || Array.isArray(officer) ? restedOfficer(switchUrl, officer as readonly DrillOfficer[] | undefined) : (officer as DrillOfficer);
    if (!headers) held.set(terminal, (headers = signInAt(switchUrl, terminal, who).then((session) => bearer(session.token))));
    return headers;
  };
}
