// Signs a training officer in to the switch from Node, as a terminal would, for the unit tests and benchmarks
// that call its CJI endpoints directly.
import { authPaths, bearer, Session, type SignInRequest } from '../../src-shared/auth.ts';
import type { DrillOfficer } from '../../src-switch/drill-officers.ts';
import { OFFICER, oneTimeCode } from './sign-in.ts';

/** Signs `officer` in on `terminal`; `at` is the switch's clock when a test sets it, for the one-time code. */
export async function signInAt(switchUrl: string, terminal: string, officer: DrillOfficer = OFFICER, at: number = Date.now()): Promise<Session> {
  const body: SignInRequest = { officerId: officer.id, password: officer.password, code: oneTimeCode(officer, at), terminal };
  const response = await fetch(`${switchUrl}${authPaths.signIn}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${officer.id} could not sign in on ${terminal}: ${response.status} ${await response.text()}`);
  return Session.parse(await response.json());
}

/**
 * The header for each terminal a test speaks as: an officer signs in there the first time it is asked for,
 * since a session only serves the terminal it signed in from.
 */
export function sessionsAt(switchUrl: string, officer?: DrillOfficer): (terminal: string) => Promise<Record<string, string>> {
  const held = new Map<string, Promise<Record<string, string>>>();
  return (terminal) => {
    let headers = held.get(terminal);
    if (!headers) held.set(terminal, (headers = signInAt(switchUrl, terminal, officer).then((session) => bearer(session.token))));
    return headers;
  };
}
