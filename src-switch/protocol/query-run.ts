// One query's execution at the switch: it asks each source that has not answered yet, keeps each part in the
// store the moment it comes, and only then hands it on (to the terminal's stream, or the synchronous reply).
import type { AnswerPart, QueryAnswer, Source } from '../../src-shared/protocol.ts';
import { answerOf, type ExecutionRecord, type Executions, LEASE_MS } from './executions.ts';

export interface RunListener {
  part(record: ExecutionRecord, part: AnswerPart): Promise<void> | void;
  complete(record: ExecutionRecord, answer: QueryAnswer): Promise<void> | void;
}

export class QueryRun {
  /** Every source's part, in fan-out order, once the last has answered and the run is stored complete. */
  readonly answer: Promise<QueryAnswer>;

  constructor(
    readonly record: ExecutionRecord,
    executions: Executions,
    ask: (source: Source) => Promise<AnswerPart>,
    listener?: RunListener,
  ) {
    // The lease says this node is still at it; a node that dies stops renewing, and another takes over.
    const renewal = setInterval(() => void executions.renew(record.key).catch(() => undefined), LEASE_MS / 3);
    renewal.unref();
    const missing = record.sources.filter((source) => !record.parts.some((part) => part.source === source));
    this.answer = Promise.all(
      missing.map(async (source) => {
        const part = await ask(source);
        if (await executions.addPart(record.key, part)) await listener?.part(record, part);
      }),
    )
      .then(async () => {
        const done = await executions.complete(record.key);
        if (!done) throw new Error(`the record of ${record.key} is gone`);
        const answer = answerOf(done);
        await listener?.complete(done, answer);
        return answer;
      })
      .finally(() => clearInterval(renewal));
  }
}
