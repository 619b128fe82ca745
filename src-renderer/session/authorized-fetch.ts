// Every request to the switch's CJI endpoints carries the officer's session; a refusal of it is reported
// once, so the terminal can ask the officer to sign in again instead of failing what is queued.
import { bearer } from '../../src-shared/auth.ts';

export interface SessionAccess {
  token(): string | undefined;
  unauthorized(): void;
}

export function authorizedFetch(session: SessionAccess, base: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const token = session.token();
    const headers = new Headers(init?.headers);
    if (token) for (const [name, value] of Object.entries(bearer(token))) headers.set(name, value);
    const response = await base(input, { ...init, headers });
    if (response.status === 401) session.unauthorized();
    return response;
  };
}
