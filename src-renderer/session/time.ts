// Plain time helpers for the session (its reactive class keeps no Date objects of its own).
export const systemNow = (): Date => new Date();

/** An ISO time `ms` after `start`. */
export const isoAfter = (start: Date, ms: number): string => new Date(start.getTime() + ms).toISOString();
