// Simulated sources: one query fans out to several, each answers with its own latency and outcome.
import type { AnswerPart, Source } from '../src-shared/protocol.ts';
import type { Query } from '../src-shared/queries.ts';
import { type HeldRecord, syntheticPlate, TRAINING_PEOPLE, TRAINING_PLATES } from './records.ts';

/** Which sources a query kind reaches (a plate: registration, stolen vehicles, NCIC). */
const FAN_OUT: Record<Query['kind'], readonly Source[]> = {
  plate: ['DMV', 'SVS', 'NCIC'],
  person: ['WPS', 'NCIC'],
};

/** Typical answer times of each source, in milliseconds; scaled by the switch's latency option. */
export const SOURCE_LATENCY_MS: Record<Source, number> = { DMV: 40, SVS: 70, WPS: 60, NCIC: 120 };

function heldRecords(query: Query): readonly HeldRecord[] {
  if (query.kind === 'plate') return TRAINING_PLATES[`${query.lis}:${query.lic}`] ?? syntheticPlate(query.lic, query.lis);
  return TRAINING_PEOPLE[`${query.nam}|${query.dob}|${query.sex}`] ?? [];
}

function replyText(source: Source, query: Query, found: number): string {
  const subject = query.kind === 'plate' ? `LIC/${query.lic} LIS/${query.lis}` : `NAM/${query.nam} DOB/${query.dob} SEX/${query.sex}`;
  return found === 0 ? `REPLY FROM ${source}: NO RECORD ${subject}` : `REPLY FROM ${source}: ${found} RECORD(S) ${subject}`;
}

/** Answers one source's part of a query after its simulated latency. */
export async function askSource(source: Source, query: Query, latencyScale: number, now: () => Date): Promise<AnswerPart> {
  const delay = SOURCE_LATENCY_MS[source] * latencyScale;
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  const records = heldRecords(query)
    .filter((held) => held.source === source)
    .map((held) => held.record);
  return {
    source,
    status: records.length > 0 ? 'record' : 'not_on_file',
    records,
    text: records.length > 0 ? replyText(source, query, records.length) : `${replyText(source, query, 0)}\nNOT ON FILE`,
    answeredAt: now().toISOString(),
  };
}

/** Fans a query out to every source its kind reaches and gathers all parts. */
export function fanOut(query: Query, latencyScale: number, now: () => Date): Promise<AnswerPart[]> {
  return Promise.all(FAN_OUT[query.kind].map((source) => askSource(source, query, latencyScale, now)));
}
