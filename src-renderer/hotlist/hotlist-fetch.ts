// Fetches the hotlist from the switch and checks it against the shared schema, a chunk at a time so a million plates never block input.
import { FIELD_CONFIG } from '../../src-shared/field-config.ts';
import { z } from 'zod';
import { HotlistDelta, HotlistKey, hotlistPaths, HotlistSnapshot } from '../../src-shared/hotlist.ts';
import { type CheckedSnapshot, yieldToInput } from './hotlist-cache.ts';
import { CHUNK_SIZE, isSortedUnique, sortUnique } from './hotlist-index.ts';


export type HotlistFetch = { kind: 'snapshot'; snapshot: CheckedSnapshot } | { kind: 'delta'; delta: HotlistDelta };

/** The snapshot's envelope; its plates are checked separately, in chunks, against HotlistKey. */
const SnapshotEnvelope = HotlistSnapshot.extend({ plates: z.array(z.string()) });
const PlateChunk = z.array(HotlistKey);

/** Checks a parsed snapshot, yielding between chunks. A list out of order (another switch) is sorted rather than refused. */
export async function checkSnapshot(body: unknown): Promise<CheckedSnapshot> {
  const envelope = SnapshotEnvelope.parse(body);
  const { plates } = envelope;
  let sorted = true;
  for (let from = 0; from < plates.length; from += CHUNK_SIZE) {
    PlateChunk.parse(plates.slice(from, from + CHUNK_SIZE));
    // Overlapping by one so the order is checked across the chunk boundary too.
    sorted &&= isSortedUnique(plates, Math.max(0, from - 1), Math.min(plates.length, from + CHUNK_SIZE));
    await yieldToInput();
  }
  return { version: envelope.version, generatedAt: envelope.generatedAt, plates: sorted ? plates : sortUnique(plates) };
}

/** GET /v1/hotlist (with ?since= when a version is held). The switch may answer a `since` with the whole list. */
export async function fetchHotlist(baseUrl: string, since: string | undefined, fetcher: typeof fetch = fetch): Promise<HotlistFetch> {
  const url = `${baseUrl}${hotlistPaths.hotlist}${since ? `?since=${encodeURIComponent(since)}` : ''}`;
  const response = await fetcher(url, { signal: AbortSignal.timeout(FIELD_CONFIG.hotlistFetchTimeoutMs), cache: 'no-store' });
  if (!response.ok) throw new Error(`The switch answered ${response.status} for the hotlist`);
  const body: unknown = await response.json();
  if (typeof body === 'object' && body !== null && (body as { kind?: unknown }).kind === 'delta') return { kind: 'delta', delta: HotlistDelta.parse(body) };
  return { kind: 'snapshot', snapshot: await checkSnapshot(body) };
}
