// GET /v1/hotlist (the snapshot, or with ?since= the delta) and the admin route a drill uses to change the list.
import type { FastifyInstance } from 'fastify';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { HotlistChange, hotlistPaths, HotlistRequest, type HotlistStatus } from '../../src-shared/hotlist.ts';
import type { Hotlist } from '../records/data/hotlist.ts';
import { sendError } from './error-reply.ts';

const gzipAsync = promisify(gzip);

/** True when the client takes gzip (a car modem link is slow: a million plates are ~13 MB as JSON, ~4 MB gzipped). */
export function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return (coding === 'gzip' || coding === '*') && (q === undefined || Number(q.slice(2)) > 0);
  });
}

/**
 * The terminal's routes, on the protocol server (so drill conditions apply to them too). A `since` the switch can
 * still answer gets a delta; one it cannot (too old, or from an earlier run of the switch) gets the whole snapshot
 * in the same response rather than a 410, which would cost a car on a weak link a second round trip.
 */
export function registerHotlist(app: FastifyInstance, hotlist: Hotlist): void {
  // Compressed once per version: every car in a shift asks for the same bytes.
  const compressed = new WeakMap<Buffer, Promise<Buffer>>();

  app.get(hotlistPaths.hotlist, async (request, reply) => {
    const parsed = HotlistRequest.safeParse(request.query);
    if (!parsed.success) return sendError(reply, 400, 'invalid_since', parsed.error.issues[0]!.message, 'since');
    reply.header('Cache-Control', 'no-cache');
    const delta = parsed.data.since === undefined ? undefined : hotlist.delta(parsed.data.since);
    if (delta !== undefined) return delta;

    // Weak: the gzip and plain bodies are the same list, not the same bytes.
    const etag = `W/"${hotlist.version}"`;
    reply.header('ETag', etag).header('Vary', 'Accept-Encoding');
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    const json = hotlist.snapshotJson();
    reply.type('application/json; charset=utf-8');
    if (!acceptsGzip(request.headers['accept-encoding'])) return reply.send(json);
    let body = compressed.get(json);
    if (body === undefined) {
      body = gzipAsync(json);
      compressed.set(json, body);
    }
    return reply.header('Content-Encoding', 'gzip').send(await body);
  });
}

/** The instructor's routes, on the admin server: read the list's version, add stolen plates, clear recovered ones. */
export function registerHotlistAdmin(admin: FastifyInstance, hotlist: Hotlist): void {
  admin.get(hotlistPaths.adminHotlist, async (): Promise<HotlistStatus> => hotlist.status());
  admin.post(hotlistPaths.adminHotlist, async (request, reply) => {
    const parsed = HotlistChange.safeParse(request.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return sendError(reply, 400, 'invalid_hotlist_change', `${issue.path.join('.') || 'change'}: ${issue.message}`, issue.path.join('.'));
    }
    hotlist.update(parsed.data);
    return hotlist.status();
  });
}
