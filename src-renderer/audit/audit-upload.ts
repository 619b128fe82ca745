// Sends the audit trail to the switch, which keeps it (CJIS AU-11): in order, in batches, each line once.
import { AuditReceipt, type AuditUpload } from '../../src-shared/audit-chain.ts';
import { authPaths, bearer } from '../../src-shared/auth.ts';
import { FIELD_CONFIG } from '../../src-shared/field-config.ts';
import type { AuditEntry, OutriderDb } from '../db/database.ts';
import { backoffCeiling } from '../sync/backoff.ts';
import { onTablesChanged } from '../db/table-changes.ts';
import { auditRecord, isChained } from './audit-trail.ts';

/** The most records one upload may carry (AuditUpload). */
export const AUDIT_BATCH = 500;
/** The wait after a failed upload, doubled for each failure in a row, up to sixteen times. */
export const AUDIT_RETRY_MS = 30_000;
/**
 * New lines wait this long to be sent, so a burst (a query, its answer, its alert, the acknowledgement) goes
 * in one upload, and no upload is made, read or written between the officer's Enter and the query being queued.
 */
export const AUDIT_GATHER_MS = 1_000;
/** While the officer's queries wait to be sent, the upload looks again this often, and stands aside at most this long. */
export const AUDIT_YIELD_MS = 1_000;
export const AUDIT_YIELD_LIMIT_MS = 60_000;

export interface AuditUploadDeps {
  db: OutriderDb;
  baseUrl: string;
  /** `urgent`: queries are waiting to be sent. The upload stands aside for them (AUDIT_YIELD_LIMIT_MS at most). */
  link: { readonly canSend: boolean; readonly urgent?: boolean; onChange(listener: () => void): () => void };
  /** The officer's switch token; undefined while nobody is signed in. */
  token: () => string | undefined;
  fetch?: typeof fetch;
  retryMs?: number;
  gatherMs?: number;
  yieldMs?: number;
  yieldLimitMs?: number;
}

/** What one pass came to: all sent, waiting for the link, for a token the switch accepts, or for queries to go; or failed. */
type Outcome = 'done' | 'offline' | 'no-session' | 'yielding' | 'failed';

/** The next lines to send: the oldest not yet uploaded, as many as one upload takes, all of one terminal id. */
async function nextBatch(db: OutriderDb): Promise<AuditEntry[]> {
  const uploaded = Number((await db.settings.get('auditUploadedSeq'))?.value ?? 0);
  const pending = await db.audit.where('seq').above(uploaded).filter(isChained).limit(AUDIT_BATCH).toArray();
  // A switch keeps a chain per terminal: lines stamped before this terminal knew its id go in their own upload.
  const other = pending.findIndex((line) => line.terminal !== pending[0]?.terminal);
  return other === -1 ? pending : pending.slice(0, other);
}

/** Marks lines uploaded up to `seq`; never backwards, should another window have marked further. */
async function markUploaded(db: OutriderDb, seq: number): Promise<void> {
  await db.transaction('rw', db.settings, async () => {
    const held = Number((await db.settings.get('auditUploadedSeq'))?.value ?? 0);
    if (seq > held) await db.settings.put({ key: 'auditUploadedSeq', value: String(seq) });
  });
}

/**
 * Uploads whenever the link can send, a token exists and lines wait: woken by new lines and by the link.
 * A refused token is not tried again until the session has another. Returns the stop function.
 */
export function startAuditUpload(deps: AuditUploadDeps): () => void {
  const { db, link, token } = deps;
  const retryMs = deps.retryMs ?? AUDIT_RETRY_MS;
  const yieldMs = deps.yieldMs ?? AUDIT_YIELD_MS;
  const yieldLimitMs = deps.yieldLimitMs ?? AUDIT_YIELD_LIMIT_MS;
  /** When the upload first stood aside for queries waiting; undefined when it is not standing aside. */
  let yieldingSince: number | undefined;
  let stopped = false;
  let running = false;
  let again = false;
  let failures = 0;
  /** After a failure, only the retry timer or a change of link tries again before this time. */
  let resumeAt = 0;
  let refused: string | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let gathering: ReturnType<typeof setTimeout> | undefined;

  const send = async (lines: AuditEntry[], bearerToken: string): Promise<Outcome | 'sent'> => {
    const body: AuditUpload = { terminal: lines[0]!.terminal!, records: lines.map(auditRecord) };
    const response = await (deps.fetch ?? fetch)(`${deps.baseUrl}${authPaths.audit}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...bearer(bearerToken) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(FIELD_CONFIG.requestTimeoutMs),
    });
    if (response.status === 401) {
      refused = bearerToken;
      return 'no-session';
    }
    // 409 (the switch finds the chain broken) and every other refusal: kept, and tried again later.
    if (response.status !== 200) return 'failed';
    const receipt = AuditReceipt.safeParse(await response.json());
    const covered = receipt.success ? lines.filter((line) => line.seq! <= receipt.data.seq).at(-1) : undefined;
    if (!covered) return 'failed';
    await markUploaded(db, covered.seq!);
    return 'sent';
  };

  const pass = async (): Promise<Outcome> => {
    for (;;) {
      if (stopped || !link.canSend) return 'offline';
      const current = token();
      if (!current || current === refused) return 'no-session';
      // The officer's queries go first: a returning link drains them without audit uploads in between, the
      // lines being safe in storage meanwhile. A queue that never empties still lets the trail through.
      if (link.urgent) {
        yieldingSince ??= Date.now();
        if (Date.now() - yieldingSince < yieldLimitMs) return 'yielding';
      }
      // Past the limit one batch goes, and the upload stands aside again.
      yieldingSince = undefined;
      const lines = await nextBatch(db);
      if (lines.length === 0) return 'done';
      const sent = await send(lines, current);
      if (sent !== 'sent') return sent;
    }
  };

  const schedule = (delay: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      resumeAt = 0;
      wake();
    }, delay);
  };

  const settle = (outcome: Outcome) => {
    if (stopped) return;
    if (outcome === 'done') failures = 0;
    // No event says a session has a new token: it is looked at again now and then (no request is made for it).
    if (outcome === 'no-session') schedule(retryMs);
    if (outcome === 'yielding') schedule(yieldMs);
    if (outcome === 'failed') {
      failures++;
      const delay = backoffCeiling(failures, { baseMs: retryMs, capMs: retryMs * 16 });
      resumeAt = Date.now() + delay;
      schedule(delay);
    }
  };

  function wake(): void {
    if (stopped || Date.now() < resumeAt) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    // The reason for a failure is not kept: a response or error may quote what was sent.
    void pass()
      .catch((): Outcome => 'failed')
      .then((outcome) => {
        running = false;
        settle(outcome);
        if (again) {
          again = false;
          wake();
        }
      });
  }

  const unlisten = link.onChange(() => {
    // A link that changes is worth trying at once, whatever the backoff said.
    resumeAt = 0;
    wake();
  });
  // A line added (here or in another window) wakes the upload a moment later; it reads for itself.
  const unwatch = onTablesChanged(db, ['audit'], () => {
    gathering ??= setTimeout(() => {
      gathering = undefined;
      wake();
    }, deps.gatherMs ?? AUDIT_GATHER_MS);
  });
  wake();
  return () => {
    stopped = true;
    clearTimeout(timer);
    clearTimeout(gathering);
    unlisten();
    unwatch();
  };
}
