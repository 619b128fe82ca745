// Calls a switch's admin port as an administrator does: with the admin token as a bearer token.
export function adminFetch(holder: { readonly adminToken: string }, url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('Authorization', `Bearer ${holder.adminToken}`);
  return fetch(url, { ...init, headers });
}
