// The switch's certificate is trusted only when it chains to the agency CA in the profile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agencyCaProblem, switchCertificateVerdict, switchPin, type SwitchPin, VERIFY_RESULT } from '../../../src-main/security/switch-certificate.ts';
import { loadProfile } from '../../../src-main/profile/load-profile.ts';
import { makeTestPki, type TestPki } from './support/test-pki.ts';

let pki: TestPki;
let pin: SwitchPin;
let now: Date;

beforeAll(() => {
  pki = makeTestPki();
  // After issuing: the certificates are valid from the second they were made.
  now = new Date();
  pin = switchPin('https://switch.agency.test:8443', pki.agencyCa);
});
afterAll(() => pki.remove());

describe('switchCertificateVerdict', () => {
  it("trusts the switch's certificate issued by the agency CA", () => {
    expect(switchCertificateVerdict(pin, 'switch.agency.test', [pki.switchCert], now)).toEqual({ result: 'trust' });
  });

  it('trusts a certificate issued through an intermediate the switch sends', () => {
    expect(switchCertificateVerdict(pin, 'switch.agency.test', [pki.viaIntermediate, pki.intermediate], now)).toEqual({ result: 'trust' });
  });

  it('refuses a certificate through an intermediate the switch did not send', () => {
    expect(switchCertificateVerdict(pin, 'switch.agency.test', [pki.viaIntermediate], now).result).toBe('refuse');
  });

  it('refuses a look-alike issued by another CA with the same name', () => {
    expect(switchCertificateVerdict(pin, 'switch.agency.test', [pki.rogueSwitchCert], now)).toEqual({ result: 'refuse', reason: 'the certificate was not issued by the agency CA' });
  });

  it('refuses a look-alike that also sends the rogue CA as its issuer', () => {
    expect(switchCertificateVerdict(pin, 'switch.agency.test', [pki.rogueSwitchCert, pki.rogueCa], now).result).toBe('refuse');
  });

  it('refuses an agency certificate for another host', () => {
    expect(switchCertificateVerdict(pin, 'switch.agency.test', [pki.otherHostCert], now)).toMatchObject({ result: 'refuse', reason: expect.stringMatching(/does not name switch\.agency\.test/) });
  });

  it('refuses an agency certificate meant for clients, not servers', () => {
    expect(switchCertificateVerdict(pin, 'switch.agency.test', [pki.clientOnlyCert], now)).toMatchObject({ result: 'refuse', reason: expect.stringMatching(/not for a TLS server/) });
  });

  it('refuses the right certificate once it has expired', () => {
    const later = new Date(now.getTime() + 60 * 24 * 60 * 60 * 1000);
    expect(switchCertificateVerdict(pin, 'switch.agency.test', [pki.switchCert], later)).toMatchObject({ result: 'refuse', reason: expect.stringMatching(/out of date/) });
  });

  it('refuses an empty or unreadable chain', () => {
    expect(switchCertificateVerdict(pin, 'switch.agency.test', [], now).result).toBe('refuse');
    expect(switchCertificateVerdict(pin, 'switch.agency.test', ['-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n'], now).result).toBe('refuse');
  });

  it('matches the host whatever its case or trailing dot', () => {
    expect(switchCertificateVerdict(pin, 'SWITCH.Agency.test.', [pki.switchCert], now)).toEqual({ result: 'trust' });
  });

  it('pins a switch addressed by IP address', () => {
    const byIp = switchPin('https://127.0.0.1:8443', pki.agencyCa);
    expect(switchCertificateVerdict(byIp, '127.0.0.1', [pki.switchCert], now)).toEqual({ result: 'trust' });
    expect(switchCertificateVerdict(byIp, '127.0.0.1', [pki.rogueSwitchCert], now).result).toBe('refuse');
  });

  it("leaves every other host to Chromium's own verification", () => {
    expect(switchCertificateVerdict(pin, 'mail.agency.test', [pki.otherHostCert], now)).toEqual({ result: 'chromium' });
    expect(switchCertificateVerdict(pin, 'switch.agency.test.evil', [pki.rogueSwitchCert], now)).toEqual({ result: 'chromium' });
  });

  it("uses Electron's verify-proc numbers", () => {
    expect(VERIFY_RESULT).toEqual({ trust: 0, refuse: -2, chromium: -3 });
  });
});

describe('the profile CA', () => {
  it('accepts a PEM certificate', () => {
    expect(agencyCaProblem(pki.agencyCa)).toBeUndefined();
  });

  it('makes a profile whose CA does not parse invalid, naming caCertificate', () => {
    const text = JSON.stringify({ switchUrl: 'https://switch.agency.test', ori: 'CA0123400', caCertificate: '-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n' });
    const load = loadProfile({ path: '/p', explicit: false }, () => text);
    expect(load).toMatchObject({ kind: 'invalid', problems: [{ field: 'caCertificate', message: expect.stringMatching(/not a readable PEM certificate/) }] });
  });

  it('loads a profile with a readable CA', () => {
    const text = JSON.stringify({ switchUrl: 'https://switch.agency.test', ori: 'CA0123400', caCertificate: pki.agencyCa });
    expect(loadProfile({ path: '/p', explicit: false }, () => text).kind).toBe('agency');
  });
});
