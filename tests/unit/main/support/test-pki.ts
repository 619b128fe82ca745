// A throw-away PKI made with the openssl CLI at test time: an agency CA, an intermediate, switch
// certificates, and a rogue CA issuing a look-alike. Nothing here is committed but this recipe.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TestPki {
  readonly dir: string;
  readonly agencyCa: string;
  readonly rogueCa: string;
  /** For 127.0.0.1 and switch.agency.test, issued directly by the agency CA. */
  readonly switchCert: string;
  readonly switchKey: string;
  readonly intermediate: string;
  /** For switch.agency.test, issued by the intermediate. */
  readonly viaIntermediate: string;
  /** Same names as switchCert, issued by the rogue CA. */
  readonly rogueSwitchCert: string;
  /** Issued by the agency CA, but for another host. */
  readonly otherHostCert: string;
  /** Issued by the agency CA for the switch's names, but for client authentication only. */
  readonly clientOnlyCert: string;
  remove(): void;
}

const SWITCH_NAMES = 'subjectAltName=IP:127.0.0.1,DNS:switch.agency.test';

export function makeTestPki(): TestPki {
  const dir = mkdtempSync(path.join(tmpdir(), 'outrider-pki-'));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const key = (name: string) => openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file(`${name}.key`));

  const makeCa = (name: string, subject: string) => {
    key(name);
    openssl('req', '-x509', '-new', '-key', file(`${name}.key`), '-subj', subject, '-days', '30', '-out', file(`${name}.pem`),
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  };
  const issue = (name: string, issuer: string, subject: string, extensions: string[]) => {
    key(name);
    openssl('req', '-new', '-key', file(`${name}.key`), '-subj', subject, '-out', file(`${name}.csr`));
    writeFileSync(file(`${name}.ext`), `${extensions.join('\n')}\n`);
    openssl('x509', '-req', '-in', file(`${name}.csr`), '-CA', file(`${issuer}.pem`), '-CAkey', file(`${issuer}.key`), '-CAcreateserial',
      '-days', '30', '-extfile', file(`${name}.ext`), '-out', file(`${name}.pem`));
  };
  const server = (names: string) => ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=serverAuth', names];

  // The rogue CA copies the agency CA's name: only the signature can tell them apart.
  makeCa('agency-ca', '/O=Test Agency/CN=Test Agency Root CA');
  makeCa('rogue-ca', '/O=Test Agency/CN=Test Agency Root CA');
  issue('switch', 'agency-ca', '/CN=switch.agency.test', server(SWITCH_NAMES));
  issue('intermediate', 'agency-ca', '/O=Test Agency/CN=Test Agency Issuing CA', ['basicConstraints=critical,CA:TRUE,pathlen:0', 'keyUsage=critical,keyCertSign']);
  issue('via-intermediate', 'intermediate', '/CN=switch.agency.test', server('subjectAltName=DNS:switch.agency.test'));
  issue('rogue-switch', 'rogue-ca', '/CN=switch.agency.test', server(SWITCH_NAMES));
  issue('other-host', 'agency-ca', '/CN=mail.agency.test', server('subjectAltName=DNS:mail.agency.test'));
  issue('client-only', 'agency-ca', '/CN=switch.agency.test', ['basicConstraints=CA:FALSE', 'extendedKeyUsage=clientAuth', SWITCH_NAMES]);

  const pem = (name: string) => readFileSync(file(`${name}.pem`), 'utf8');
  return {
    dir,
    agencyCa: pem('agency-ca'),
    rogueCa: pem('rogue-ca'),
    switchCert: pem('switch'),
    switchKey: readFileSync(file('switch.key'), 'utf8'),
    intermediate: pem('intermediate'),
    viaIntermediate: pem('via-intermediate'),
    rogueSwitchCert: pem('rogue-switch'),
    otherHostCert: pem('other-host'),
    clientOnlyCert: pem('client-only'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
