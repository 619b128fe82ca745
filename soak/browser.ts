// The browser a soak drives where nothing kills it: the end-to-end tests' Chromium, a fresh profile, the
// terminal signed in with a live link. The hotlist is refused: a possible hit is not what a soak counts.
import { chromium, type Page } from '@playwright/test';
import { NAME_SHIM } from '../bench/harness.ts';
import { CHROMIUM_ARGS, chromiumExecutable } from '../tests/support/chromium.ts';
import { enter } from '../tests/support/sign-in.ts';

export async function openTerminal(terminalUrl: string): Promise<{ page: Page; close(): Promise<void> }> {
  const executablePath = chromiumExecutable();
  const browser = await chromium.launch({ ...(executablePath ? { executablePath } : {}), args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext();
    await context.route('**/v1/hotlist*', (route) => route.abort('blockedbyclient'));
    // Under tsx (npm run soak) functions handed to the page name themselves with a helper the page lacks.
    await context.addInitScript({ content: NAME_SHIM });
    const page = await context.newPage();
    await page.goto(terminalUrl);
    await enter(page);
    await page.getByRole('status', { name: 'Terminal status' }).getByText('Link: Online').waitFor();
    return { page, close: () => browser.close() };
  } catch (error) {
    await browser.close();
    throw error;
  }
}
