// Who is signed on at this terminal, for the status bar: the unit and officer when the configuration names them.
/**
 * The terminal configuration may carry `unit` and `officer` (an agency profile that names them);
 * with neither, the status bar shows nothing rather than a placeholder.
 */
export function crewOf(config: object): string[] {
  const named = config as Partial<Record<'unit' | 'officer', unknown>>;
  const crew: string[] = [];
  if (typeof named.unit === 'string' && named.unit.trim()) crew.push(`Unit ${named.unit.trim()}`);
  if (typeof named.officer === 'string' && named.officer.trim()) crew.push(`Officer ${named.officer.trim()}`);
  return crew;
}
