// Opens the store `--store` names: `memory`, `sqlite:PATH` (the default, a file in the data folder) or a
// `postgres://` URL. The engines with native or network clients are loaded only when chosen, so the desktop
// app's bundled drill switch (memory) carries no native module.
import { join, resolve } from 'node:path';
import { MemoryStore } from './memory-store.ts';
import type { SwitchStore } from './store.ts';
import type { StoreKeyFile } from './store-key.ts';

export type StoreSpec = { engine: 'memory' } | { engine: 'sqlite'; file: string } | { engine: 'postgres'; url: string };

/** Reads a `--store` value; undefined means the default, SQLite in the data folder. A bad one names what is accepted. */
export function parseStoreSpec(text: string | undefined, dataDir: string): { ok: true; spec: StoreSpec } | { ok: false; error: string } {
  if (text === undefined || text === '') return { ok: true, spec: { engine: 'sqlite', file: join(dataDir, 'switch.db') } };
  if (text === 'memory') return { ok: true, spec: { engine: 'memory' } };
  if (text.startsWith('sqlite:')) {
    const file = text.slice('sqlite:'.length);
    if (file === '') return { ok: false, error: '--store sqlite: needs a file, as sqlite:/var/lib/outrider/switch.db' };
    return { ok: true, spec: { engine: 'sqlite', file: resolve(file) } };
  }
  if (/^postgres(ql)?:\/\//.test(text)) {
    try {
      new URL(text);
    } catch {
      return { ok: false, error: `--store ${redact(text)} is not a valid PostgreSQL URL` };
    }
    return { ok: true, spec: { engine: 'postgres', url: text } };
  }
  return { ok: false, error: `--store must be memory, sqlite:PATH or postgres://USER@HOST:PORT/DATABASE, not "${redact(text)}"` };
}

/** A store URL as it may be printed: without its password. */
export function redact(text: string): string {
  return text.replace(/^(postgres(?:ql)?:\/\/[^:/@]+):[^@]*@/, '$1:***@');
}

export function describeStore(spec: StoreSpec): string {
  if (spec.engine === 'memory') return 'memory (forgotten when the switch stops)';
  if (spec.engine === 'sqlite') return `SQLite ${spec.file}`;
  return `PostgreSQL ${redact(spec.url)}`;
}

/** Opens the store; the durable engines seal what they keep under the key in `keyFile`, which memory never reads or makes. */
export async function openStore(spec: StoreSpec, keyFile: StoreKeyFile): Promise<SwitchStore> {
  if (spec.engine === 'memory') return new MemoryStore();
  if (spec.engine === 'sqlite') return (await import('./sqlite-store.ts')).SqliteStore.open(spec.file, keyFile);
  return (await import('./postgres-store.ts')).PostgresStore.open(spec.url, keyFile);
}
