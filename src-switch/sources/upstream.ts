// The one seam between the switch and the systems it queries (docs/sources.md): the simulated DMV, SVS, WPS
// and NCIC implement it, and so does a real integration with a state message switch or Nlets.
import type { AnswerPart, Source } from '../../src-shared/protocol.ts';
import type { Query, QueryKind } from '../../src-shared/queries.ts';

/** Who a question to a source belongs to: for the upstream's own audit fields, and to recognise a question asked again. */
export interface Inquiry {
  /** The query's Idempotency-Key: the same for every ask of one query, a resumed run's included. */
  key: string;
  /** The terminal whose session sent the query; absent only where sessions are off (protocol tests). */
  terminal?: string;
}

export interface Upstream {
  /**
   * The sources a query of this kind reaches, in the order its parts are listed. The switch stores the list with
   * the query and tells it to the terminal, and the query is complete when every source on it has answered.
   */
  sources(kind: QueryKind): readonly Source[];

  /**
   * One source's part of a query. Resolves with `unavailable` when the source fails or does not answer in its own
   * time; a rejection drops the whole run, and the terminal's resend asks every source again. After a crash another
   * node asks again each source that had not answered, so the same inquiry may arrive twice.
   */
  ask(source: Source, query: Query, inquiry: Inquiry): Promise<AnswerPart>;
}
