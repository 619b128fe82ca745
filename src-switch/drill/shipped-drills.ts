// The drills shipped in drills/: imported, not read from disk, so the one-file switch bundle carries them too (a
// drive's route, an NMEA file under drills/routes/, is read from disk when the drive starts: drive-route.ts).
import { type Drill, parseDrill, type ShippedDrill } from '../../src-shared/drill.ts';
import blackHole from '../../drills/black-hole.json' with { type: 'json' };
import canyonDrive from '../../drills/canyon-drive.json' with { type: 'json' };
import deadZone from '../../drills/dead-zone.json' with { type: 'json' };
import degradedRural from '../../drills/degraded-rural.json' with { type: 'json' };
import switchRestart from '../../drills/switch-restart.json' with { type: 'json' };
import tunnelFlapping from '../../drills/tunnel-flapping.json' with { type: 'json' };

/** Each drill by its file name without `.json`: the id the instructor page and the admin route use. */
export const SHIPPED_DRILL_FILES: Readonly<Record<string, unknown>> = {
  'dead-zone': deadZone,
  'tunnel-flapping': tunnelFlapping,
  'degraded-rural': degradedRural,
  'switch-restart': switchRestart,
  'black-hole': blackHole,
  'canyon-drive': canyonDrive,
};

/** The shipped drills, parsed; a bad one fails loudly here (and in its unit test) rather than in front of a class. */
export function shippedDrills(): ReadonlyMap<string, Drill> {
  return new Map(
    Object.entries(SHIPPED_DRILL_FILES).map(([id, file]) => {
      const parsed = parseDrill(file);
      if (!parsed.ok) throw new Error(`drills/${id}.json: ${parsed.error}`);
      return [id, parsed.value];
    }),
  );
}

export function describeShipped(drills: ReadonlyMap<string, Drill>): ShippedDrill[] {
  return [...drills].map(([id, drill]) => ({ id, name: drill.name, description: drill.description, durationSeconds: drill.durationSeconds, loop: drill.loop }));
}
