// The store key's file, and the one decision about it at open: a store that holds sealed values opens only with
// the key it was sealed with; a new key is made only for a store that holds nothing sealed yet.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { exposedSecret } from '../auth/private-file.ts';
import { Sealer, STORE_KEY_BYTES } from './sealing.ts';

/** A refusal to open a store for its key: the message names the key file and says what to do. */
export class StoreKeyRefused extends Error {}

export class StoreKeyFile {
  constructor(readonly file: string) {}

  /** The key, or undefined when the file does not exist. */
  read(): Buffer | undefined {
    let key: Buffer;
    try {
      key = readFileSync(this.file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new StoreKeyRefused(`cannot read the store key file ${this.file}: ${(error as Error).message}`);
    }
    if (key.length !== STORE_KEY_BYTES) throw new StoreKeyRefused(`the store key file ${this.file} holds ${key.length} bytes; a store key is exactly ${STORE_KEY_BYTES} random bytes`);
    const exposed = exposedSecret('the store key file', this.file);
    if (exposed) throw new StoreKeyRefused(exposed);
    return key;
  }

  /** Makes the file, owner-only; never over an existing one (`wx`), should another process have made it meanwhile. */
  make(): Buffer {
    const key = randomBytes(STORE_KEY_BYTES);
    try {
      mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
      writeFileSync(this.file, key, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      throw new StoreKeyRefused(`cannot make the store key file ${this.file}: ${(error as Error).message}`);
    }
    return key;
  }
}

/**
 * The sealer for the store at `where`, whose key check value is `check` (none: nothing sealed yet, a new or a
 * clear store). `sealed` says the schema is one that seals, so a missing check is damage, not a new store.
 */
export function unlockStore(keyFile: StoreKeyFile, where: string, check: string | undefined, sealed: boolean): Sealer {
  if (check === undefined) {
    if (sealed) throw new StoreKeyRefused(`${where} is sealed, but its key check value is gone: the store was changed outside the switch; restore it from a backup`);
    return new Sealer(keyFile.read() ?? keyFile.make());
  }
  const key = keyFile.read();
  if (key === undefined) {
    throw new StoreKeyRefused(
      `${where} is sealed, and its store key file ${keyFile.file} does not exist: restore that file from its backup (or copy it from another node), or give its place with --store-key-file. A new key would open nothing, so none is made.`,
    );
  }
  const sealer = new Sealer(key);
  if (!sealer.matches(check)) {
    throw new StoreKeyRefused(`the store key in ${keyFile.file} is not the key ${where} was sealed with: give the store's own key file (every node of one database shares one)`);
  }
  return sealer;
}
