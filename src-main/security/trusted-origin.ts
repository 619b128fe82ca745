// The app's own origin (app://outrider) and the one place that decides whether a URL belongs to it.

export const APP_SCHEME = 'app';
export const APP_HOST = 'outrider';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * True only for app://outrider/... . Parsed with `new URL`, never compared as text, so
 * `app://outrider.evil`, `app://x@outrider`, `app://outrider:1` and other schemes are refused.
 */
export function isAppUrl(candidate: string | undefined | null): boolean {
  if (!candidate) return false;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return false;
  }
  return url.protocol === `${APP_SCHEME}:` && url.hostname === APP_HOST && url.port === '' && url.username === '' && url.password === '';
}
