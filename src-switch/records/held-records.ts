// The shapes of held records and the deterministic answer for a plate the switch knows nothing about.
import type { Caution, FoundRecord, RecordType, Source } from '../../src-shared/protocol.ts';

/** A record as held by one simulated source, keyed by what a query matches on. */
export interface HeldRecord {
  readonly source: Source;
  readonly record: FoundRecord;
  /** A stolen vehicle or plate record lives only while this plate ("LIS:LIC") is on the switch's hotlist. */
  readonly hotlistKey?: string;
}

export const record = (type: RecordType, summary: string, fields: Record<string, string>, cautions: Caution[] = [], nic?: string): FoundRecord =>
  nic === undefined ? { type, summary, fields, cautions } : { type, summary, fields, cautions, nic };

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

/** A stolen record for a plate that is on the hotlist but in no other record (a drill added it, or the list was padded). */
export function syntheticStolenPlate(lic: string, lis: string, homeState: string): HeldRecord {
  const hash = stableHash(`stolen:${lis}:${lic}`);
  const nic = `V${String(hash % 1_000_000_000).padStart(9, '0')}`;
  const fields = { LIC: lic, LIS: lis, ORI: `${lis}0000000`.slice(0, 9), OCA: `HL-${hash % 100_000}` };
  // The agency's own state system holds its state's thefts; other states' reach the car through NCIC.
  return {
    source: lis === homeState ? 'SVS' : 'NCIC',
    hotlistKey: `${lis}:${lic}`,
    record: record('stolen_vehicle', `STOLEN VEHICLE: plate ${lis} ${lic} on the hotlist`, fields, [], nic),
  };
}
