// BOLOs (be on the lookout) on the admin server: one issued goes to every terminal's stream at once, and is kept
// (in the store, for the protocol's retention) for terminals that connect later while it is held.
import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { FIELD_CONFIG } from '../../src-shared/field-config.ts';
import { type Bolo, BoloRequest, paths } from '../../src-shared/protocol.ts';
import type { SwitchStore } from '../store/store.ts';
import { sendError } from './error-reply.ts';
import type { EventHub } from './event-hub.ts';

const BOLOS = 'bolo';

export function registerBoloAdmin(admin: FastifyInstance, { store, hub, now }: { store: SwitchStore; hub: EventHub; now: () => Date }): void {
  admin.post(paths.adminBolos, async (request, reply) => {
    const parsed = BoloRequest.safeParse(request.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return sendError(reply, 400, 'invalid_bolo', `${issue.path.join('.') || 'bolo'}: ${issue.message}`, issue.path.join('.'));
    }
    const bolo: Bolo = { ...parsed.data, id: randomUUID(), issuedAt: now().toISOString() };
    await store.update<Bolo, void>(BOLOS, bolo.id, () => ({ next: bolo, expiresAt: now().getTime() + FIELD_CONFIG.idempotencyRetentionMs, result: undefined }));
    await hub.publish({ type: 'bolo', data: bolo }, undefined);
    return reply.code(201).send(bolo);
  });
  admin.get(paths.adminBolos, async () => (await store.list<Bolo>(BOLOS)).map(([, bolo]) => bolo).sort((a, b) => a.issuedAt.localeCompare(b.issuedAt)));
}
