// Every request to the switch's CJI endpoints carries the officer's session; a refusal of it is reported
// once, so the terminal can ask the officer to sign in again instead of failing what is queued.
import { bearer } from '../../src-shared/auth.ts';

export interface SessionAccess {
  token(): string | undefined;
  /** The switch refused `token`: a token already replaced (by a renewal) says nothing about the session. */
  unauthorized(token: string | undefined): void;
}

export function authorizedFetch(session: SessionAccess, base: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const token = session.token();
    const headers = new Headers(init?.headers);
    if (token) for (const [name, value] of Object.entries(bearer(token))) headers.set(name, value);
    const response = await base(input, { ...init, headers });
    if (response.status === 401) session.unauthorized(token);
    return response;
  };
}
