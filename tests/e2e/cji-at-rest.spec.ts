// What Chromium's IndexedDB holds after real queries and answers: no plate, name or VIN in plain text.
import { expect, resultFor, runPerson, runPlate, test } from './fixtures.ts';

test('after a hit, a clean person and a VIN, the raw database holds none of them in plain text', async ({ terminal: page }) => {
  await runPlate(page, '4TRN123', 'CA');
  await expect(page.getByRole('alertdialog')).toContainText('STOLEN VEHICLE');
  await page.getByRole('alertdialog').getByRole('button', { name: 'Acknowledge' }).click();
  await runPerson(page, 'TRAINING, CLEAN', '1990-06-15', 'F');
  await expect(resultFor(page, 'TRAINING, CLEAN, DOB 1990-06-15, sex F')).toContainText('Answered');
  // The screen shows it all: the terminal reads its own data back.
  await expect(resultFor(page, 'Plate 4TRN123 (CA)')).toContainText('HIT: STOLEN VEHICLE');

  const raw = await page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const request = indexedDB.open('outrider');
        request.onsuccess = () => {
          const idb = request.result;
          const stores = [...idb.objectStoreNames];
          const tx = idb.transaction(stores, 'readonly');
          const rows: unknown[] = [];
          for (const store of stores) {
            const all = tx.objectStore(store).getAll();
            all.onsuccess = () => rows.push(...(all.result as unknown[]));
          }
          tx.oncomplete = () => {
            idb.close();
            const text = (value: unknown) => (value instanceof Uint8Array ? new TextDecoder().decode(value) : value);
            resolve(JSON.stringify(rows, (_key, value: unknown) => text(value)));
          };
        };
      }),
  );
  expect(raw.length).toBeGreaterThan(1000);
  for (const cji of ['4TRN123', 'TRAINING', 'CLEAN', '1990-06-15', 'HONDA', 'CIVIC', 'STOLEN VEHICLE']) expect(raw).not.toContain(cji);
});
