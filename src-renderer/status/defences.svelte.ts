// What the terminal knows of its own defences, for the status area: what protects its data key, and whether
// its audit trail is reaching the switch.
import type { KeyProtectedBy } from '../vault/data-key.ts';

export class Defences {
  dataKey = $state<KeyProtectedBy>();
  /** Words for the status line while the audit trail is not reaching the switch or is broken here; else undefined. */
  audit = $state<string>();
  /** Words for the status line when the queue journal restored queries at start, or cannot be kept; else undefined. */
  journal = $state<string>();
}
