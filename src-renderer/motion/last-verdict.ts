// The verdict the motion lock's panel shows in large type: the answer that came in last, and what it was about.
import { describeQuery } from '../../src-shared/queries.ts';
import { type AnswerOutcome, summarizeAnswer } from '../alerts/classify.ts';
import type { QueryRow } from '../results/history.ts';

export interface LastVerdict {
  /** The query's id, for its request for hit confirmation. */
  queryId: string;
  /** What was asked, as the results list names it ("Plate 4TRN123 (CA)"). */
  subject: string;
  outcome: AnswerOutcome;
  /** The hit's title ("STOLEN VEHICLE") and cautions, for a hit. */
  title?: string;
  cautions: readonly string[];
  /** When its first part arrived. */
  answeredAt: string;
}

/** The most recently answered of `rows` (the results list's rows, newest query first), or none yet. */
export function lastVerdict(rows: readonly QueryRow[]): LastVerdict | undefined {
  let latest: QueryRow | undefined;
  for (const row of rows) {
    if (row.answer && (!latest || row.answer.answeredAt > latest.answer!.answeredAt)) latest = row;
  }
  if (!latest?.answer) return undefined;
  const summary = summarizeAnswer(latest.entry.query, latest.answer.parts);
  return {
    queryId: latest.entry.id,
    subject: describeQuery(latest.entry.query),
    outcome: summary.outcome,
    ...(summary.alert ? { title: summary.alert.title } : {}),
    cautions: summary.alert?.cautions ?? [],
    answeredAt: latest.answer.answeredAt,
  };
}
