// What the terminal page may load, connect to and ask for.
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../../src-shared/content-security-policy.ts';
import { isPermissionAllowed } from '../../../src-main/security/permissions.ts';

function directives(policy: string): Map<string, string> {
  return new Map(policy.split('; ').map((directive) => [directive.split(' ')[0]!, directive.slice(directive.indexOf(' ') + 1)]));
}

describe('contentSecurityPolicy', () => {
  it('lets scripts come only from the app and connections go only to the switch origin', () => {
    const policy = directives(contentSecurityPolicy('http://127.0.0.1:41513/some/path?x=1'));
    expect(policy.get('script-src')).toBe("'self'");
    expect(policy.get('connect-src')).toBe("'self' http://127.0.0.1:41513");
    expect(policy.get('default-src')).toBe("'self'");
  });

  it('shuts plugins, base rewriting, framing and form posts', () => {
    const policy = directives(contentSecurityPolicy('https://switch.agency.example'));
    for (const name of ['object-src', 'base-uri', 'frame-ancestors', 'form-action']) expect(policy.get(name)).toBe("'none'");
  });

  it('never allows inline or evaluated script', () => {
    expect(contentSecurityPolicy('https://switch.agency.example')).not.toMatch(/script-src[^;]*(unsafe-inline|unsafe-eval)/);
  });

  it.each(['javascript:alert(1)', 'file:///etc/passwd', 'not a url'])('refuses a switch URL of %s', (url) => {
    expect(() => contentSecurityPolicy(url)).toThrow();
  });
});

describe('isPermissionAllowed', () => {
  it('grants notifications to the app page', () => {
    expect(isPermissionAllowed('notifications', 'app://outrider/index.html')).toBe(true);
    expect(isPermissionAllowed('notifications', 'app://outrider')).toBe(true);
  });

  it('grants loopback access so the drill switch on 127.0.0.1 can be reached', () => {
    expect(isPermissionAllowed('loopback-network', 'app://outrider/')).toBe(true);
  });

  it.each(['media', 'geolocation', 'clipboard-read', 'openExternal', 'display-capture', 'usb', 'fullscreen', 'unknown'])('refuses %s', (permission) => {
    expect(isPermissionAllowed(permission, 'app://outrider/index.html')).toBe(false);
  });

  it('refuses even notifications to any other origin', () => {
    expect(isPermissionAllowed('notifications', 'https://evil.example')).toBe(false);
    expect(isPermissionAllowed('notifications', undefined)).toBe(false);
  });
});
