// The hotlist wire format: stolen plates a terminal caches to flag a *possible* hit while the link is down.
import { z } from 'zod';
import { API_VERSION } from './protocol.ts';

export const hotlistPaths = {
  /** GET: the snapshot; with ?since=VERSION, what changed since that version. */
  hotlist: `/${API_VERSION}/hotlist`,
  /** Admin server only. GET: version and size; POST a HotlistChange: a drill adds or clears plates. */
  adminHotlist: `/${API_VERSION}/admin/hotlist`,
} as const;

/** A plate as the hotlist holds it: "LIS:LIC", e.g. "CA:4TRN123", the same key the switch's records use. */
export const HotlistKey = z.string().regex(/^[A-Z]{2}:[A-Z0-9]{1,10}$/, { error: 'A hotlist plate must read LIS:LIC, such as CA:4TRN123' });
export type HotlistKey = z.infer<typeof HotlistKey>;
export const hotlistKey = (lis: string, lic: string): HotlistKey => `${lis}:${lic}`;

/**
 * Opaque to terminals: store it, send it back as ?since=. It names the list (a new one each time the switch starts)
 * and its change number, so a version from another run of the switch is never mistaken for this one's.
 */
export const HotlistVersion = z.string().regex(/^[a-z0-9]{1,16}\.\d{1,12}$/, { error: 'since must be a hotlist version, such as 3f9a2c1d.42' });
export type HotlistVersion = z.infer<typeof HotlistVersion>;

/** The whole list. `plates` are sorted by code unit (plain ASCII order), so a terminal can binary-search them. */
export const HotlistSnapshot = z.object({
  kind: z.literal('snapshot'),
  version: HotlistVersion,
  /** When this version was made: how old the switch's own list is. */
  generatedAt: z.iso.datetime(),
  count: z.number().int().min(0),
  plates: z.array(HotlistKey),
});
export type HotlistSnapshot = z.infer<typeof HotlistSnapshot>;

/** What changed between `fromVersion` and `version`: apply `removed`, then `added`. */
export const HotlistDelta = z.object({
  kind: z.literal('delta'),
  fromVersion: HotlistVersion,
  version: HotlistVersion,
  generatedAt: z.iso.datetime(),
  count: z.number().int().min(0),
  added: z.array(HotlistKey),
  removed: z.array(HotlistKey),
});
export type HotlistDelta = z.infer<typeof HotlistDelta>;

/** `?since=` is answered with a delta when the switch still has the changes, otherwise with the full snapshot. */
export const HotlistResponse = z.discriminatedUnion('kind', [HotlistSnapshot, HotlistDelta]);
export type HotlistResponse = z.infer<typeof HotlistResponse>;

export const HotlistRequest = z.object({ since: HotlistVersion.optional() });

/** A drill instructor's change to the list (admin server): stolen plates to add, recovered ones to clear. */
export const HotlistChange = z
  .object({
    add: z.array(HotlistKey).max(100_000).default([]),
    remove: z.array(HotlistKey).max(100_000).default([]),
  })
  .strict();
export type HotlistChange = z.infer<typeof HotlistChange>;

export const HotlistStatus = z.object({ version: HotlistVersion, generatedAt: z.iso.datetime(), count: z.number().int().min(0) });
export type HotlistStatus = z.infer<typeof HotlistStatus>;

/** A terminal's cached list after an answer: a snapshot replaces it, a delta from the cached version updates it. */
export function applyHotlist(cached: { version: string; plates: ReadonlySet<string> } | undefined, answer: HotlistResponse): { version: string; plates: Set<string> } {
  if (answer.kind === 'snapshot') return { version: answer.version, plates: new Set(answer.plates) };
  if (cached === undefined || cached.version !== answer.fromVersion) {
    throw new Error(`A hotlist delta from ${answer.fromVersion} does not apply to ${cached?.version ?? 'an empty cache'}`);
  }
  const plates = new Set(cached.plates);
  for (const key of answer.removed) plates.delete(key);
  for (const key of answer.added) plates.add(key);
  return { version: answer.version, plates };
}
