// Sealing at rest for the durable engines: every value they keep (records, events, audit records, secrets) is
// AES-256-GCM under the store key, a file kept outside the database, and bound by its associated data to the row
// it lives in, so a copy of the database reads as nothing and a value moved to another row does not open.
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { StoreDamaged, type StoredEvent } from './store.ts';

export const STORE_KEY_BYTES = 32;
/** Starts every sealed value (its format's version); no JSON text starts so, which is how clear values are told apart. */
const PREFIX = 's1:';
const SALT_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Domain bytes keep the two uses of the key's HMAC apart: per-value keys, and the check value. */
const VALUE_KEY = Buffer.from([1]);
const CHECK = Buffer.from([2]);
const CHECK_LABEL = 'outrider switch store key check';
/**
 * Values sealed under one salt's key before a fresh salt is drawn: far under the 2^32 random 96-bit IVs GCM
 * allows per key, and it spares an HMAC per value (a fifth of the sealing's time under load).
 */
const VALUES_PER_SALT = 1 << 20;
/** Value keys kept for opening: a process's values share a few salts, so most opens find theirs here. */
const KEYS_KEPT = 64;
/** Random bytes drawn at a time for IVs: one call to the system's generator serves hundreds of values. */
const RANDOM_POOL_BYTES = 4096;

/** Where a value lives: its table and its row's key. The same place whichever engine keeps it. */
export type Place = readonly [table: string, ...key: Array<string | number>];

export const places = {
  record: (ns: string, key: string): Place => ['records', ns, key],
  event: (seq: number, terminal: string | null, type: string): Place => ['events', seq, terminal ?? '', type],
  audit: (terminal: string, n: number): Place => ['audit_records', terminal, n],
  secret: (name: string): Place => ['secret', name],
};

/** A place as an error may print it: table and keys, none of which is CJI (docs/deploy-switch.md). */
export function describePlace(place: Place): string {
  return place.join(' ');
}

export function isSealed(text: string): boolean {
  return text.startsWith(PREFIX);
}

export class Sealer {
  readonly #key: Buffer;
  /** Damaged events already reported: a stream reading the log again does not repeat the line. */
  readonly #reported = new Set<number>();
  /** The salt new values are sealed under, its key, and how many values it has sealed. */
  #salt: { salt: Buffer; key: Buffer; used: number } = { salt: Buffer.alloc(0), key: Buffer.alloc(0), used: VALUES_PER_SALT };
  /** Value keys by salt (base64), oldest first. */
  readonly #keys = new Map<string, Buffer>();
  #random: Buffer = Buffer.alloc(0);
  #randomAt = 0;

  constructor(key: Buffer) {
    if (key.length !== STORE_KEY_BYTES) throw new Error(`a store key is ${STORE_KEY_BYTES} bytes, not ${key.length}`);
    this.#key = Buffer.from(key);
  }

  /** What the store keeps to recognise its key at open: an HMAC of a fixed label, which tells nothing of the key. */
  get check(): string {
    return this.#hmac(CHECK, Buffer.from(CHECK_LABEL)).toString('base64');
  }

  matches(check: string): boolean {
    const expected = Buffer.from(this.check, 'base64');
    const given = Buffer.from(check, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  seal(place: Place, value: unknown): string {
    return this.sealText(place, JSON.stringify(value));
  }

  open<T>(place: Place, sealed: string): T {
    return JSON.parse(this.openText(place, sealed)) as T;
  }

  /**
   * Values are sealed under keys drawn from the store key with a random salt, a fresh salt every
   * VALUES_PER_SALT values: GCM's random 96-bit IVs are safe for about 2^32 values per key, which a busy switch
   * would reach within the store key's life. The salt is kept with each value, so any process opens it.
   */
  sealText(place: Place, text: string): string {
    if (this.#salt.used >= VALUES_PER_SALT) {
      const salt = randomBytes(SALT_BYTES);
      this.#salt = { salt, key: this.#valueKey(salt), used: 0 };
    }
    this.#salt.used++;
    const iv = this.#randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#salt.key, iv);
    cipher.setAAD(associated(place));
    const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([this.#salt.salt, iv, cipher.getAuthTag(), body]).toString('base64');
  }

  /** Throws StoreDamaged, naming the place, for a value that is not sealed, was changed, or belongs elsewhere. */
  openText(place: Place, sealed: string): string {
    if (!isSealed(sealed)) throw new StoreDamaged(describePlace(place));
    const bytes = Buffer.from(sealed.slice(PREFIX.length), 'base64');
    if (bytes.length < SALT_BYTES + IV_BYTES + TAG_BYTES) throw new StoreDamaged(describePlace(place));
    const tagAt = SALT_BYTES + IV_BYTES;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#valueKey(bytes.subarray(0, SALT_BYTES)), bytes.subarray(SALT_BYTES, tagAt));
      decipher.setAAD(associated(place));
      decipher.setAuthTag(bytes.subarray(tagAt, tagAt + TAG_BYTES));
      return Buffer.concat([decipher.update(bytes.subarray(tagAt + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new StoreDamaged(describePlace(place));
    }
  }

  /**
   * Opens a page of the event log. A damaged event is left out and reported once (where, never what): thrown, it
   * would stop every terminal's stream at that point of the log, and at start the switch itself.
   */
  openEvents(rows: ReadonlyArray<{ seq: number | string; terminal: string | null; type: string; data: string; at: number | string }>): StoredEvent[] {
    const events: StoredEvent[] = [];
    for (const row of rows) {
      const seq = Number(row.seq);
      try {
        events.push({ seq, terminal: row.terminal, type: row.type, data: this.open(places.event(seq, row.terminal, row.type), row.data), at: Number(row.at) });
      } catch (error) {
        if (!(error instanceof StoreDamaged)) throw error;
        if (!this.#reported.has(seq)) console.error(`Outrider switch: left out of the event log: ${error.message}`);
        this.#reported.add(seq);
      }
    }
    return events;
  }

  #valueKey(salt: Buffer): Buffer {
    const name = salt.toString('base64');
    let key = this.#keys.get(name);
    if (key) return key;
    key = this.#hmac(VALUE_KEY, salt);
    this.#keys.set(name, key);
    if (this.#keys.size > KEYS_KEPT) this.#keys.delete(this.#keys.keys().next().value!);
    return key;
  }

  /** `count` random bytes from a pool drawn from the system's generator; each byte is handed out once. */
  #randomBytes(count: number): Buffer {
    if (this.#randomAt + count > this.#random.length) {
      this.#random = randomBytes(RANDOM_POOL_BYTES);
      this.#randomAt = 0;
    }
    this.#randomAt += count;
    return this.#random.subarray(this.#randomAt - count, this.#randomAt);
  }

  #hmac(domain: Buffer, data: Buffer): Buffer {
    return createHmac('sha256', this.#key).update(domain).update(data).digest();
  }
}

/** The associated data: the place as JSON, so no two places (a key holding a separator, say) read alike. */
function associated(place: Place): Buffer {
  return Buffer.from(JSON.stringify(['outrider-switch', ...place]));
}
