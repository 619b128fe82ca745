// How loudly each alert severity asks for the officer's attention: the policy, kept apart from Electron.
import type { AlertSeverity } from '../../src-shared/ipc.ts';

export interface Attention {
  /** Bring the window to the front (restore, show, focus), not just flash it. */
  readonly raise: boolean;
  /** Keep the OS notification on screen until dismissed, and mark it critical where the OS supports it. */
  readonly persistent: boolean;
}

const ATTENTION: Readonly<Record<AlertSeverity, Attention>> = {
  // A hit or a caution is officer safety: it must not be missed behind another window.
  officer_safety: { raise: true, persistent: true },
  hit: { raise: true, persistent: true },
  possible_hit: { raise: true, persistent: true },
  broadcast: { raise: true, persistent: false },
  // Routine information flashes the taskbar but never steals focus from what the officer is typing.
  information: { raise: false, persistent: false },
};

export function attentionFor(severity: AlertSeverity): Attention {
  return ATTENTION[severity];
}
