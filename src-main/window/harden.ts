// Navigation, new windows and webviews denied for every web contents the app ever creates.
import type { WebContents } from 'electron';

export function hardenWebContents(contents: WebContents): void {
  // The terminal is one page: nothing it shows may take the window elsewhere, in any frame.
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-frame-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  // External links are never opened, not even in the system browser: a car terminal is not a browser.
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
