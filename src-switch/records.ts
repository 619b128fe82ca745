// The switch's synthetic record set: fixed training records plus deterministic answers for anything else.
import type { Caution, FoundRecord, RecordType } from '../src-shared/protocol.ts';

/** A record as held by one simulated source, keyed by what a query matches on. */
export interface HeldRecord {
  readonly source: 'DMV' | 'SVS' | 'WPS' | 'NCIC';
  readonly record: FoundRecord;
}

const record = (type: RecordType, summary: string, fields: Record<string, string>, cautions: Caution[] = [], nic?: string): FoundRecord =>
  nic === undefined ? { type, summary, fields, cautions } : { type, summary, fields, cautions, nic };

const civic = { LIC: '4TRN123', LIS: 'CA', LIY: '2027', VMA: 'HOND', VMO: 'CIV', VYR: '2016', VCO: 'BLK' };

/** Training records that always exist (documented in the README for drill instructors). */
export const TRAINING_PLATES: Readonly<Record<string, readonly HeldRecord[]>> = {
  'CA:4TRN123': [
    { source: 'DMV', record: record('registration', 'Registered owner TRAINING, OWNER; 2016 HONDA CIVIC, black', civic) },
    {
      source: 'SVS',
      record: record('stolen_vehicle', 'STOLEN VEHICLE: 2016 HONDA CIVIC, black, stolen 2026-11-01', { ...civic, ORI: 'CA0349400', OCA: 'TR-26-0001' }, [], 'V123456789'),
    },
  ],
  'CA:4TRN000': [
    { source: 'DMV', record: record('registration', 'Registered owner TRAINING, CLEAN; 2019 TOYOTA CAMRY, silver', { LIC: '4TRN000', LIS: 'CA', LIY: '2027', VMA: 'TOYT', VMO: 'CAM', VYR: '2019', VCO: 'SIL' }) },
  ],
};

export const TRAINING_PEOPLE: Readonly<Record<string, readonly HeldRecord[]>> = {
  'TRAINING, ARMED|1980-01-01|M': [
    {
      source: 'WPS',
      record: record(
        'wanted_person',
        'WANTED: felony warrant, assault with a deadly weapon. CAUTION: ARMED AND DANGEROUS',
        { NAM: 'TRAINING, ARMED', DOB: '1980-01-01', SEX: 'M', OFF: 'ASSAULT WITH DEADLY WEAPON', WAR: 'FELONY', ORI: 'CA0349400' },
        ['armed_and_dangerous'],
        'W987654321',
      ),
    },
  ],
  'TRAINING, CLEAN|1990-06-15|F': [],
};

/** Stable 32-bit FNV-1a hash: the same plate always gets the same synthetic registration. */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

const MAKES = [['TOYT', 'CAM', 'TOYOTA CAMRY'], ['FORD', 'F15', 'FORD F-150'], ['CHEV', 'MAL', 'CHEVROLET MALIBU'], ['NISS', 'ALT', 'NISSAN ALTIMA']] as const;
const COLOURS = [['WHI', 'white'], ['BLK', 'black'], ['SIL', 'silver'], ['BLU', 'blue']] as const;

/** Any plate that is not a training record: nine in ten have a synthetic registration, none is a hit. */
export function syntheticPlate(lic: string, lis: string): readonly HeldRecord[] {
  const hash = stableHash(`${lis}:${lic}`);
  if (hash % 10 === 0) return [];
  const [vma, vmo, makeName] = MAKES[hash % MAKES.length]!;
  const [vco, colourName] = COLOURS[(hash >>> 4) % COLOURS.length]!;
  const year = String(2005 + ((hash >>> 8) % 20));
  const fields = { LIC: lic, LIS: lis, LIY: '2027', VMA: vma, VMO: vmo, VYR: year, VCO: vco };
  return [{ source: 'DMV', record: record('registration', `Registration on file; ${year} ${makeName}, ${colourName}`, fields) }];
}
