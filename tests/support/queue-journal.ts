// The queue journal as it rests in the page's Origin Private File System (src-renderer/outbox/queue-journal.ts):
// read from inside the page, past the app.
import type { Page } from '@playwright/test';

/** Every query file of the journal of database `name`, and their bytes read as text; none when there is no journal. */
export function rawJournal(page: Page, name = 'outrider'): Promise<{ files: string[]; text: string }> {
  return page.evaluate(async (database) => {
    const root = await navigator.storage.getDirectory();
    const files: string[] = [];
    let text = '';
    try {
      const folder = await (await root.getDirectoryHandle('outrider-journal')).getDirectoryHandle(database);
      for await (const [entry, handle] of (folder as unknown as { entries(): AsyncIterable<[string, FileSystemFileHandle]> }).entries()) {
        if (!entry.startsWith('q-')) continue;
        files.push(entry);
        text += await (await handle.getFile()).text();
      }
    } catch (error) {
      if (!(error instanceof DOMException && error.name === 'NotFoundError')) throw error;
    }
    return { files, text };
  }, name);
}
