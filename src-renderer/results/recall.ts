// The officer's recent queries for recall: one line per distinct query, its latest run and how that went.
import { FIELD_CONFIG } from '../../src-shared/field-config.ts';
import { describeQuery } from '../../src-shared/queries.ts';
import { summarizeAnswer } from '../alerts/classify.ts';
import type { OutboxEntry } from '../db/database.ts';
import type { QueryRow } from './history.ts';

/** Enough to cover a stop or two; older ones are still in the results list. */
export const RECALL_SHOWN: number = FIELD_CONFIG.recallShown;

export type RecallTone = 'hit' | 'clear' | 'waiting' | 'problem';

export interface RecallItem {
  entry: OutboxEntry;
  description: string;
  outcome: string;
  tone: RecallTone;
}

function outcomeOf(row: QueryRow): Pick<RecallItem, 'outcome' | 'tone'> {
  const { status } = row.entry;
  if (row.answer) {
    const summary = summarizeAnswer(row.entry.query, row.answer.parts);
    if (summary.alert) return { outcome: `HIT: ${summary.alert.title}`, tone: 'hit' };
    if (summary.outcome === 'unavailable') return { outcome: 'Source unavailable', tone: 'problem' };
    if (summary.outcome === 'record') return { outcome: 'Record, no want', tone: 'clear' };
    if (summary.outcome === 'no_record') return { outcome: 'No record', tone: 'clear' };
  }
  if (status === 'failed') return { outcome: 'Failed', tone: 'problem' };
  if (status === 'cancelled') return { outcome: 'Cancelled', tone: 'problem' };
  return { outcome: 'Waiting', tone: 'waiting' };
}

/** Newest first (as the rows come), each query once: running one again moves it to the top. */
export function recallItems(rows: readonly QueryRow[], limit: number = RECALL_SHOWN): RecallItem[] {
  const seen = new Set<string>();
  const items: RecallItem[] = [];
  for (const row of rows) {
    const description = describeQuery(row.entry.query);
    if (seen.has(description)) continue;
    seen.add(description);
    items.push({ entry: row.entry, description, ...outcomeOf(row) });
    if (items.length === limit) break;
  }
  return items;
}
