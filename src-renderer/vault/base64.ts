// Bytes as base64 text and back: keys, nonces and ciphertexts kept where only text goes (JSON, a keychain's string).

/** In slices: a whole shift's held queries would overflow the argument list of one String.fromCharCode. */
export function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

export const fromBase64 = (text: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
