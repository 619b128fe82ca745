// The plates a soak enters: mostly plates no record holds, and every n-th a training hit (README, training records).
export const HIT_PLATES = ['4TRN123', '4TRN456', '4TRN789'] as const;

/**
 * Query i's plate: every `hitEvery`-th one of the training hits in turn, the rest `${prefix}${i}`, which no record
 * holds. Two hits never follow each other, so the form always announces a change.
 */
export function soakPlate(i: number, prefix: string, hitEvery: number): string {
  return i % hitEvery === hitEvery - 1 ? HIT_PLATES[Math.floor(i / hitEvery) % HIT_PLATES.length]! : `${prefix}${i}`;
}

export const isHit = (plate: string) => (HIT_PLATES as readonly string[]).includes(plate);

/** `count` distinct whole numbers drawn at random from [low, high], in increasing order. */
export function randomPoints(count: number, low: number, high: number, random: () => number = Math.random): number[] {
  const span = high - low + 1;
  if (count > span) throw new Error(`cannot draw ${count} distinct points from ${span}`);
  const points = new Set<number>();
  while (points.size < count) points.add(low + Math.floor(random() * span));
  return [...points].sort((a, b) => a - b);
}
