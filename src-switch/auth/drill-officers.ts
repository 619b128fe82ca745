// The drill switch's training officers. Their credentials are published on purpose (docs/drills.md):
// instructors hand them out, and officers load the secret into any authenticator app. An agency switch
// has its own directory; nothing here is valid anywhere else.
import { createHash } from 'node:crypto';
import { Secret } from 'otpauth';
export interface DrillOfficer {
  id: string;
  name: string;
  unit: string;
  password: string;
  /** The TOTP secret (base32; SHA-1, 6 digits, 30 s). */
  totpSecret: string;
}

export const DRILL_OFFICERS: readonly DrillOfficer[] = [
  { id: 'TRN101', name: 'Ofc. J. Rivera', unit: '1A12', password: 'drill-rivera-101', totpSecret: 'M6JNTOGR57ZGDKDDGUMRV52WZJ2KYXJO' },
  { id: 'TRN102', name: 'Ofc. M. Chen', unit: '1A14', password: 'drill-chen-102', totpSecret: 'VYTXOT2CPKBKGWLZ4FL2UYELNUYHMBNZ' },
  { id: 'TRN103', name: 'Sgt. D. Okafor', unit: '2S10', password: 'drill-okafor-103', totpSecret: 'N63RIHIBAIKMOEMZU2DW55YXN5HQ4IBN' },
  { id: 'TRN104', name: 'Ofc. L. Novak', unit: '3B21', password: 'drill-novak-104', totpSecret: 'ROPATWSYF4IHKKFIX6LDQGEXBE4PEESV' },
  { id: 'TRN105', name: 'Dep. R. Salas', unit: '4K07', password: 'drill-salas-105', totpSecret: 'SZUEHM6OQ7Q5DHVHOCWGVZUCMJGHG3E7' },
  { id: 'TRN106', name: 'Ofc. T. Whitehorse', unit: '5C33', password: 'drill-whitehorse-106', totpSecret: 'KESZDUHATNF454UCWDZY6V7U533IB32K' },
];

/**
 * `count` more training officers, TRN1001 upwards, for large classes and load tests (`--training-officers N`):
 * the same on every switch, their secrets derived from their IDs, so a test or an instructor can compute them.
 */
export function traineeOfficers(count: number): DrillOfficer[] {
  return Array.from({ length: count }, (_, i) => {
    const id = `TRN${1001 + i}`;
    const secret = new Secret({ buffer: Uint8Array.from(createHash('sha1').update(`outrider-trainee-${id}`).digest()).buffer });
    return { id, name: `Trainee ${1001 + i}`, unit: 'TRAIN', password: `drill-trainee-${1001 + i}`, totpSecret: secret.base32 };
  });
}
