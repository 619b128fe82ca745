// The audit upload as the terminal runs it: its own chain checked first, and what the switch refuses shown.
import { clockTime } from '../ui/time-format.ts';
import type { OutriderDb } from '../db/database.ts';
import type { Defences } from '../status/defences.svelte.ts';
import { type AuditUploadDeps, startAuditUpload } from './audit-upload.ts';
import { restartBrokenChain } from './audit-trail.ts';

/**
 * Checks this terminal's chain, then starts the upload. A break is reported (status line, log for IT) and a new
 * chain begun after it, so nothing is chained to broken lines and the trail keeps reaching the switch; the
 * broken lines stay here and are not sent. Returns the stop.
 */
export async function startCheckedAuditUpload(db: OutriderDb, baseUrl: string, link: AuditUploadDeps['link'], token: () => string | undefined, defences: Defences): Promise<() => void> {
  const breaks = await restartBrokenChain(db);
  for (const gap of breaks) console.error(`Audit trail broken on this terminal at record ${gap.seq}: ${gap.reason}; a new chain begins at record ${gap.restartedAt}`);
  const first = breaks[0];
  const broken = first && `Audit trail broken at record ${first.seq}: tell IT`;
  defences.audit = broken;
  return startAuditUpload({
    db,
    baseUrl,
    link,
    token,
    breaks,
    onRefusal: (refusal) => {
      defences.audit = refusal ? `Audit not delivered since ${clockTime(refusal.since)}` : broken;
    },
  });
}
