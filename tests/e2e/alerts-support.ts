// What the alert specs share: listening to the page's tones, reading stored acknowledgements, opening a terminal on a fake clock.
import type { Page } from '@playwright/test';
import { expect, statusBar, enter } from './fixtures.ts';

declare global {
  interface Window {
    /** Frequency of every oscillator the page started, in order. */
    __tones?: number[];
    /** State of every AudioContext the page made. */
    __audioStates?: () => AudioContextState[];
  }
}

/** Before any page script runs, counts each tone the page starts, so a test can hear the alert. */
export async function listenForTones(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const contexts: AudioContext[] = [];
    const Original = window.AudioContext;
    window.AudioContext = class extends Original {
      constructor(options?: AudioContextOptions) {
        super(options);
        contexts.push(this);
      }
    };
    window.__tones = [];
    window.__audioStates = () => contexts.map((context) => context.state);
    const start = OscillatorNode.prototype.start;
    OscillatorNode.prototype.start = function (when?: number) {
      window.__tones!.push(this.frequency.value);
      start.call(this, when);
    };
  });
}

export function tones(page: Page): Promise<number[]> {
  return page.evaluate(() => window.__tones ?? []);
}

/**
 * How many alerts IndexedDB holds as acknowledged: read straight from storage, after any write already begun.
 * Acknowledged in its alert, or in an acknowledgement of its own (same rank) in the acknowledgements' database,
 * not yet folded into it.
 */
export function acknowledgedInStorage(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const read = <T>(name: string, store: string) =>
      new Promise<T[]>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction(store).objectStore(store).getAll();
          request.onerror = () => reject(request.error);
          request.onsuccess = () => {
            resolve(request.result as T[]);
            open.result.close();
          };
        };
      });
    // Opened only if the app has made it: opening a database that does not exist would create it empty.
    const made = (await indexedDB.databases()).some((each) => each.name === 'outrider-acknowledgements');
    const held = made ? await read<{ id: string; rank: number }>('outrider-acknowledgements', 'acknowledgements') : [];
    const alerts = await read<{ id: string; rank: number; acknowledgedAt: number }>('outrider', 'alerts');
    return alerts.filter((alert) => alert.acknowledgedAt !== 0 || held.some((each) => each.id === alert.id && each.rank === alert.rank)).length;
  });
}

/** Loads the terminal with Playwright's clock installed (time still flows), so a test can jump ahead. */
export async function openOnClock(page: Page, url: string, time: Date = new Date()): Promise<void> {
  await page.clock.install({ time });
  await page.goto(url);
  await enter(page);
  await expect(statusBar(page)).toContainText('Link: Online');
}

export function alertHistoryRows(page: Page) {
  return page.getByRole('table', { name: 'Alert history' }).getByRole('row').filter({ has: page.getByRole('cell') });
}
