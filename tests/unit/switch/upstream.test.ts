// The upstream seam: a switch given another upstream fans out and answers from it, with no route changed.
import { afterEach, describe, expect, it } from 'vitest';
import { type AnswerPart, paths, QueryAnswer, type Source } from '../../../src-shared/protocol.ts';
import type { Query } from '../../../src-shared/queries.ts';
import { MessageSwitch } from '../../../src-switch/server.ts';
import { SimulatedSources } from '../../../src-switch/sources/simulated-sources.ts';
import type { Inquiry, Upstream } from '../../../src-switch/sources/upstream.ts';

/** An upstream that reaches NCIC alone and finds nothing, noting each question it is asked. */
class NcicOnly implements Upstream {
  readonly asked: Array<{ source: Source; query: Query; inquiry: Inquiry }> = [];

  sources(): readonly Source[] {
    return ['NCIC'];
  }

  async ask(source: Source, query: Query, inquiry: Inquiry): Promise<AnswerPart> {
    this.asked.push({ source, query, inquiry });
    return { source, status: 'not_on_file', records: [], text: 'NCIC: NO RECORD', answeredAt: '2026-11-23T10:00:00.000Z' };
  }
}

let messageSwitch: MessageSwitch | undefined;
afterEach(() => messageSwitch?.close());

describe('the upstream a switch is given', () => {
  it('answers a query from it alone, and tells it the query key', async () => {
    const upstream = new NcicOnly();
    messageSwitch = new MessageSwitch({ latencyScale: 0, sessions: 'off', upstream });
    const { url } = await messageSwitch.listen();
    const key = crypto.randomUUID();
    const response = await fetch(`${url}${paths.queries}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key },
      body: JSON.stringify({ query: { kind: 'plate', lic: '4TRN123', lis: 'CA' }, askedAt: '2026-11-23T10:00:00.000Z' }),
    });
    expect(response.status).toBe(200);
    expect(QueryAnswer.parse(await response.json()).parts).toEqual([expect.objectContaining({ source: 'NCIC', text: 'NCIC: NO RECORD' })]);
    expect(upstream.asked).toEqual([{ source: 'NCIC', query: { kind: 'plate', lic: '4TRN123', lis: 'CA' }, inquiry: expect.objectContaining({ key }) }]);
  });
});

describe('the simulated sources', () => {
  it('answer a question asked again the same way, as a run resumed after a crash asks it', async () => {
    const sources = new SimulatedSources({ latencyScale: 0, now: () => new Date('2026-11-23T10:00:00Z') });
    const query: Query = { kind: 'plate', lic: '4TRN123', lis: 'CA' };
    expect(await sources.ask('SVS', query)).toEqual(await sources.ask('SVS', query));
  });
});
