// A secret the switch keeps in a file (the store key, the session key, the admin token) is refused when other
// users may read or change it, as PostgreSQL refuses such a private key: a copy of it opens the store, signs
// sessions or commands the drills. The file's group may read it (a deployment that gives a group read access,
// 0640, means to); nobody else may, and no group may change it.
import { statSync } from 'node:fs';

/** What is wrong with `file`'s permissions, as a sentence naming it and the fix; undefined when nothing is. */
export function exposedSecret(what: string, file: string): string | undefined {
  // Windows keeps access in ACLs, which the mode bits do not show.
  if (process.platform === 'win32') return undefined;
  const mode = statSync(file).mode & 0o777;
  let open: string;
  if (mode & 0o006) open = `${mode & 0o004 ? (mode & 0o002 ? 'read and changed' : 'read') : 'changed'} by every user of this machine`;
  else if (mode & 0o020) open = 'changed by its group';
  else return undefined;
  return `${what} ${file} can be ${open} (mode ${mode.toString(8).padStart(4, '0')}): make it the switch's alone with chmod 600 ${file} (or 640 for a group that must read it)`;
}
