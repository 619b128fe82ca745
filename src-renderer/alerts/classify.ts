// Decides hits from the answer's structured fields (record types, caution codes), never from its text.
import type { AlertSeverity } from '../../src-shared/ipc.ts';
import { type AnswerPart, type RecordType, SOURCE_NAMES } from '../../src-shared/protocol.ts';
import { CAUTION_TEXT } from '../../src-shared/code-tables/index.ts';
import { describeQuery, type Query } from '../../src-shared/queries.ts';

/** Record types that are hits: a want, a theft, a missing person, an order to protect someone. */
const HIT_TITLES: Partial<Record<RecordType, string>> = {
  stolen_vehicle: 'STOLEN VEHICLE',
  stolen_plate: 'STOLEN PLATE',
  stolen_gun: 'STOLEN GUN',
  stolen_article: 'STOLEN ARTICLE',
  wanted_person: 'WANTED PERSON',
  missing_person: 'MISSING PERSON',
  protection_order: 'PROTECTION ORDER',
};

/** Lower ranks are shown first: officer-safety caution > hit > possible hit > broadcast > information. */
export const SEVERITY_RANK: Record<AlertSeverity, number> = {
  officer_safety: 0,
  hit: 1,
  possible_hit: 2,
  broadcast: 3,
  information: 4,
};

export type PartOutcome = 'hit' | 'record' | 'no_record' | 'unavailable';
export type AnswerOutcome = 'hit' | 'record' | 'no_record' | 'unavailable' | 'pending';

export function isHitType(type: RecordType): boolean {
  return HIT_TITLES[type] !== undefined;
}

export function classifyPart(part: AnswerPart): PartOutcome {
  if (part.status === 'unavailable') return 'unavailable';
  if (part.records.some((record) => isHitType(record.type))) return 'hit';
  return part.records.length > 0 ? 'record' : 'no_record';
}

/** The alert an answer raises, if any: one per query, naming every hit and caution in it. */
export interface AlertDraft {
  severity: AlertSeverity;
  /** 0 is most severe; indexed so the alert center shows the worst first. */
  rank: number;
  title: string;
  subject: string;
  detail: string;
  cautions: string[];
  sources: string[];
}

export interface AnswerSummary {
  outcome: AnswerOutcome;
  alert?: AlertDraft;
}

export function summarizeAnswer(query: Query, parts: readonly AnswerPart[]): AnswerSummary {
  const outcomes = parts.map(classifyPart);
  const hits = parts.flatMap((part) => part.records.filter((record) => isHitType(record.type)).map((record) => ({ part, record })));
  const outcome: AnswerOutcome = outcomes.includes('hit')
    ? 'hit'
    : outcomes.includes('record')
      ? 'record'
      : outcomes.length > 0 && outcomes.every((o) => o === 'unavailable')
        ? 'unavailable'
        : parts.length === 0
          ? 'pending'
          : 'no_record';
  if (hits.length === 0) return { outcome };

  const cautions = [...new Set(hits.flatMap(({ record }) => record.cautions))].map((code) => CAUTION_TEXT[code]);
  const titles = [...new Set(hits.map(({ record }) => HIT_TITLES[record.type]!))];
  const severity: AlertSeverity = cautions.length > 0 ? 'officer_safety' : 'hit';
  return {
    outcome,
    alert: {
      severity,
      rank: SEVERITY_RANK[severity],
      title: titles.join(' / '),
      subject: describeQuery(query),
      detail: hits.map(({ record }) => record.summary).join('\n'),
      cautions,
      sources: [...new Set(hits.map(({ part }) => SOURCE_NAMES[part.source]))],
    },
  };
}
