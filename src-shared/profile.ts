// The agency profile: one machine-wide JSON file an agency's IT shop installs once per car.
import { z } from 'zod';
import { GpsSettings } from './gps.ts';

/** A switch on this machine (a drill switch): the only one the terminal may reach without TLS. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** CJIS SC-8: CJI crosses the network only under TLS; plain http is for a drill switch on loopback. */
const SwitchUrl = z
  .url({ protocol: /^https?$/, error: 'switchUrl must be an https URL of the message switch', abort: true })
  .refine((text) => {
    const url = new URL(text);
    return url.protocol === 'https:' || isLoopbackHost(url.hostname);
  }, 'switchUrl must be https: (plain http is allowed only for a drill switch on this machine, such as http://127.0.0.1:8080)');

export const AgencyProfile = z
  .object({
    switchUrl: SwitchUrl,
    ori: z.string().regex(/^[A-Z0-9]{9}$/, { error: 'ori must be the 9-character agency ORI, letters and digits' }),
    caCertificate: z.string().includes('BEGIN CERTIFICATE', { error: 'caCertificate must be a PEM certificate' }).optional(),
    kiosk: z.boolean({ error: 'kiosk must be true or false' }).default(false),
    inactivityLockMinutes: z
      .number({ error: 'inactivityLockMinutes must be a number' })
      .int()
      .min(1)
      // CJIS AC-11: lock after at most 30 minutes idle.
      .max(30, { error: 'inactivityLockMinutes must be at most 30 (CJIS AC-11)' })
      .default(30),
    retentionHours: z.number({ error: 'retentionHours must be a number' }).int().min(1).max(24 * 30).default(12),
    updateUrl: z.url({ protocol: /^https$/, error: 'updateUrl must be an https URL' }).optional(),
    /** The car's unit call sign, shown in the status bar (a terminal bolted into one car). */
    unit: z.string().regex(/^[A-Z0-9-]{1,12}$/, { error: 'unit must be 1-12 letters, digits or hyphens, such as 2A31' }).optional(),
    /** Where the car's position comes from: gpsd, the modem's NMEA over UDP, or none, as when absent (docs/gps.md). */
    gps: GpsSettings.optional(),
    /** The speed in mph above which the car counts as moving, for the terminal's motion lock; no motion lock when absent. */
    motionLockMph: z
      .number({ error: 'motionLockMph must be a number of miles per hour' })
      .min(1, { error: 'motionLockMph must be at least 1' })
      .max(30, { error: 'motionLockMph must be at most 30' })
      .optional(),
    /** Whether answers are spoken aloud until the officer chooses (F11); spoken when absent. Some agencies want
     *  no hit read aloud in a car with someone in the back seat. */
    speech: z.boolean({ error: 'speech must be true or false' }).optional(),
  })
  .strict();
export type AgencyProfile = z.infer<typeof AgencyProfile>;
