// Installs the switch pin on a session: Chromium asks, the pure verdict answers.
import type { Certificate, Session } from 'electron';
import { type SwitchPin, switchCertificateVerdict, VERIFY_RESULT } from './switch-certificate.ts';

/** The certificates Chromium received, leaf first; bounded in case a self-signed certificate names itself as issuer. */
function chainOf(certificate: Certificate): string[] {
  const chain: string[] = [];
  for (let cert: Certificate | undefined = certificate; cert && chain.length < 10; cert = cert.issuerCert) {
    if (chain.includes(cert.data)) break;
    chain.push(cert.data);
  }
  return chain;
}

export function pinSwitchCertificate(session: Session, pin: SwitchPin): void {
  session.setCertificateVerifyProc((request, callback) => {
    const verdict = switchCertificateVerdict(pin, request.hostname, chainOf(request.certificate), new Date());
    if (verdict.result === 'refuse') console.warn(`Refused the certificate of ${request.hostname}: ${verdict.reason}`);
    callback(VERIFY_RESULT[verdict.result]);
  });
}
