// A query the screen calls queued is on disk: the transaction that writes it to the intake commits strict
// (flushed to disk, so a power cut or an OS crash cannot lose it), from the intake's worker and from the page.
import { rawJournal } from '../support/queue-journal.ts';
import { readStore } from '../support/terminal-records.ts';
import { enter, expect, resultFor, runPlate, test } from './fixtures.ts';

/** Records, where it runs (the page or a worker), the durability of every transaction that puts a row into the intake. */
function recordIntakePuts(): void {
  const scope = globalThis as unknown as { intakePuts: string[] };
  scope.intakePuts = [];
  const put = IDBObjectStore.prototype.put;
  IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
    if (this.name === 'intake') scope.intakePuts.push(this.transaction.durability);
    return put.apply(this, args);
  };
}

const intakePuts = () => (globalThis as unknown as { intakePuts: string[] }).intakePuts;

test('commits a query entered strict, from the intake worker', async ({ terminal }) => {
  const started = terminal.waitForEvent('worker', (worker) => worker.url().includes('intake-worker'));
  // The worker starts with the first query; the second is the one watched.
  await runPlate(terminal, 'DISK1', 'CA');
  const worker = await started;
  await expect(resultFor(terminal, 'Plate DISK1 (CA)')).toBeVisible();
  await worker.evaluate(recordIntakePuts);
  await runPlate(terminal, 'DISK2', 'CA');
  await expect.poll(() => worker.evaluate(intakePuts)).toEqual(['strict']);
  await expect(resultFor(terminal, 'Plate DISK2 (CA)')).toBeVisible();
});

test('a query whose commit fails is said not to be queued, and leaves no copy in the queue journal', async ({ terminal }) => {
  const started = terminal.waitForEvent('worker', (worker) => worker.url().includes('intake-worker'));
  await runPlate(terminal, 'DISK4', 'CA');
  const worker = await started;
  await expect(resultFor(terminal, 'Plate DISK4 (CA)')).toBeVisible();
  // The next put into the intake fails in the worker, as a full or failing disk fails it.
  await worker.evaluate(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name !== 'intake') return put.apply(this, args);
      IDBObjectStore.prototype.put = put;
      throw new DOMException('The disk failed', 'UnknownError');
    };
  });
  await runPlate(terminal, 'DISK5', 'CA');
  await expect(terminal.getByText('The query could not be saved and was NOT queued')).toBeVisible();
  // The worker deals with each copy in turn: DISK5's before DISK6's is named for its row. So the journal holds
  // exactly the two queued, and never passes through three.
  await runPlate(terminal, 'DISK6', 'CA');
  await expect(resultFor(terminal, 'Plate DISK6 (CA)')).toBeVisible();
  const queued = (await readStore<{ id: string }>(terminal, 'outbox')).map((row) => `q-${row.id}.json`).sort();
  expect(queued).toHaveLength(2);
  await expect.poll(async () => (await rawJournal(terminal)).files.sort()).toEqual(queued);
});

test('commits a query entered strict through the page when the intake worker cannot start', async ({ page, terminalUrl }) => {
  // A page where starting a worker fails, as where policy forbids them: the intake falls back to the page.
  await page.addInitScript(() => {
    globalThis.Worker = class {
      constructor() {
        throw new DOMException('Workers are not allowed here', 'SecurityError');
      }
    } as unknown as typeof Worker;
  });
  await page.addInitScript(recordIntakePuts);
  await page.goto(terminalUrl);
  await enter(page);
  await runPlate(page, 'DISK3', 'CA');
  await expect.poll(() => page.evaluate(intakePuts)).toEqual(['strict']);
  await expect(resultFor(page, 'Plate DISK3 (CA)')).toBeVisible();
  // Its copy in the queue journal is written by the page too, sealed as the database holds it.
  const journal = await rawJournal(page);
  expect(journal.files).toHaveLength(1);
  expect(journal.text).not.toContain('DISK3');
});
