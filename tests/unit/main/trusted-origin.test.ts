// The app's own origin is recognised by parsing, so look-alike URLs never pass.
import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, APP_ORIGIN, isAppUrl } from '../../../src-main/security/trusted-origin.ts';

describe('isAppUrl', () => {
  it.each([APP_ORIGIN, `${APP_ORIGIN}/`, APP_ENTRY_URL, `${APP_ORIGIN}/assets/index.js?x=1#top`])('accepts the app page %s', (url) => {
    expect(isAppUrl(url)).toBe(true);
  });

  it.each([
    'app://outrider.evil/index.html',
    'app://evil-outrider/index.html',
    'app://user@outrider/index.html',
    'app://outrider:8080/index.html',
    'app://other/index.html',
    'https://outrider/index.html',
    'file:///outrider/index.html',
    'http://127.0.0.1:8787/app://outrider',
    'data:text/html,app://outrider',
    'app:outrider',
    'null',
    '',
    undefined,
    null,
  ])('refuses %s', (url) => {
    expect(isAppUrl(url)).toBe(false);
  });
});
