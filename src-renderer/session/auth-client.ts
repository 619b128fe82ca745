// Sign-in, renewal and sign-out against the switch, each ending in an outcome the screens can word.
import { AuthRefusal, authPaths, bearer, Session, type SignInRequest } from '../../src-shared/auth.ts';
import { FIELD_CONFIG } from '../../src-shared/field-config.ts';

export type AuthOutcome =
  | { kind: 'session'; session: Session }
  /** The switch said no: wrong credentials, a locked account, or a session it no longer honours. */
  | { kind: 'refused'; refusal: AuthRefusal }
  /** No answer that says anything: the link, a timeout, a 5xx. */
  | { kind: 'unreachable'; reason: string };

async function post(url: string, init: RequestInit): Promise<AuthOutcome> {
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', cache: 'no-store', signal: AbortSignal.timeout(FIELD_CONFIG.requestTimeoutMs), ...init });
  } catch {
    return { kind: 'unreachable', reason: 'The switch cannot be reached' };
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (response.ok) {
    const session = Session.safeParse(body);
    return session.success ? { kind: 'session', session: session.data } : { kind: 'unreachable', reason: 'The switch sent an answer Outrider cannot read' };
  }
  const refusal = AuthRefusal.safeParse(body);
  if (refusal.success) return { kind: 'refused', refusal: refusal.data };
  if (response.status === 400) {
    const message = (body as { error?: { message?: string } } | undefined)?.error?.message;
    return { kind: 'refused', refusal: { error: 'credentials', message: message ?? 'The switch refused the sign-in as malformed' } };
  }
  return { kind: 'unreachable', reason: `The switch answered ${response.status}` };
}

export class AuthClient {
  constructor(private readonly baseUrl: string) {}

  signIn(request: SignInRequest): Promise<AuthOutcome> {
    return post(`${this.baseUrl}${authPaths.signIn}`, { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(request) });
  }

  renew(token: string): Promise<AuthOutcome> {
    return post(`${this.baseUrl}${authPaths.renew}`, { headers: bearer(token) });
  }

  /** Best effort: a sign-out in a dead zone still ends the shift here; the token then simply expires. */
  async signOut(token: string): Promise<void> {
    await fetch(`${this.baseUrl}${authPaths.signOut}`, { method: 'POST', headers: bearer(token), signal: AbortSignal.timeout(FIELD_CONFIG.probeTimeoutMs) }).catch(() => undefined);
  }
}
