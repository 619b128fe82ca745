// The outbox entry's life: queued -> sending (attempt n) -> answered, or failed with a readable reason.
import type { Priority } from '../../src-shared/protocol.ts';
import type { OutboxEntry, OutboxStatus } from '../db/database.ts';

export const LANE_OF: Record<Priority, number> = { emergency: 0, officer_safety: 1, routine: 2 };

const ALLOWED: Record<OutboxStatus, readonly OutboxStatus[]> = {
  queued: ['sending', 'answered', 'cancelled'],
  sending: ['queued', 'delivered', 'answered', 'failed'],
  delivered: ['queued', 'answered'],
  answered: [],
  // A failed entry can still be answered: the switch may have executed it before refusing a retry.
  failed: ['queued', 'answered', 'cancelled'],
  // Cancelled after a lost acknowledgement, the query may still have run: its answer (a hit above all) is shown.
  cancelled: ['answered'],
};

export class IllegalTransition extends Error {
  constructor(from: OutboxStatus, to: OutboxStatus) {
    super(`An outbox entry cannot go from ${from} to ${to}`);
  }
}

function move(entry: OutboxEntry, to: OutboxStatus, changes: Partial<OutboxEntry>): OutboxEntry {
  if (!ALLOWED[entry.status].includes(to)) throw new IllegalTransition(entry.status, to);
  return { ...entry, ...changes, status: to };
}

export const transitions = {
  send: (entry: OutboxEntry, now: Date) => move(entry, 'sending', { attempts: entry.attempts + 1, sentAt: now.toISOString() }),
  requeue: (entry: OutboxEntry, reason: string) => move(entry, 'queued', { lastError: reason }),
  answer: (entry: OutboxEntry, now: Date) => {
    const { lastError: _cleared, ...rest } = entry;
    return move(rest, 'answered', { answeredAt: now.toISOString() });
  },
  deliver: (entry: OutboxEntry) => move(entry, 'delivered', {}),
  fail: (entry: OutboxEntry, reason: string) => move(entry, 'failed', { lastError: reason }),
  retry: (entry: OutboxEntry) => move(entry, 'queued', {}),
  cancel: (entry: OutboxEntry) => move(entry, 'cancelled', {}),
};

/** After a crash or reload nothing is really in flight: a "sending" entry goes back to the queue. */
export function recoverInterrupted(entry: OutboxEntry): OutboxEntry {
  return entry.status === 'sending' || entry.status === 'delivered'
    ? transitions.requeue(entry, 'Interrupted before an answer came; will resend')
    : entry;
}

/** An answer is late when the query was asked longer ago than the threshold (the stop may be over). */
export function isLate(askedAt: string, answeredAt: Date, lateAfterMinutes: number): boolean {
  return answeredAt.getTime() - Date.parse(askedAt) > lateAfterMinutes * 60_000;
}

/** What the officer reads for an entry's delivery state. */
export function describeStatus(entry: OutboxEntry): string {
  switch (entry.status) {
    case 'queued':
      return entry.attempts === 0 ? 'Queued' : `Queued, will retry (${entry.lastError ?? 'no answer'})`;
    case 'sending':
      return `Sending (attempt ${entry.attempts})`;
    case 'delivered':
      return 'Delivered, waiting for the answer';
    case 'answered':
      return 'Answered';
    case 'failed':
      return `Failed: ${entry.lastError ?? 'unknown reason'}`;
    case 'cancelled':
      return 'Cancelled, not sent';
  }
}
