// A link that drops packets without a word: a TCP relay in front of the switch that, while it is dead, accepts
// connections and forwards nothing either way, and never resets what it froze. When it comes back, the
// connections it froze stay frozen (as connections waiting on TCP's retransmission backoff do, seconds
// after the radio returns), and new ones flow: only the terminal's own timeouts free the old ones.
import { createServer, type Server, type Socket, connect } from 'node:net';

export interface SilentLink {
  /** The address to give the terminal as its switch. */
  url: string;
  /** Drops everything from now on (true), or lets new connections through (false). */
  setDead(dead: boolean): void;
  /** Connections currently frozen: accepted or open while the link was dead, and not yet closed by the terminal. */
  frozen(): number;
  close(): Promise<void>;
}

export async function startSilentLink(switchUrl: string): Promise<SilentLink> {
  const target = new URL(switchUrl);
  let dead = false;
  const frozen = new Set<Socket>();
  const open = new Set<Socket>();
  /** Freezes one relayed pair: no byte crosses again, and nothing is closed from this side. */
  const freeze = (client: Socket, upstream: Socket | undefined) => {
    client.pause();
    upstream?.pause();
    if (upstream) client.unpipe(upstream);
    if (upstream) upstream.unpipe(client);
    frozen.add(client);
    client.once('close', () => frozen.delete(client));
  };
  const pairs = new Map<Socket, Socket>();
  const server: Server = createServer((client) => {
    open.add(client);
    client.once('close', () => open.delete(client));
    client.on('error', () => undefined);
    if (dead) return freeze(client, undefined);
    const upstream = connect(Number(target.port), target.hostname);
    // The switch closing its side (an idle keep-alive timing out) reaches the terminal only while the link
    // lives: a dead link carries no reset either.
    const closeClient = () => {
      if (!frozen.has(client)) client.destroy();
    };
    upstream.on('error', closeClient);
    upstream.once('close', closeClient);
    client.once('close', () => upstream.destroy());
    pairs.set(client, upstream);
    client.once('close', () => pairs.delete(client));
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    setDead(next) {
      dead = next;
      if (!next) return;
      // Everything open now is caught by the drop: the keep-alive sockets, the held probe, the event stream.
      for (const client of open) if (!frozen.has(client)) freeze(client, pairs.get(client));
    },
    frozen: () => frozen.size,
    async close() {
      for (const client of open) client.destroy();
      for (const upstream of pairs.values()) upstream.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
