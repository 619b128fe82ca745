// The committed test route is what its generator makes, so a change to one without the other is caught.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseNmea } from '../../../../src-shared/nmea.ts';
import { routeFile } from '../../../fixtures/gps/make-route.ts';

describe('tests/fixtures/gps/route.nmea', () => {
  const committed = readFileSync(new URL('../../../fixtures/gps/route.nmea', import.meta.url), 'latin1');

  it('is what make-route.ts writes (run `npx tsx tests/fixtures/gps/make-route.ts` after changing it)', () => {
    expect(committed).toBe(routeFile());
  });

  it('ends every line in CRLF, and every sentence parses', () => {
    const lines = committed.split('\r\n');
    expect(lines.pop()).toBe('');
    expect(lines.every((line) => !line.includes('\n'))).toBe(true);
    for (const line of lines.filter((each) => each.startsWith('$'))) expect(parseNmea(line)).toMatchObject({ ok: true });
  });
});
