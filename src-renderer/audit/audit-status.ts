// The audit upload as the terminal runs it: its own chain checked first, and what the switch refuses shown.
import { clockTime } from '../ui/time-format.ts';
import type { OutriderDb } from '../db/database.ts';
import type { Defences } from '../status/defences.svelte.ts';
import { type AuditUploadDeps, startAuditUpload } from './audit-upload.ts';
import { verifyAuditTrail } from './audit-trail.ts';

/**
 * Verifies this terminal's chain, then starts the upload. A break is reported (status line, log for IT)
 * and nothing from it on is sent, rather than offered to the switch as if it chained. Returns the stop.
 */
export async function startCheckedAuditUpload(db: OutriderDb, baseUrl: string, link: AuditUploadDeps['link'], token: () => string | undefined, defences: Defences): Promise<() => void> {
  const check = await verifyAuditTrail(db);
  if (!check.ok) {
    console.error(`Audit trail broken on this terminal at record ${check.seq}: ${check.reason}`);
    defences.audit = `Audit trail broken at record ${check.seq}: tell IT`;
  }
  return startAuditUpload({
    db,
    baseUrl,
    link,
    token,
    ...(check.ok ? {} : { brokenAt: check.seq }),
    onRefusal: (refusal) => {
      if (check.ok) defences.audit = refusal ? `Audit not delivered since ${clockTime(refusal.since)}` : undefined;
    },
  });
}
