// What the driver's-seat UI specs share: themes, axe, screenshots, in-page measurements, and plates queued in bulk.
import type { Page } from '@playwright/test';
import type { AxeResults } from 'axe-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type PlateTyping, queuedAnnouncement, typePlates } from '../support/plate-typing.ts';
import { expect } from './fixtures.ts';

export type ThemeName = 'night' | 'day';
export const THEMES: readonly ThemeName[] = ['night', 'day'];

/** The two screens the terminal is built for: a 10–12 inch 1024 x 768 and a 13 inch 1366 x 768. */
export const VIEWPORTS = [
  { width: 1024, height: 768 },
  { width: 1366, height: 768 },
] as const;

/** Screenshots are for a person to look at, never committed: outside the repository. */
export const SHOTS_DIR = process.env.OUTRIDER_UI_SHOTS ?? '/tmp/ui-shots';

/** Sets the system setting and waits for the terminal to follow it (no theme chosen by the officer). */
export async function followSystem(page: Page, theme: ThemeName): Promise<void> {
  await page.emulateMedia({ colorScheme: theme === 'day' ? 'light' : 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Every axe violation, as one readable line each, so a failure names the rule and the element. axe-core runs in
 * the page itself, put there once per document, with all its rules: @axe-core/playwright's AxeBuilder
 * injects it again for every analysis and finishes each run in a new blank page (2-3 s an analysis here,
 * against 0.3 s), which only a page with frames from other origins needs, and the terminal has no frames.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const { axe } = window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } };
    return (await axe.run(document, { resultTypes: ['violations'] })).violations;
  });
  return violations.flatMap((violation) =>
    violation.nodes.map((node) => `${violation.id}: ${node.target.join(' ')} — ${node.failureSummary ?? violation.help}`),
  );
}

/** Checks a screen with axe and photographs it at each viewport (the last viewport stays set). */
export async function checkScreen(page: Page, theme: ThemeName, screen: string): Promise<void> {
  mkdirSync(SHOTS_DIR, { recursive: true });
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize(viewport);
    expect(await axeViolations(page), `axe on "${screen}" in the ${theme} theme at ${viewport.width}x${viewport.height}`).toEqual([]);
    await page.screenshot({ path: `${SHOTS_DIR}/${screen}-${theme}-${viewport.width}x${viewport.height}.png` });
  }
}

/** Visible elements of at least 100 x 100 px painted in a light colour (relative luminance over 0.4). */
export function brightAreas(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const channel = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
    const found: string[] = [];
    for (const element of [document.documentElement, ...document.querySelectorAll('body, body *')]) {
      const rect = element.getBoundingClientRect();
      if (rect.width < 100 || rect.height < 100) continue;
      const [r = 0, g = 0, b = 0, a = 1] = (getComputedStyle(element).backgroundColor.match(/[\d.]+/g) ?? []).map(Number);
      if (a < 0.5) continue;
      const luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
      if (luminance > 0.4) found.push(`${element.tagName.toLowerCase()}.${[...element.classList].join('.')} ${Math.round(rect.width)}x${Math.round(rect.height)}`);
    }
    return found;
  });
}

/** The focused element's outline: width in px, style, and its contrast against the page background. */
export function focusRing(page: Page): Promise<{ width: number; style: string; contrast: number; name: string }> {
  return page.evaluate(() => {
    const channel = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
    const luminance = (colour: string) => {
      const [r = 0, g = 0, b = 0] = (colour.match(/[\d.]+/g) ?? []).map(Number);
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    const focused = document.activeElement as HTMLElement;
    if (focused === document.body) return { width: 0, style: 'none', contrast: 0, name: 'BODY' };
    const style = getComputedStyle(focused);
    const ring = luminance(style.outlineColor);
    const page = luminance(getComputedStyle(document.documentElement).backgroundColor);
    return {
      width: parseFloat(style.outlineWidth),
      style: style.outlineStyle,
      contrast: (Math.max(ring, page) + 0.05) / (Math.min(ring, page) + 0.05),
      name: focused.getAttribute('aria-label') ?? (focused.matches('input, select') ? focused.id : focused.textContent?.trim()) ?? focused.tagName,
    };
  });
}

/** Every visible button, input and select smaller than 44 x 44 px, named so a failure says which. */
export async function smallControls(page: Page): Promise<string[]> {
  const small: string[] = [];
  for (const control of await page.locator('button, input, select').all()) {
    if (!(await control.isVisible())) continue;
    const box = await control.boundingBox();
    if (box && box.width >= 44 && box.height >= 44) continue;
    const name = (await control.getAttribute('aria-label')) ?? (await control.getAttribute('id')) ?? (await control.textContent());
    small.push(`${name?.trim()} is ${box ? `${Math.round(box.width)}x${Math.round(box.height)}` : 'not laid out'}`);
  }
  return small;
}

export type { PlateTyping } from '../support/plate-typing.ts';

/** Enters plates with `typePlates` and checks each was announced as queued; resolves with how many went in. */
export async function enterPlates(page: Page, plates: readonly string[], typing: PlateTyping = {}): Promise<number> {
  const announced = await typePlates(page, plates, typing);
  expect(announced, 'what the form announced after each plate').toEqual(plates.slice(0, announced.length).map((plate) => queuedAnnouncement(plate, typing.state)));
  return announced.length;
}

/** Queues every plate of `plates` with `enterPlates`, where no alert can come up (offline, no hotlist). */
export async function queuePlates(page: Page, plates: readonly string[], typing: PlateTyping = {}): Promise<void> {
  expect(await enterPlates(page, plates, typing), 'plates queued before a dialog stopped the typing').toBe(plates.length);
}
