// app:// requests map to files inside the renderer build and never outside it.
import fc from 'fast-check';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAppFile } from '../../../src-main/protocol/app-path.ts';
import { contentTypeFor } from '../../../src-host/content-type.ts';

describe('resolveAppFile on POSIX', () => {
  const root = '/opt/Outrider/resources/app.asar/dist/renderer';

  it('serves index.html for the bare origin', () => {
    expect(resolveAppFile(root, 'app://outrider/', path.posix)).toBe(`${root}/index.html`);
    expect(resolveAppFile(root, 'app://outrider', path.posix)).toBe(`${root}/index.html`);
  });

  it('serves a built asset, ignoring query and fragment', () => {
    expect(resolveAppFile(root, 'app://outrider/assets/index-B8Xe6MN7.js?v=1#x', path.posix)).toBe(`${root}/assets/index-B8Xe6MN7.js`);
  });

  it('decodes percent-encoded names', () => {
    expect(resolveAppFile(root, 'app://outrider/assets/a%20b.css', path.posix)).toBe(`${root}/assets/a b.css`);
  });

  it('allows a file whose name merely starts with two dots', () => {
    expect(resolveAppFile(root, 'app://outrider/..hidden.txt', path.posix)).toBe(`${root}/..hidden.txt`);
  });

  it('keeps dot segments at the root, as URL parsing does', () => {
    expect(resolveAppFile(root, 'app://outrider/../main/main.cjs', path.posix)).toBe(`${root}/main/main.cjs`);
    expect(resolveAppFile(root, 'app://outrider/%2e%2e/main/main.cjs', path.posix)).toBe(`${root}/main/main.cjs`);
  });

  it.each([
    'app://outrider/assets/%2e%2e%2f%2e%2e%2fmain%2fmain.cjs',
    'app://outrider/..%2f..%2f..%2fetc%2fpasswd',
    'app://outrider/index.html%00.png',
    'app://outrider/%E0%A4%A',
    'app://other/index.html',
    'app://outrider.evil/index.html',
    'file:///etc/passwd',
  ])('refuses %s', (url) => {
    expect(resolveAppFile(root, url, path.posix)).toBeUndefined();
  });
});

describe('resolveAppFile on Windows', () => {
  const root = 'C:\\Program Files\\Outrider\\resources\\app.asar\\dist\\renderer';

  it('serves a built asset', () => {
    expect(resolveAppFile(root, 'app://outrider/assets/index.js', path.win32)).toBe(`${root}\\assets\\index.js`);
  });

  it.each([
    'app://outrider/..%5C..%5Cmain%5Cmain.cjs',
    'app://outrider/assets/..%5C..%5C..%5Cmain.cjs',
    'app://outrider/C:%5CWindows%5Cwin.ini',
  ])('refuses %s', (url) => {
    expect(resolveAppFile(root, url, path.win32)).toBeUndefined();
  });

  it('keeps a UNC-looking path inside the root', () => {
    expect(resolveAppFile(root, 'app://outrider/%5C%5Cserver%5Cshare%5Cfile', path.win32)).toBe(`${root}\\server\\share\\file`);
  });
});

describe('resolveAppFile on hostile paths', () => {
  const pieces = ['..', '.', '/', '\\', '%2e', '%2E%2e', '%2f', '%5c', '%5C', 'a', 'C:', '%00', '%', ':', '~'];
  const hostilePath = fc.array(fc.constantFrom(...pieces), { maxLength: 12 }).map((parts) => parts.join(''));

  it.each([
    ['POSIX', path.posix, '/opt/Outrider/dist/renderer'],
    ['Windows', path.win32, 'C:\\Outrider\\dist\\renderer'],
  ] as const)('never resolves outside the renderer folder on %s', (_name, api, root) => {
    fc.assert(
      fc.property(hostilePath, (tail) => {
        const file = resolveAppFile(root, `app://outrider/${tail}`, api);
        if (file === undefined) return;
        const relative = api.relative(root, file);
        expect(relative === '' || relative === '..' || relative.startsWith(`..${api.sep}`) || api.isAbsolute(relative)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('contentTypeFor', () => {
  it.each([
    ['/r/index.html', 'text/html; charset=utf-8'],
    ['/r/assets/index-1.js', 'text/javascript; charset=utf-8'],
    ['/r/assets/index-1.CSS', 'text/css; charset=utf-8'],
    ['/r/icon.svg', 'image/svg+xml'],
    ['/r/v1.2/LICENSE', 'application/octet-stream'],
  ])('gives %s the type %s', (file, type) => {
    expect(contentTypeFor(file)).toBe(type);
  });
});
