// One SQLite store serves one switch process. Two switches on one file (a second `npm run switch` on another
// port, a service and a manual start) would each take every unfinished run at start and run it again, and each
// would stream only its own events. A lock file beside the store names the process that has it; a switch that
// finds a live owner refuses to start, and one that finds a dead owner's file (a kill -9, a power cut) takes over.
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** A refusal to open a store another switch process has; the message names it and what to do. */
export class StoreInUse extends Error {}

/** Whether a process with this id runs on this machine (one of another user's counts). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Claims `file` for this process with `<file>.lock`; returns the release, which removes the lock file if it is
 * still this process's. Throws StoreInUse when a live process (or one on another host, which cannot be asked)
 * has it.
 */
export function claimStoreFile(file: string): () => void {
  const lock = `${file}.lock`;
  const mine = `${process.pid} ${hostname()}\n`;
  const release = () => {
    try {
      if (readFileSync(lock, 'utf8') === mine) unlinkSync(lock);
    } catch {
      // Gone already: nothing to release.
    }
  };
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(lock, mine, { flag: 'wx', mode: 0o600 });
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw inUse(file, lock, error);
    }
    const [pid, host] = readFileSync(lock, 'utf8').trim().split(' ');
    if (host !== hostname()) {
      throw new StoreInUse(
        `${file} is in use by switch process ${pid} on ${host} (${lock}): one SQLite store serves one switch; several nodes share a PostgreSQL database (docs/deploy-switch.md). If ${host} is down for good, delete ${lock}.`,
      );
    }
    if (alive(Number(pid))) {
      throw new StoreInUse(
        `${file} is in use by switch process ${pid} on this machine: one SQLite store serves one switch; several nodes share a PostgreSQL database (docs/deploy-switch.md). Stop that process, or give this one its own --data-dir.`,
      );
    }
    // Its owner is gone (killed, or the machine went down): take it over.
    unlinkSync(lock);
  }
}

function inUse(file: string, lock: string, error: unknown): Error {
  if ((error as NodeJS.ErrnoException).code === 'EEXIST') return new StoreInUse(`${file} was claimed by another switch process as this one started (${lock}): one SQLite store serves one switch`);
  return new Error(`cannot make the store's lock file ${lock}: ${(error as Error).message}`);
}
