// The terminal's keys beyond the query forms' F2–F9, in one place so the screen and the README agree.
export const KEYS = {
  /** Night and day theme: F10, free in Chromium and Electron once the page takes it. */
  theme: 'F10',
  /** To the recent queries, to run one again: F1, as the first key under the officer's hand. */
  recall: 'F1',
  /** Answers spoken or not: F11, the one function key left. The page takes it from the browser's and
   *  Electron's full-screen toggle; a kiosk is full screen already. */
  voice: 'F11',
  /** Locks the terminal at once: F12, the last key of the row, away from the query keys. */
  lock: 'F12',
  /** Empties the form on screen and puts the cursor back in its first field. */
  clear: 'Escape',
} as const;

/** The key alone, not part of a chord, and not already handled (an open alert's own keys, a closing list). */
export function pressed(event: KeyboardEvent, key: string): boolean {
  return event.key === key && !event.defaultPrevented && !event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey;
}

/** Keys meant for the terminal do nothing while an alert is up: only Acknowledge clears it. */
export function insideDialog(event: KeyboardEvent): boolean {
  return event.target instanceof Element && event.target.closest('dialog') !== null;
}
