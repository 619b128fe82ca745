// Runs before the end-to-end tests (a Playwright setup project): a fresh machine gets its Chromium here, once.
import { test as setup } from '@playwright/test';
import { ensureChromium } from '../support/chromium.ts';

setup('a Chromium for the end-to-end tests', () => {
  ensureChromium();
});
