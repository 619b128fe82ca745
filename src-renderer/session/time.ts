// Plain time helpers for the session (its reactive class keeps no Date objects of its own).
export const systemNow = (): Date => new Date();

/** An ISO time `ms` after `start`. */
export const isoAfter = (start: Date, ms: number): string => new Date(start.getTime() + ms).toISOString();

/** The switch's session on this terminal's clock from `now`: a car's clock off from the switch's neither shortens nor stretches it. */
export function onLocalClock<T extends { signedInAt: string; expiresAt: string }>(session: T, now: Date): T {
  const lifetime = Date.parse(session.expiresAt) - Date.parse(session.signedInAt);
  return { ...session, signedInAt: now.toISOString(), expiresAt: isoAfter(now, lifetime) };
}
