// Sends the audit trail to the switch, which keeps it (CJIS AU-11): in order, in batches, each line once.
import { AuditChainRefusal, AuditReceipt, type AuditUpload } from '../../src-shared/audit-chain.ts';
import { ErrorBody } from '../../src-shared/protocol.ts';
import { authPaths, bearer } from '../../src-shared/auth.ts';
import { FIELD_CONFIG } from '../../src-shared/field-config.ts';
import type { AuditEntry, OutriderDb } from '../db/database.ts';
import { backoffCeiling } from '../sync/backoff.ts';
import { onTablesChanged } from '../db/table-changes.ts';
import { auditRecord, isChained, type TrailBreak } from './audit-trail.ts';

/**
 * The largest upload body, in bytes: the switch's own limit (FIELD_CONFIG.maxBodyBytes, its Fastify bodyLimit),
 * so no batch is ever refused for its size and any backlog drains (about 40 records a batch).
 */
export const AUDIT_BODY_BYTES = FIELD_CONFIG.maxBodyBytes;

export interface AuditUploadDeps {
  db: OutriderDb;
  baseUrl: string;
  /** `urgent`: queries are waiting to be sent. The upload stands aside for them (FIELD_CONFIG.auditYieldLimitMs at most). */
  link: { readonly canSend: boolean; readonly urgent?: boolean; onChange(listener: () => void): () => void };
  /** The officer's switch token; undefined while nobody is signed in. */
  token: () => string | undefined;
  fetch?: typeof fetch;
  retryMs?: number;
  linkRetryMs?: number;
  gatherMs?: number;
  yieldMs?: number;
  yieldLimitMs?: number;
  /**
   * Told when the switch keeps refusing the trail (409 chain, 413, other 4xx), with when it began, and with
   * undefined once an upload is kept again: the terminal shows it, IT reads it in the log.
   */
  onRefusal?(refusal: AuditRefusal | undefined): void;
  /**
   * The breaks in this terminal's chain (checkAuditTrail at start): the lines from a break to the restart line
   * after it are never sent, and nothing is sent past a break no restart follows.
   */
  breaks?: readonly TrailBreak[];
}

/** A refusal that persists: since when, the HTTP status and the switch's error code (never a record's content). */
export interface AuditRefusal {
  since: Date;
  status: number;
  error: string;
}

/**
 * What one pass came to: all sent, waiting for the link, for a token the switch accepts, or for queries to go; or
 * lost on the way (no answer came), failed at the switch (5xx, no receipt, anything else), or refused.
 */
type Outcome = 'done' | 'offline' | 'no-session' | 'yielding' | 'lost' | 'failed' | 'refused';

const bytes = (text: string) => new TextEncoder().encode(text).length;

/** The body of an upload of `lines`, as sent. */
const uploadBody = (lines: AuditEntry[]) => JSON.stringify({ terminal: lines[0]!.terminal!, records: lines.map(auditRecord) } satisfies AuditUpload);

/**
 * The next lines to send: the oldest not yet uploaded and not in a break, all of one terminal id, as many as fit
 * in one upload's record count and body size.
 */
async function nextBatch(db: OutriderDb, breaks: readonly TrailBreak[] = []): Promise<AuditEntry[]> {
  let from = Number((await db.settings.get('auditUploadedSeq'))?.value ?? 0) + 1;
  // Past the broken lines to the restart that follows them; a break with none after it ends what can go.
  const within = breaks.find((gap) => gap.seq <= from && from < (gap.restartedAt ?? Infinity));
  if (within) from = within.restartedAt ?? Infinity;
  if (from === Infinity) return [];
  const until = Math.min(...breaks.filter((gap) => gap.seq > from).map((gap) => gap.seq), Infinity);
  const pending = await db.audit.where('seq').between(from, until, true, false).filter(isChained).limit(FIELD_CONFIG.auditBatchRecords).toArray();
  // A switch keeps a chain per terminal: lines stamped before this terminal knew its id go in their own upload.
  const other = pending.findIndex((line) => line.terminal !== pending[0]?.terminal);
  const batch = other === -1 ? pending : pending.slice(0, other);
  if (batch.length === 0) return batch;
  // The envelope, then each record and the comma before it: a line is at most about a kilobyte, so one always fits.
  let size = bytes(JSON.stringify({ terminal: batch[0]!.terminal, records: [] })) - 1;
  const over = batch.findIndex((line) => (size += bytes(JSON.stringify(auditRecord(line))) + 1) > AUDIT_BODY_BYTES);
  return over === -1 ? batch : batch.slice(0, Math.max(1, over));
}

/** Marks lines uploaded up to `seq`; never backwards (another window may have marked further) unless `rewind`. */
async function markUploaded(db: OutriderDb, seq: number, rewind = false): Promise<void> {
  await db.transaction('rw', db.settings, async () => {
    const held = Number((await db.settings.get('auditUploadedSeq'))?.value ?? 0);
    if (seq > held || (rewind && seq < held)) await db.settings.put({ key: 'auditUploadedSeq', value: String(seq) });
  });
}

/**
 * The switch's word on a refused upload: the code of its error body (`{error: {code, message}}`, as every
 * refusal is sent), and for a broken chain the seq it expects next.
 */
async function refusalOf(response: Response): Promise<{ error: string; expectedSeq?: number }> {
  const body: unknown = await response.json().catch(() => undefined);
  const refused = ErrorBody.safeParse(body);
  const expectedSeq = AuditChainRefusal.safeParse(body).data?.expectedSeq;
  return { error: refused.success ? refused.data.error.code : `http_${response.status}`, ...(expectedSeq === undefined ? {} : { expectedSeq }) };
}

/**
 * Uploads whenever the link can send, a token exists and lines wait: woken by new lines and by the link.
 * A refused token is not tried again until the session has another. Returns the stop function.
 */
export function startAuditUpload(deps: AuditUploadDeps): () => void {
  const { db, link, token } = deps;
  const retryMs = deps.retryMs ?? FIELD_CONFIG.auditRetryMs;
  const linkRetryMs = deps.linkRetryMs ?? FIELD_CONFIG.auditLinkRetryMs;
  const yieldMs = deps.yieldMs ?? FIELD_CONFIG.auditYieldMs;
  const yieldLimitMs = deps.yieldLimitMs ?? FIELD_CONFIG.auditYieldLimitMs;
  /** When the upload first stood aside for queries waiting; undefined when it is not standing aside. */
  let yieldingSince: number | undefined;
  let stopped = false;
  let running = false;
  let again = false;
  /** The link changed while a pass ran: a failure that pass meets is the change's doing, and is tried again at once. */
  let changedMidPass = false;
  let failures = 0;
  /** After a failure, only the retry timer or a change of link tries again before this time. */
  let resumeAt = 0;
  let refused: string | undefined;
  /** The persistent refusal being reported, if any; and where the last chain refusal asked to resume from. */
  let refusal: AuditRefusal | undefined;
  let rewoundTo: number | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let gathering: ReturnType<typeof setTimeout> | undefined;

  const refuse = (status: number, error: string, seq: number): Outcome => {
    // For IT: the status, the switch's code and the seq only; a record's subject or outcome is CJI.
    console.warn(`Audit upload refused by the switch: HTTP ${status} ${error} at record ${seq}`);
    if (!refusal) deps.onRefusal?.((refusal = { since: new Date(), status, error }));
    return 'refused';
  };

  const send = async (lines: AuditEntry[], bearerToken: string): Promise<Outcome | 'sent'> => {
    let response: Response;
    try {
      response = await (deps.fetch ?? fetch)(`${deps.baseUrl}${authPaths.audit}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...bearer(bearerToken) },
        body: uploadBody(lines),
        signal: AbortSignal.timeout(FIELD_CONFIG.requestTimeoutMs),
      });
    } catch {
      // Reset, timed out, dropped: the link's doing, not the switch's (the reason may quote the body: not kept).
      return 'lost';
    }
    if (response.status === 401) {
      refused = bearerToken;
      return 'no-session';
    }
    const first = lines[0]!.seq!;
    if (response.status === 409) {
      const { error, expectedSeq } = await refusalOf(response);
      // The switch holds less than was marked uploaded (it lost records, or a receipt was believed wrongly):
      // send again from where it expects, once per place, if this terminal still holds those lines.
      if (expectedSeq !== undefined && expectedSeq < first && expectedSeq !== rewoundTo && (await db.audit.get(expectedSeq))) {
        rewoundTo = expectedSeq;
        await markUploaded(db, expectedSeq - 1, true);
        return 'sent';
      }
      return refuse(409, error, first);
    }
    // Other refusals the terminal cannot cure by waiting (413, 403, 400): reported, and tried again later.
    if (response.status >= 400 && response.status < 500) return refuse(response.status, (await refusalOf(response)).error, first);
    if (response.status !== 200) return 'failed';
    const receipt = AuditReceipt.safeParse(await response.json());
    const covered = receipt.success ? lines.filter((line) => line.seq! <= receipt.data.seq).at(-1) : undefined;
    if (!covered) return 'failed';
    await markUploaded(db, covered.seq!);
    if (refusal) deps.onRefusal?.((refusal = undefined));
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
      const lines = await nextBatch(db, deps.breaks);
      if (lines.length === 0) return 'done';
      // Stopped while the batch was read (a sign-out, a lock, another window taking over): nothing more is sent.
      if (stopped) return 'offline';
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
    if (outcome === 'lost' || outcome === 'failed' || outcome === 'refused') {
      failures++;
      // An upload the link lost waits as a query would, not as for a switch in trouble: a link that flapped and
      // is steady again would otherwise hold the trail for minutes after the queries have all gone.
      const delay = outcome === 'lost' ? backoffCeiling(failures, { baseMs: linkRetryMs, capMs: retryMs }) : backoffCeiling(failures, { baseMs: retryMs, capMs: retryMs * 16 });
      // A link that changed while the upload was out (lost, or answered by a switch it now reaches otherwise) is
      // worth trying at once, as a change is at any other time.
      resumeAt = changedMidPass ? 0 : Date.now() + delay;
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
    changedMidPass = false;
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
    // A link that changes is worth trying at once, whatever the backoff said: also after the pass out now.
    resumeAt = 0;
    if (running) changedMidPass = true;
    wake();
  });
  // A line added (here or in another window) wakes the upload a moment later; it reads for itself.
  const unwatch = onTablesChanged(db, ['audit'], () => {
    gathering ??= setTimeout(() => {
      gathering = undefined;
      wake();
    }, deps.gatherMs ?? FIELD_CONFIG.auditGatherMs);
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
