// The agency profile's gps and motionLockMph settings: a bad value is a profile error naming the setting.
import { describe, expect, it } from 'vitest';
import { loadProfile } from '../../../../src-main/profile/load-profile.ts';

const VALID = { switchUrl: 'https://switch.agency.example:8443', ori: 'CA0123400' };
const load = (settings: object) => loadProfile({ path: '/p', explicit: false }, () => JSON.stringify({ ...VALID, ...settings }));

describe('the profile\'s gps setting', () => {
  it('means no GPS when absent', () => {
    const loaded = load({});
    expect(loaded.kind === 'agency' && 'gps' in loaded.profile).toBe(false);
  });

  it('fills in gpsd\'s own address', () => {
    expect(load({ gps: { source: 'gpsd' } })).toMatchObject({ kind: 'agency', profile: { gps: { source: 'gpsd', host: '127.0.0.1', port: 2947 } } });
  });

  it('listens for NMEA on every interface unless told one', () => {
    expect(load({ gps: { source: 'nmea-udp', port: 10110 } })).toMatchObject({ kind: 'agency', profile: { gps: { source: 'nmea-udp', port: 10110, bind: '0.0.0.0' } } });
  });

  it('takes the modem\'s address, so nothing else on the car network is read', () => {
    expect(load({ gps: { source: 'nmea-udp', port: 10110, from: '192.168.0.1' } })).toMatchObject({ kind: 'agency', profile: { gps: { from: '192.168.0.1' } } });
  });

  it.each([
    ['a misspelt source', { source: 'gspd' }, 'gps.source', /"gpsd", "nmea-udp" or "none"/],
    ['a source given as text', 'gpsd', 'gps', /an object such as/],
    ['NMEA over UDP without its port', { source: 'nmea-udp' }, 'gps.port', /port is required/],
    ['a port past 65535', { source: 'nmea-udp', port: 70000 }, 'gps.port', /1 to 65535/],
    ['a host with a space', { source: 'gpsd', host: 'gps host' }, 'gps.host', /host name or address/],
    ['a bind address that is no address', { source: 'nmea-udp', port: 10110, bind: 'car-lan' }, 'gps.bind', /IP address/],
    ['a misspelt setting inside gps', { source: 'gpsd', prot: 2947 }, 'gps.prot', /unknown setting "gps.prot"/],
    ['a modem named by host name rather than address', { source: 'nmea-udp', port: 10110, from: 'modem.car' }, 'gps.from', /IP address of the modem/],
  ])('refuses %s, naming it', (_, gps, field, message) => {
    expect(load({ gps })).toEqual({ kind: 'invalid', path: '/p', problems: [{ field, message: expect.stringMatching(message) }] });
  });
});

describe('the profile\'s motionLockMph setting', () => {
  it('takes a speed in mph', () => {
    expect(load({ motionLockMph: 5 })).toMatchObject({ kind: 'agency', profile: { motionLockMph: 5 } });
  });

  it.each([0, 45, '5'])('refuses %j, naming it', (motionLockMph) => {
    expect(load({ motionLockMph })).toMatchObject({ kind: 'invalid', problems: [{ field: 'motionLockMph' }] });
  });
});
