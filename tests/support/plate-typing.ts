// Plates typed into the terminal's plate form from inside the page, at a chosen pace: shared by the end-to-end
// tests and the soak runs (so it asserts nothing itself; callers check what it returns).
import type { Page } from '@playwright/test';

/** How long the page waits for the form to say a plate is queued before it reports what it says instead. */
const ANNOUNCE_WAIT_MS = 10_000;

export interface PlateTyping {
  /** The state (LIS) typed once for every plate. */
  state?: string;
  /** At least this long from one plate's Enter to the next: an officer's pace rather than the machine's. */
  gapMs?: number;
}

/**
 * Enters plate queries in the plate form (F2) as a fast officer does, the state once and then each plate and
 * Enter, and stops before a plate if a modal dialog is up: an alert makes the form inert to an officer, so the
 * caller acknowledges it and enters the rest. Resolves with what the form announced after each plate typed
 * (`Queued: Plate 4TRN123 (CA)` when it went in; the typing stops at the first that did not).
 *
 * The typing runs inside the page, through the form's own input and keydown handlers (validation, the outbox,
 * the intake's worker), waiting for the form to announce each query before the next: one round trip for the lot.
 * Driving each key from the test costs 0.2 to 0.45 s a query on a busy 2-core machine (a round trip per action);
 * the page's own work is 20 to 80 ms.
 */
export async function typePlates(page: Page, plates: readonly string[], { state = 'CA', gapMs = 0 }: PlateTyping = {}): Promise<string[]> {
  await page.keyboard.press('F2');
  const announced = await page.evaluate(
    async ({ plates, state, gapMs, waitMs }) => {
      const field = (id: string) => document.getElementById(id) as HTMLInputElement;
      const type = (input: HTMLInputElement, text: string) => {
        input.focus();
        input.value = text;
        input.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: text }));
      };
      const announcement = document.querySelector('[role="tabpanel"] .announce')!;
      const heard = (expected: string) =>
        new Promise<string>((resolve) => {
          const done = () => (observer.disconnect(), clearTimeout(timer), resolve(announcement.textContent ?? ''));
          const observer = new MutationObserver(() => {
            if (announcement.textContent === expected) done();
          });
          observer.observe(announcement, { childList: true, characterData: true, subtree: true });
          const timer = setTimeout(done, waitMs);
        });
      const seen: string[] = [];
      let nextAt = 0;
      for (const plate of plates) {
        if (Date.now() < nextAt) await new Promise((resolve) => setTimeout(resolve, nextAt - Date.now()));
        if (document.querySelector('dialog:modal')) break;
        const expected = `Queued: Plate ${plate} (${state})`;
        // The same plate twice in a row would leave the announcement unchanged, and nothing to wait for.
        if (announcement.textContent === expected) throw new Error(`${plate} follows itself: put another plate between`);
        const lis = field('plate-lis');
        if (lis.value !== state) type(lis, state);
        const lic = field('plate-lic');
        type(lic, plate);
        const announced = heard(expected);
        nextAt = Date.now() + gapMs;
        lic.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true, cancelable: true }));
        seen.push(await announced);
        if (seen.at(-1) !== expected) break;
      }
      return seen;
    },
    { plates, state, gapMs, waitMs: ANNOUNCE_WAIT_MS },
  );
  return announced;
}

/** What the plate form announces once `plate` is queued. */
export const queuedAnnouncement = (plate: string, state = 'CA') => `Queued: Plate ${plate} (${state})`;
