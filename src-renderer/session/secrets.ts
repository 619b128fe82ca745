// What the officer's password protects on this terminal, all through WebCrypto with non-extractable keys:
// an offline-unlock verifier, the private half of a key pair that queries held for the officer are sealed
// to, and the key that authenticates those held bundles.
import { FIELD_CONFIG } from '../../src-shared/field-config.ts';
import type { HeldQueries, OfficerRecord } from '../db/database.ts';
import { fromBase64, toBase64 } from '../vault/base64.ts';

/** PBKDF2-HMAC-SHA-256 iterations for the verifier (OWASP's 2023 figure): slow on purpose, about 0.3 s. */
export const PBKDF2_ITERATIONS: number = FIELD_CONFIG.verifierIterations;

const random = (length: number) => crypto.getRandomValues(new Uint8Array(length));

export type Verifier = NonNullable<OfficerRecord['verifier']>;
export type HoldKey = NonNullable<OfficerRecord['holdKey']>;

interface Derived {
  /** Compared with the stored verifier; never stored with the key below. */
  proof: string;
  /** Wraps and unwraps the officer's private key; cannot be read out. */
  kek: CryptoKey;
  /** HMAC key for held bundles (base64): kept sealed in the hold key so a hold needs no password. */
  mac: string;
}

/**
 * One slow derivation gives the unlock proof, the wrapping key and the bundle key (256 bits each). PBKDF2's
 * blocks are independent, so the first two are what a 512-bit derivation gave before the third was added.
 */
async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Derived> {
  const base = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveBits']);
  const bits = new Uint8Array(await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, base, 768));
  const kek = await crypto.subtle.importKey('raw', bits.slice(32, 64), { name: 'AES-GCM' }, false, ['wrapKey', 'unwrapKey']);
  const proof = toBase64(bits.slice(0, 32));
  const mac = toBase64(bits.slice(64));
  bits.fill(0);
  return { proof, kek, mac };
}

/** Equal in time whatever the first differing character: the comparison says nothing about the verifier. */
function sameText(a: string, b: string): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) difference |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return difference === 0;
}

export interface OfficerSecrets {
  verifier: Verifier;
  holdKey: HoldKey;
  /** The officer's private key, usable (not readable) for this session: opens queries held for them. */
  privateKey: CryptoKey | undefined;
}

/**
 * After an online sign-in: a fresh verifier, and the officer's hold key pair (kept from an earlier
 * sign-in when there is one, so queries held for them can be opened). A hold key the password no longer
 * opens (the password was changed) is replaced, and `privateKey` is undefined for the old one.
 */
export async function secretsAfterSignIn(password: string, previous: HoldKey | undefined): Promise<OfficerSecrets> {
  if (previous) {
    const derived = await derive(password, fromBase64(previous.salt), previous.iterations);
    const privateKey = await openPrivateKey(previous, derived.kek).catch(() => undefined);
    if (privateKey) return { verifier: { salt: previous.salt, hash: derived.proof, iterations: previous.iterations }, holdKey: { ...previous, macKey: derived.mac }, privateKey };
  }
  const salt = random(16);
  const derived = await derive(password, salt, PBKDF2_ITERATIONS);
  const pair = (await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveKey'])) as CryptoKeyPair;
  const iv = random(12);
  const wrapped = await crypto.subtle.wrapKey('pkcs8', pair.privateKey, derived.kek, { name: 'AES-GCM', iv });
  const holdKey: HoldKey = {
    publicKey: toBase64(new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey))),
    wrappedPrivateKey: toBase64(new Uint8Array(wrapped)),
    salt: toBase64(salt),
    iv: toBase64(iv),
    iterations: PBKDF2_ITERATIONS,
    macKey: derived.mac,
  };
  const privateKey = await openPrivateKey(holdKey, derived.kek);
  return { verifier: { salt: holdKey.salt, hash: derived.proof, iterations: PBKDF2_ITERATIONS }, holdKey, privateKey };
}

function openPrivateKey(holdKey: HoldKey, kek: CryptoKey): Promise<CryptoKey> {
  return crypto.subtle.unwrapKey(
    'pkcs8',
    fromBase64(holdKey.wrappedPrivateKey),
    kek,
    { name: 'AES-GCM', iv: fromBase64(holdKey.iv) },
    { name: 'ECDH', namedCurve: 'P-256' },
    false,
    ['deriveKey'],
  );
}

/** Offline unlock: the password against the stored verifier, with the private key when it matches. */
export async function unlockWith(password: string, verifier: Verifier, holdKey: HoldKey | undefined): Promise<{ ok: boolean; privateKey?: CryptoKey }> {
  const derived = await derive(password, fromBase64(verifier.salt), verifier.iterations);
  if (!sameText(derived.proof, verifier.hash)) return { ok: false };
  const privateKey = holdKey ? await openPrivateKey(holdKey, derived.kek).catch(() => undefined) : undefined;
  return privateKey ? { ok: true, privateKey } : { ok: true };
}

type Bundle = HeldQueries['bundles'][number];

/** What a bundle's MAC covers: whose it is and every byte of it, so it cannot be altered or moved to another officer. */
const macInput = (officerId: string, bundle: Omit<Bundle, 'mac'>) => new TextEncoder().encode(JSON.stringify([officerId, bundle.ephemeralKey, bundle.iv, bundle.data]));

const macKeyOf = (macKey: string, use: 'sign' | 'verify') => crypto.subtle.importKey('raw', fromBase64(macKey), { name: 'HMAC', hash: 'SHA-256' }, false, [use]);

/** True when `bundle` was held on this terminal for `officerId` under their key: a planted or altered one is not. */
export async function bundleAuthentic(macKey: string, officerId: string, bundle: Bundle): Promise<boolean> {
  if (!bundle.mac) return false;
  return crypto.subtle.verify('HMAC', await macKeyOf(macKey, 'verify'), fromBase64(bundle.mac), macInput(officerId, bundle));
}

/**
 * Seals text so only the holder of the officer's private key can open it, and authenticates it under the
 * officer's bundle key (kept sealed on this terminal); needs no password.
 */
export async function sealFor(holdKey: HoldKey & { macKey: string }, officerId: string, text: string): Promise<Bundle> {
  const { publicKey } = holdKey;
  const officer = await crypto.subtle.importKey('spki', fromBase64(publicKey), { name: 'ECDH', namedCurve: 'P-256' }, false, []);
  const once = (await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveKey'])) as CryptoKeyPair;
  const key = await crypto.subtle.deriveKey({ name: 'ECDH', public: officer }, once.privateKey, { name: 'AES-GCM', length: 256 }, false, ['encrypt']);
  const iv = random(12);
  const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(text));
  const bundle = {
    ephemeralKey: toBase64(new Uint8Array(await crypto.subtle.exportKey('spki', once.publicKey))),
    iv: toBase64(iv),
    data: toBase64(new Uint8Array(data)),
  };
  const mac = await crypto.subtle.sign('HMAC', await macKeyOf(holdKey.macKey, 'sign'), macInput(officerId, bundle));
  return { ...bundle, mac: toBase64(new Uint8Array(mac)) };
}

export async function openBundle(privateKey: CryptoKey, bundle: Bundle): Promise<string> {
  const once = await crypto.subtle.importKey('spki', fromBase64(bundle.ephemeralKey), { name: 'ECDH', namedCurve: 'P-256' }, false, []);
  const key = await crypto.subtle.deriveKey({ name: 'ECDH', public: once }, privateKey, { name: 'AES-GCM', length: 256 }, false, ['decrypt']);
  const data = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64(bundle.iv) }, key, fromBase64(bundle.data));
  return new TextDecoder().decode(data);
}
