// Listens for the NMEA sentences a car modem or router broadcasts over UDP; every bad sentence is dropped and counted.
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { GpsReport, GpsSource } from '../../src-shared/gps.ts';
import { parseNmea } from '../../src-shared/nmea.ts';
import { NmeaFixes } from './nmea-fixes.ts';

export interface NmeaUdpOptions {
  port: number;
  /** The address to listen on; every IPv4 interface by default. */
  bind?: string;
  /** The only sender whose datagrams are read; any sender when absent. */
  from?: string;
  now?: () => number;
}

type Rejection = 'checksum' | 'malformed' | 'talker' | 'implausible' | 'sender';

export interface NmeaUdpSource extends GpsSource {
  /** The port actually bound (the one asked for, or the one the OS chose for port 0). */
  readonly port: number;
  counts(): { fixes: number; rejected: Record<Rejection, number>; ignored: number };
}

/** Binds the socket; rejects when the port cannot be had (taken, or not allowed), so the caller can say why. */
export async function startNmeaUdpSource(options: NmeaUdpOptions): Promise<NmeaUdpSource> {
  const now = options.now ?? Date.now;
  const bind = options.bind ?? '0.0.0.0';
  const socket = createSocket({ type: isIPv6(bind) ? 'udp6' : 'udp4', reuseAddr: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(options.port, bind, () => {
      socket.off('error', reject);
      resolve();
    });
  }).catch((error: unknown) => {
    socket.close();
    throw error;
  });
  return new UdpSource(socket, now, options.from);
}

class UdpSource implements NmeaUdpSource {
  readonly kind = 'nmea-udp' as const;
  readonly port: number;
  readonly #socket: Socket;
  readonly #now: () => number;
  readonly #fixes = new NmeaFixes();
  readonly #listeners = new Set<(report: GpsReport) => void>();
  readonly #rejected: Record<Rejection, number> = { checksum: 0, malformed: 0, talker: 0, implausible: 0, sender: 0 };
  readonly #from: string | undefined;
  #accepted = 0;
  #ignored = 0;
  #closed = false;

  constructor(socket: Socket, now: () => number, from: string | undefined) {
    this.#socket = socket;
    this.#now = now;
    this.#from = from;
    this.port = socket.address().port;
    socket.on('message', (datagram, sender) => {
      // Counted per datagram: whatever it says, it is not from the modem.
      if (this.#from !== undefined && withoutMappedPrefix(sender.address) !== withoutMappedPrefix(this.#from)) this.#rejected.sender++;
      else this.#read(datagram);
    });
    // A socket error after binding (rare for UDP) ends the listening: say so rather than go quietly stale.
    socket.on('error', (error) => this.#emit({ kind: 'unavailable', reason: `the NMEA listener on UDP port ${this.port} failed: ${error.message}` }));
  }

  onReport(listener: (report: GpsReport) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  counts() {
    return { fixes: this.#accepted, rejected: { ...this.#rejected }, ignored: this.#ignored };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#listeners.clear();
    await new Promise<void>((resolve) => this.#socket.close(() => resolve()));
  }

  /** One datagram may carry several sentences, one per line, as modems batch a second's worth. */
  #read(datagram: Buffer): void {
    const receivedAt = this.#now();
    for (const line of datagram.toString('latin1').split('\n')) {
      const text = line.replace(/\r$/, '');
      if (text === '') continue;
      const parsed = parseNmea(text);
      if (!parsed.ok) {
        if (parsed.reason === 'unsupported') this.#ignored++;
        else this.#rejected[parsed.reason]++;
        continue;
      }
      const outcome = this.#fixes.accept(parsed.sentence, receivedAt);
      if (outcome?.kind === 'implausible') this.#rejected.implausible++;
      else if (outcome) {
        if (outcome.kind === 'fix') this.#accepted++;
        this.#emit(outcome);
      }
    }
  }

  #emit(report: GpsReport): void {
    for (const listener of this.#listeners) listener(report);
  }
}

/** An IPv6 socket sees an IPv4 sender as ::ffff:a.b.c.d; the profile names it a.b.c.d. */
function withoutMappedPrefix(address: string): string {
  return address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
}
