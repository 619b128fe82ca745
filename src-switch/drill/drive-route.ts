// Finds and reads a drive's route file: beside the drill file it came from, or beside the shipped drills.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseRoute, type RouteParse } from '../../src-shared/drive.ts';

/**
 * drills/ in the source tree. Two levels up from this file under tsx, and from dist/switch/switch.cjs in the bundle
 * (which has no import.meta, but has __dirname): the same relative place either way.
 */
export const SHIPPED_DRILLS_DIR = join(typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url)), '..', '..', 'drills');

/** Where a drill's route file is: relative to the drill file, or to drills/ for a shipped drill. */
export function routeFile(route: string, drillFile: string | { shipped: true }): string {
  return typeof drillFile === 'string' ? resolve(dirname(drillFile), route) : resolve(SHIPPED_DRILLS_DIR, route);
}

/** Reads and parses a route file; the error names the file and what is wrong with it. */
export function loadRoute(file: string): RouteParse {
  let text: string;
  try {
    text = readFileSync(file, 'latin1');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, error: code === 'ENOENT' ? `${file} does not exist` : `cannot read ${file}: ${(error as Error).message}` };
  }
  const parsed = parseRoute(text);
  return parsed.ok ? parsed : { ok: false, error: `${file} ${parsed.error}` };
}
