// The event streams open under each session. A token is checked when a stream opens, not on every event it
// carries, so the end of a session (sign-out, a replaced token used again) also ends the streams it opened.
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

  /** Ends the streams of one session, whichever of its renewed tokens opened them. */
  endSession(claims: SessionClaims): void {
    this.#end((held) => held.sid === claims.sid);
  }

  #end(matches: (claims: SessionClaims) => boolean): void {
    for (const stream of this.#streams) if (matches(stream.claims)) stream.response.end();
  }
}
