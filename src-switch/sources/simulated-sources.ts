// The simulated DMV, SVS, WPS and NCIC: the drill switch's upstream, each source answering from the records held
// with its own latency.
import type { AnswerPart, Source } from '../../src-shared/protocol.ts';
import type { Query, QueryKind } from '../../src-shared/queries.ts';
import type { RecordStore } from '../records/record-store.ts';
import { defaultSwitchData } from '../records/switch-data.ts';
import type { Upstream } from './upstream.ts';

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

export interface SimulatedSourcesOptions {
  /** Multiplies every source's typical latency: 0 answers at once, 1 (the default) is realistic. */
  latencyScale?: number;
  now?: () => Date;
  /** The records the sources answer from; the default seeded set when absent. */
  store?: RecordStore;
  /** Extra milliseconds for one source, read at each ask: how a drill slows a source. */
  extraMs?: (source: Source) => number;
}

export class SimulatedSources implements Upstream {
  constructor(private readonly options: SimulatedSourcesOptions = {}) {}

  sources(kind: QueryKind): readonly Source[] {
    return FAN_OUT[kind];
  }

  /** Answers after the source's simulated latency; asked again, it answers the same. */
  async ask(source: Source, query: Query): Promise<AnswerPart> {
    const { latencyScale = 1, now = () => new Date(), extraMs } = this.options;
    const delay = SOURCE_LATENCY_MS[source] * latencyScale + (extraMs?.(source) ?? 0);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    const records = (this.options.store ?? defaultSwitchData().store)
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
}
