// The event streams open under each session. A token is checked when a stream opens, not on every event it
// carries, so a sign-out or a lockout also ends the streams that were delivering CJI under it.
import type { ServerResponse } from 'node:http';
import type { SessionClaims } from './session-tokens.ts';

interface LiveStream {
  claims: SessionClaims;
  response: ServerResponse;
}

export class LiveStreams {
  readonly #streams = new Set<LiveStream>();

  hold(claims: SessionClaims, response: ServerResponse): void {
    const stream = { claims, response };
    this.#streams.add(stream);
    response.once('close', () => this.#streams.delete(stream));
  }

  /** Ends the streams of one sign-in, whichever of its renewed tokens opened them. */
  endSession(claims: SessionClaims): void {
    this.#end((held) => held.officer === claims.officer && held.terminal === claims.terminal && held.signedInAt === claims.signedInAt);
  }

  endOfficer(officer: string): void {
    this.#end((held) => held.officer === officer);
  }

  #end(matches: (claims: SessionClaims) => boolean): void {
    for (const stream of this.#streams) if (matches(stream.claims)) stream.response.end();
  }
}
