// Times as an officer reads them: 24-hour clock, and ages in whole minutes.
/** How long ago, in words an officer reads at a glance. */
export function ageText(iso: string, now: number): string {
  const minutes = Math.floor((now - Date.parse(iso)) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${minutes % 60} min ago`;
}

// One formatter each, made once: toLocaleTimeString builds a new one per call, and the results list formats
// every row's times on each refresh. h23: midnight is 00:05, never 24:05.
const HOURS_MINUTES = new Intl.DateTimeFormat([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const HOURS_MINUTES_SECONDS = new Intl.DateTimeFormat([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

/** 14:02 */
export const clockTime = (at: string | number | Date) => HOURS_MINUTES.format(new Date(at));
/** 14:02:37 */
export const clockSeconds = (at: string | number | Date) => HOURS_MINUTES_SECONDS.format(new Date(at));
