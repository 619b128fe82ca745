// The event stream's route: a terminal's answers, parts and BOLOs as server-sent events, resumable with
// Last-Event-ID (event-hub.ts keeps the log and writes the streams).
import type { FastifyInstance } from 'fastify';
import { paths, TerminalId } from '../../src-shared/protocol.ts';
import type { LiveStreams } from '../auth/live-streams.ts';
import { replyHeaders } from '../drill/condition-player.ts';
import { sendError } from './error-reply.ts';
import type { EventHub } from './event-hub.ts';

export function registerEvents(app: FastifyInstance, hub: EventHub, streams: LiveStreams): void {
  app.get<{ Querystring: { terminal?: string; lastEventId?: string } }>(paths.events, async (request, reply) => {
    // The session's terminal; `?terminal=` is needed only where sessions are off, and must match where they are not.
    const terminal = TerminalId.safeParse(request.session?.terminal ?? request.query.terminal);
    if (!terminal.success) return sendError(reply, 400, 'bad_terminal', `terminal: ${terminal.error.issues[0]!.message}`, 'terminal');
    // EventSource sends Last-Event-ID itself on reconnect; a terminal opening a fresh stream after a restart passes it as a parameter.
    const header = request.headers['last-event-id'];
    const resume = hub.resumePoint((Array.isArray(header) ? header[0] : header) ?? request.query.lastEventId);
    reply.hijack();
    reply.raw.writeHead(200, {
      ...replyHeaders(reply),
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Accel-Buffering': 'no',
    });
    hub.attach(terminal.data, reply.raw, resume);
    // A signed-out or revoked session ends its open streams too.
    if (request.session) streams.hold(request.session, reply.raw);
  });
}
