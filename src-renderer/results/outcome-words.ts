// A verdict in words and a shape, the same in the results list and on the motion lock's panel.
import type { AnswerOutcome } from '../alerts/classify.ts';

export const OUTCOME_TEXT: Readonly<Record<AnswerOutcome, string>> = {
  hit: 'HIT',
  record: 'Record on file, no want',
  no_record: 'No record',
  unavailable: 'Source unavailable',
  pending: 'Waiting for sources',
};
/** A shape with the words, so a hit stands out without colour too. */
export const OUTCOME_MARK: Readonly<Record<AnswerOutcome, string>> = { hit: '⚠', record: '✓', no_record: '✓', unavailable: '?', pending: '…' };
