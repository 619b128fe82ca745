// BOLO broadcasts from the event stream: kept in a list, and each raised once as an alert of broadcast severity.
import type { Bolo } from '../../src-shared/protocol.ts';
import type { AlertRecord, OutriderDb } from '../db/database.ts';
import { CAUTION_TEXT } from '../../src-shared/code-tables/index.ts';
import { SEVERITY_RANK } from './classify.ts';

export class BoloInbox {
  constructor(
    private readonly db: OutriderDb,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Stores a BOLO and raises its alert, unless it was already received (a resumed stream sends held BOLOs again). */
  async receive(bolo: Bolo): Promise<AlertRecord | undefined> {
    const now = this.clock();
    return this.db.transaction('rw', [this.db.bolos, this.db.alerts, this.db.audit], async () => {
      if (await this.db.bolos.get(bolo.id)) return undefined;
      await this.db.bolos.add({ ...bolo, receivedAt: now.toISOString() });
      const alert: AlertRecord = {
        severity: 'broadcast',
        rank: SEVERITY_RANK.broadcast,
        title: `BOLO: ${bolo.title}`,
        subject: bolo.lic ? `Plate ${bolo.lic}${bolo.lis ? ` (${bolo.lis})` : ''}` : 'All units',
        detail: bolo.text,
        cautions: bolo.cautions.map((code) => CAUTION_TEXT[code]),
        sources: ['Broadcast'],
        id: crypto.randomUUID(),
        // A broadcast answers no query: it is filed under its own id.
        queryId: bolo.id,
        askedAt: bolo.issuedAt,
        answeredAt: now.toISOString(),
        late: false,
        acknowledgedAt: 0,
      };
      await this.db.alerts.add(alert);
      await this.db.audit.add({ at: now.toISOString(), action: 'bolo.received', subject: bolo.id, outcome: alert.title });
      return alert;
    });
  }
}
