// One query's execution at the switch: it fans out to its sources and hands on each part the moment it is ready.
import type { AnswerPart, QueryAnswer, QueryStatus, Source } from '../src-shared/protocol.ts';
import type { Execution } from './idempotency.ts';

export interface RunListener {
  part(run: QueryRun, part: AnswerPart): void;
  complete(run: QueryRun, answer: QueryAnswer): void;
}

export interface RunIdentity {
  readonly queryId: string;
  readonly idempotencyKey: string;
  readonly receivedAt: string;
  readonly sources: readonly Source[];
  /** The terminal whose session ran the query: the only one that may poll it, hear its parts or confirm its hit. */
  readonly owner: string | undefined;
}

export class QueryRun implements Execution {
  /** Parts in the order the sources answered. */
  readonly #parts: AnswerPart[] = [];
  #complete = false;
  /** Every source's part, in fan-out order, once the last has answered: the synchronous reply. */
  readonly answer: Promise<QueryAnswer>;

  readonly queryId: string;
  readonly idempotencyKey: string;
  readonly receivedAt: string;
  readonly sources: readonly Source[];
  readonly owner: string | undefined;

  constructor(identity: RunIdentity, ask: (source: Source) => Promise<AnswerPart>, listener?: RunListener) {
    const { queryId, idempotencyKey, receivedAt, sources } = identity;
    this.queryId = queryId;
    this.idempotencyKey = idempotencyKey;
    this.receivedAt = receivedAt;
    this.sources = sources;
    this.owner = identity.owner;
    this.answer = Promise.all(
      sources.map(async (source) => {
        const part = await ask(source);
        this.#parts.push(part);
        listener?.part(this, part);
        return part;
      }),
    ).then((parts) => {
      this.#complete = true;
      const answer: QueryAnswer = { queryId, idempotencyKey, receivedAt, parts };
      listener?.complete(this, answer);
      return answer;
    });
  }

  get complete(): boolean {
    return this.#complete;
  }

  /** What the poll fallback returns: the parts so far, and whether any are still to come. */
  status(): QueryStatus {
    return {
      queryId: this.queryId,
      idempotencyKey: this.idempotencyKey,
      receivedAt: this.receivedAt,
      sources: [...this.sources],
      parts: [...this.#parts],
      complete: this.#complete,
    };
  }
}
