// The example profile shipped in build/ must itself be a valid profile, so IT can start from it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AgencyProfile } from '../../../src-shared/profile.ts';

describe('build/agency.example.json', () => {
  it('parses as an agency profile', () => {
    const text = readFileSync(new URL('../../../build/agency.example.json', import.meta.url), 'utf8');
    expect(AgencyProfile.safeParse(JSON.parse(text)).success).toBe(true);
  });
});
