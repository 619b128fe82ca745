// The Content-Security-Policy for the renderer, in Electron (app://) and in the browser build alike:
// its own code, and the switch as the only peer.

/** The origin of the message switch, refusing anything that is not http(s) before it reaches a header. */
export function switchOrigin(switchUrl: string): string {
  const url = new URL(switchUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`The switch URL must be http(s), not ${url.protocol}`);
  return url.origin;
}

export function contentSecurityPolicy(switchUrl: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Svelte sets style attributes at run time; styles cannot run code, scripts stay strict.
    "style-src 'self' 'unsafe-inline'",
    // Queries, answers (server-sent events) and heartbeats go to the switch and nowhere else.
    `connect-src 'self' ${switchOrigin(switchUrl)}`,
    "img-src 'self' data:",
    "font-src 'self'",
    "media-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}
