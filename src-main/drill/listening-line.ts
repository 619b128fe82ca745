// Reads the line the switch CLI prints once it listens, to learn the port it was given.

// The CLI prints exactly this; scripts/switch-process.ts reads the same line.
const LISTENING = /Outrider switch listening on (http:\/\/127\.0\.0\.1:\d{1,5})\b/;

/** The switch URL once `output` holds the listening line, otherwise undefined. */
export function listeningUrl(output: string): string | undefined {
  return LISTENING.exec(output)?.[1];
}
