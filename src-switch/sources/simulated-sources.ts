// Simulated sources: one query fans out to several, each answers with its own latency and outcome.
import type { AnswerPart, Source } from '../../src-shared/protocol.ts';
import type { Query } from '../../src-shared/queries.ts';
import type { RecordStore } from '../records/record-store.ts';
import { defaultSwitchData } from '../records/switch-data.ts';

/** Which sources a query kind reaches (a plate: registration, stolen vehicles, NCIC). */
export const FAN_OUT: Record<Query['kind'], readonly Source[]> = {
  plate: ['DMV', 'SVS', 'NCIC'],
  vin: ['DMV', 'SVS', 'NCIC'],
  person: ['WPS', 'NCIC'],
  person_oln: ['WPS', 'NCIC'],
  // A licence status lives with the DMV alone; wants are a separate person query.
  licence: ['DMV'],
  licence_name: ['DMV'],
  gun: ['NCIC'],
  article: ['NCIC'],
};

/** Typical answer times of each source, in milliseconds; scaled by the switch's latency option. */
export const SOURCE_LATENCY_MS: Record<Source, number> = { DMV: 40, SVS: 70, WPS: 60, NCIC: 120 };

/** The query as the answer text echoes it, in NCIC field/value form. */
function subject(query: Query): string {
  switch (query.kind) {
    case 'plate':
      return `LIC/${query.lic} LIS/${query.lis}`;
    case 'vin':
      return `VIN/${query.vin}`;
    case 'person':
    case 'licence_name':
      return `NAM/${query.nam} DOB/${query.dob} SEX/${query.sex}`;
    case 'person_oln':
    case 'licence':
      return `OLN/${query.oln} OLS/${query.ols}`;
    case 'gun':
      return `SER/${query.ser} MAK/${query.mak}`;
    case 'article':
      return `SER/${query.ser} TYP/${query.typ}`;
  }
}

function replyText(source: Source, query: Query, found: number): string {
  return found === 0 ? `REPLY FROM ${source}: NO RECORD ${subject(query)}` : `REPLY FROM ${source}: ${found} RECORD(S) ${subject(query)}`;
}

/** Answers one source's part of a query after its simulated latency, plus `extraMs` when a drill slows that source. */
export async function askSource(source: Source, query: Query, latencyScale: number, now: () => Date, store: RecordStore = defaultSwitchData().store, extraMs = 0): Promise<AnswerPart> {
  const delay = SOURCE_LATENCY_MS[source] * latencyScale + extraMs;
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  const records = store
    .lookup(query)
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

/** Fans a query out to every source its kind reaches and gathers all parts; `extraMs` looks up a drill's slow source. */
export function fanOut(query: Query, latencyScale: number, now: () => Date, store?: RecordStore, extraMs: (source: Source) => number = () => 0): Promise<AnswerPart[]> {
  return Promise.all(FAN_OUT[query.kind].map((source) => askSource(source, query, latencyScale, now, store, extraMs(source))));
}
