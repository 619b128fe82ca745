// The agency profile's speech setting: spoken unless the agency says false; anything else is a profile error.
import { describe, expect, it } from 'vitest';
import { loadProfile } from '../../../src-main/profile/load-profile.ts';

const VALID = { switchUrl: 'https://switch.agency.example:8443', ori: 'CA0123400' };
const load = (settings: object) => loadProfile({ path: '/p', explicit: false }, () => JSON.stringify({ ...VALID, ...settings }));

describe('the profile\'s speech setting', () => {
  it('is absent unless given, and takes true or false', () => {
    const absent = load({});
    expect(absent.kind === 'agency' && 'speech' in absent.profile).toBe(false);
    expect(load({ speech: false })).toMatchObject({ kind: 'agency', profile: { speech: false } });
  });

  it('names the setting when it is not true or false', () => {
    expect(load({ speech: 'off' })).toMatchObject({ kind: 'invalid', problems: [{ field: 'speech', message: 'speech must be true or false' }] });
  });
});
