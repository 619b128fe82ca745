// The platform bridge contract: channel names, argument schemas and the API the preload exposes.
import { z } from 'zod';

/** What the renderer needs to know about where it runs and which switch it talks to. */
export const TerminalConfig = z.object({
  switchUrl: z.url(),
  mode: z.enum(['drill', 'agency']),
  ori: z.string().optional(),
  /** The car's unit call sign, for the status bar until an officer's sign-in names theirs; absent when unknown. */
  unit: z.string().max(12).optional(),
  /** Minutes without a key or touch before the terminal locks itself (the profile's `inactivityLockMinutes`); 30 by default. */
  lockAfterMinutes: z.number().int().min(1).max(30).optional(),
  /** Hours answers are kept on the terminal before the purge (the agency profile's `retentionHours`); 12 by default. */
  retentionHours: z.number().int().min(1).max(720).optional(),
  /** The speed above which the car counts as moving (the profile's `motionLockMph`); no motion lock when absent. */
  motionLockMph: z.number().min(1).max(30).optional(),
  /** Whether answers are spoken until the officer chooses (the profile's `speech`); spoken when absent. */
  speech: z.boolean().optional(),
  appVersion: z.string(),
  shell: z.enum(['electron', 'web']),
});
export type TerminalConfig = z.infer<typeof TerminalConfig>;

export const AlertSeverity = z.enum(['officer_safety', 'hit', 'possible_hit', 'broadcast', 'information']);
export type AlertSeverity = z.infer<typeof AlertSeverity>;

/** An OS notification for an alert. Kept short: OS notification centres may be visible to others. */
export const NotifyRequest = z.object({
  title: z.string().min(1).max(120),
  body: z.string().max(500),
  severity: AlertSeverity,
});
export type NotifyRequest = z.infer<typeof NotifyRequest>;

/**
 * What the terminal still owes the officer, reported so an update never installs under it: queries
 * not yet answered (queued, sending, or delivered and awaiting their answer) and alerts not yet acknowledged.
 */
export const UpdateReadiness = z
  .object({
    queuedQueries: z.number().int().min(0),
    unacknowledgedAlerts: z.number().int().min(0),
  })
  .strict();
export type UpdateReadiness = z.infer<typeof UpdateReadiness>;

// Channel names and the bridge type live in a schema-free file so the preload bundle stays tiny.
export { IPC_CHANNELS, type OutriderBridge } from './ipc-channels.ts';
