// Answer parts as sources send them, for the tests of storing answers and raising alerts.
import type { AnswerPart } from '../../../src-shared/protocol.ts';

/** A wanted-person record from one source, with these caution codes. */
export const wanted = (source: AnswerPart['source'], cautions: Array<'armed_and_dangerous'>): AnswerPart => ({
  source,
  status: 'record',
  records: [{ type: 'wanted_person', summary: 'WANTED: felony warrant', fields: {}, cautions }],
  text: 'REPLY',
  answeredAt: new Date().toISOString(),
});
