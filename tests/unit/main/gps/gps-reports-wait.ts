// Waits for the report a test expects from a GPS source, failing with what did come instead of hanging.
import type { GpsReport, GpsSource } from '../../../../src-shared/gps.ts';

export function reportMatching(source: GpsSource, matches: (report: GpsReport) => boolean, ms = 15_000): Promise<GpsReport> {
  const seen: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`No matching GPS report within ${ms} ms; the last ones were:\n${seen.slice(-5).join('\n')}`));
    }, ms);
    const unsubscribe = source.onReport((report) => {
      seen.push(JSON.stringify(report));
      if (!matches(report)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(report);
    });
  });
}
