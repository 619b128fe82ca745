// What the windows of one terminal tell each other about the session: a lock, a sign-out, a new token, activity.
export type SessionMessage = { type: 'lock' } | { type: 'signout' } | { type: 'activity'; at: number } | { type: 'token' };

export const SESSION_CHANNEL = 'outrider-session';

export class SessionChannel {
  readonly #channel: BroadcastChannel | undefined;

  /** `hear` is called with what other windows share; a page without BroadcastChannel hears nothing. */
  constructor(hear: (message: SessionMessage) => void, name: string = SESSION_CHANNEL) {
    this.#channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(name) : undefined;
    if (this.#channel) this.#channel.onmessage = (event: MessageEvent<SessionMessage>) => hear(event.data);
  }

  share(message: SessionMessage): void {
    this.#channel?.postMessage(message);
  }

  close(): void {
    this.#channel?.close();
  }
}
