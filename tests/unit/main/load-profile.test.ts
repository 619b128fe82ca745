// The agency profile: where it lives, drill mode when absent, and an error naming the field when wrong.
import { describe, expect, it } from 'vitest';
import { loadProfile, profileLocation, type ReadText } from '../../../src-main/profile/load-profile.ts';

const VALID = { switchUrl: 'https://switch.agency.example:8443', ori: 'CA0123400' };

function filesystem(files: Record<string, string>): ReadText {
  return (path) => {
    const text = files[path];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return text;
  };
}

const defaultAt = (path: string) => ({ path, explicit: false });

describe('profileLocation', () => {
  it.each([
    ['linux', {}, '/etc/outrider/agency.json'],
    ['darwin', {}, '/Library/Application Support/Outrider/agency.json'],
    ['win32', { ProgramData: 'D:\\ProgramData' }, 'D:\\ProgramData\\Outrider\\agency.json'],
    ['win32', {}, 'C:\\ProgramData\\Outrider\\agency.json'],
  ] as const)('is machine-wide on %s', (platform, env, path) => {
    expect(profileLocation(platform, env)).toEqual({ path, explicit: false });
  });

  it('lets OUTRIDER_PROFILE override the path on every platform', () => {
    expect(profileLocation('win32', { OUTRIDER_PROFILE: 'E:\\test\\agency.json' })).toEqual({ path: 'E:\\test\\agency.json', explicit: true });
  });
});

describe('loadProfile', () => {
  it('runs a drill when no profile is installed', () => {
    expect(loadProfile(defaultAt('/etc/outrider/agency.json'), filesystem({}))).toEqual({ kind: 'drill', path: '/etc/outrider/agency.json' });
  });

  it('refuses a missing file that OUTRIDER_PROFILE names, rather than silently running a drill', () => {
    const load = loadProfile({ path: '/tmp/agncy.json', explicit: true }, filesystem({}));
    expect(load).toMatchObject({ kind: 'invalid', path: '/tmp/agncy.json' });
  });

  it('loads a valid profile with its defaults', () => {
    const load = loadProfile(defaultAt('/p'), filesystem({ '/p': JSON.stringify(VALID) }));
    expect(load).toEqual({ kind: 'agency', path: '/p', profile: { ...VALID, kiosk: false, inactivityLockMinutes: 30, retentionHours: 12 } });
  });

  it('accepts a file saved with a byte-order mark (Windows Notepad)', () => {
    expect(loadProfile(defaultAt('/p'), filesystem({ '/p': `\uFEFF${JSON.stringify(VALID)}` })).kind).toBe('agency');
  });

  it('names the bad field and keeps the schema message', () => {
    const load = loadProfile(defaultAt('/p'), filesystem({ '/p': JSON.stringify({ ...VALID, ori: 'CA01' }) }));
    expect(load).toEqual({ kind: 'invalid', path: '/p', problems: [{ field: 'ori', message: expect.stringMatching(/9-character/) }] });
  });

  it('names every bad field at once', () => {
    const load = loadProfile(defaultAt('/p'), filesystem({ '/p': JSON.stringify({ ...VALID, switchUrl: 'ftp://x', inactivityLockMinutes: 45 }) }));
    expect(load.kind === 'invalid' && load.problems.map((problem) => problem.field)).toEqual(['switchUrl', 'inactivityLockMinutes']);
  });

  it('names an unknown (misspelt) setting', () => {
    const load = loadProfile(defaultAt('/p'), filesystem({ '/p': JSON.stringify({ ...VALID, kisok: true }) }));
    expect(load).toMatchObject({ kind: 'invalid', problems: [{ field: 'kisok', message: expect.stringMatching(/unknown setting "kisok"/) }] });
  });

  it('says when the file is not JSON', () => {
    const load = loadProfile(defaultAt('/p'), filesystem({ '/p': '{ switchUrl: nope' }));
    expect(load).toMatchObject({ kind: 'invalid', problems: [{ message: expect.stringMatching(/not valid JSON/) }] });
  });

  it('says when the file cannot be read, instead of running a drill', () => {
    const denied: ReadText = () => {
      throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
    };
    expect(loadProfile(defaultAt('/p'), denied)).toMatchObject({ kind: 'invalid', problems: [{ message: expect.stringMatching(/may not read/) }] });
  });
});

describe('the switch address', () => {
  const load = (switchUrl: string) => loadProfile(defaultAt('/p'), filesystem({ '/p': JSON.stringify({ ...VALID, switchUrl }) }));

  it.each(['http://switch.agency.example:8080', 'http://10.20.0.5', 'http://127.0.0.1.nip.io:8080', 'ftp://switch.agency.example'])('refuses %s, naming switchUrl', (switchUrl) => {
    expect(load(switchUrl)).toMatchObject({ kind: 'invalid', problems: [{ field: 'switchUrl', message: expect.stringContaining('https') }] });
  });

  it.each(['https://switch.agency.example:8443', 'http://127.0.0.1:8080', 'http://localhost:8080', 'http://[::1]:8080'])('accepts %s', (switchUrl) => {
    expect(load(switchUrl).kind).toBe('agency');
  });
});
