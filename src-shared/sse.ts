// A text/event-stream parser (the WHATWG server-sent events format), fed chunk by chunk as bytes arrive.

export interface StreamEvent {
  /** The event's id, or the last id seen before it (the format carries ids forward). */
  id: string | undefined;
  type: string;
  data: string;
}

export class SseParser {
  #buffer = '';
  #lastId: string | undefined;
  #type = '';
  #data: string[] = [];
  /** Set when a comment line (a heartbeat) arrives, so a reader can tell the stream is alive. */
  sawComment = false;

  constructor(lastId?: string) {
    this.#lastId = lastId;
  }

  get lastId(): string | undefined {
    return this.#lastId;
  }

  /** Takes the next chunk of text and returns every event it completed. A partial line waits for the next chunk. */
  push(chunk: string): StreamEvent[] {
    this.#buffer += chunk;
    const events: StreamEvent[] = [];
    for (;;) {
      const end = this.#buffer.search(/\r\n|\r|\n/);
      if (end < 0) break;
      // A lone \r at the very end may be the first half of \r\n: wait for the next chunk to know.
      if (this.#buffer[end] === '\r' && end === this.#buffer.length - 1) break;
      const line = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + (this.#buffer.startsWith('\r\n', end) ? 2 : 1));
      const event = this.#line(line);
      if (event) events.push(event);
    }
    return events;
  }

  #line(line: string): StreamEvent | undefined {
    if (line === '') return this.#dispatch();
    if (line.startsWith(':')) {
      this.sawComment = true;
      return undefined;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.#data.push(value);
    else if (field === 'event') this.#type = value;
    else if (field === 'id' && !value.includes('\0')) this.#lastId = value;
    return undefined;
  }

  #dispatch(): StreamEvent | undefined {
    const data = this.#data;
    const type = this.#type || 'message';
    this.#data = [];
    this.#type = '';
    if (data.length === 0) return undefined;
    return { id: this.#lastId, type, data: data.join('\n') };
  }
}
