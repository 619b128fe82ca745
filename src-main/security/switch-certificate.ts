// Certificate pinning for the switch: its certificate must chain to the agency's own CA and nothing else.
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';

/** What to tell Chromium about one certificate: the numbers are Electron's setCertificateVerifyProc results. */
export const VERIFY_RESULT = { trust: 0, refuse: -2, chromium: -3 } as const;
export type Verdict = { readonly result: 'trust' | 'chromium' } | { readonly result: 'refuse'; readonly reason: string };

/** No agency PKI is deeper than this; a longer chain is refused rather than walked. */
const MAX_CHAIN_LENGTH = 6;
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

export interface SwitchPin {
  /** The switch's host name as Chromium reports it: lower case, IPv6 without brackets. */
  readonly host: string;
  readonly ca: X509Certificate;
}

function normalizeHost(host: string): string {
  return host.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
}

/** Why `pem` cannot serve as the agency CA, or undefined when it can. */
export function agencyCaProblem(pem: string): string | undefined {
  try {
    new X509Certificate(pem);
    return undefined;
  } catch (error) {
    return `caCertificate is not a readable PEM certificate (${(error as Error).message})`;
  }
}

/** The pin for the profile's switch; throws if the CA does not parse (loadProfile has already refused such a profile). */
export function switchPin(switchUrl: string, caPem: string): SwitchPin {
  return { host: normalizeHost(new URL(switchUrl).hostname), ca: new X509Certificate(caPem) };
}

function namesHost(leaf: X509Certificate, host: string): boolean {
  // Like Chromium, only subjectAltName counts; a bare common name is not a host name.
  return isIP(host) ? leaf.checkIP(host) !== undefined : leaf.checkHost(host, { subject: 'never' }) !== undefined;
}

function validAt(cert: X509Certificate, now: Date): boolean {
  return Date.parse(cert.validFrom) <= now.getTime() && now.getTime() <= Date.parse(cert.validTo);
}

function signedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
}

function parseChain(chainPem: readonly string[]): X509Certificate[] | undefined {
  try {
    return chainPem.map((pem) => new X509Certificate(pem));
  } catch {
    return undefined;
  }
}

/**
 * The verdict on the chain a server presented for `hostname` (leaf first, then what the server sent
 * as issuers). Hosts other than the switch are left to Chromium's own verification; the switch's
 * chain must name the host, be in date, and reach the pinned CA through CA certificates only,
 * whatever public or locally installed roots would have said.
 */
export function switchCertificateVerdict(pin: SwitchPin, hostname: string, chainPem: readonly string[], now: Date): Verdict {
  const host = normalizeHost(hostname);
  if (host !== pin.host) return { result: 'chromium' };
  const chain = parseChain(chainPem);
  if (!chain || chain.length === 0) return { result: 'refuse', reason: 'the switch sent no readable certificate' };
  const leaf = chain[0]!;
  if (!namesHost(leaf, host)) return { result: 'refuse', reason: `the certificate does not name ${host}` };
  if (leaf.keyUsage !== undefined && !leaf.keyUsage.includes(SERVER_AUTH)) return { result: 'refuse', reason: 'the certificate is not for a TLS server' };
  if (!validAt(pin.ca, now)) return { result: 'refuse', reason: 'the agency CA certificate is out of date' };
  let current = leaf;
  for (let index = 0; index < Math.min(chain.length, MAX_CHAIN_LENGTH); index++) {
    if (!validAt(current, now)) return { result: 'refuse', reason: `a certificate in the chain (${current.subject.replace(/\n/g, ', ')}) is out of date` };
    if (signedBy(current, pin.ca)) return { result: 'trust' };
    const next = chain[index + 1];
    if (!next || !next.ca || !signedBy(current, next)) break;
    current = next;
  }
  return { result: 'refuse', reason: 'the certificate was not issued by the agency CA' };
}
