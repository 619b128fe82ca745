// GET /v1/ready, the load balancer's probe: a node that cannot reach its store says so with 503, so HAProxy sends
// the cars to the other node, while /v1/health (what terminals ask) still says the node itself is up.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paths, Readiness } from '../../../src-shared/protocol.ts';
import { MessageSwitch } from '../../../src-switch/server.ts';
import { PostgresStore } from '../../../src-switch/store/postgres-store.ts';
import { StoreKeyFile } from '../../../src-switch/store/store-key.ts';
import { type PostgresServer, startPostgres, whyNoPostgres } from '../../support/postgres-server.ts';

async function probe(url: string, path: string) {
  const response = await fetch(`${url}${path}`);
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as unknown };
}

describe('readiness on the memory store', () => {
  it('is ready, with no session asked for, and names its store', async () => {
    const memory = new MessageSwitch({ latencyScale: 0 });
    try {
      const { url } = await memory.listen();
      const ready = await probe(url, paths.ready);
      expect(ready).toMatchObject({ status: 200, body: { status: 'ready', store: 'memory' } });
      expect(Readiness.safeParse(ready.body).success).toBe(true);
    } finally {
      await memory.close();
    }
  });
});

const noPostgres = whyNoPostgres();
if (noPostgres) console.warn(`readiness: the PostgreSQL run is skipped: ${noPostgres}`);

describe.skipIf(Boolean(noPostgres))('readiness on PostgreSQL', () => {
  let postgres: PostgresServer;
  let node: MessageSwitch;
  let url: string;
  const folder = mkdtempSync(join(tmpdir(), 'outrider-ready-'));
  beforeAll(async () => {
    postgres = await startPostgres({ fsync: false });
    const store = await PostgresStore.open(await postgres.database(), new StoreKeyFile(join(folder, 'store.key')));
    node = new MessageSwitch({ latencyScale: 0, store });
    ({ url } = await node.listen());
  });
  afterAll(async () => {
    await node?.close();
    await postgres?.stop({ remove: true });
    rmSync(folder, { recursive: true, force: true });
  });

  it('answers 503 store_unavailable with Retry-After while the database is stopped, health still 200, and is ready again after', { timeout: 40_000 }, async () => {
    expect(await probe(url, paths.ready)).toMatchObject({ status: 200, body: { status: 'ready', store: 'postgres' } });
    await postgres.stop({ remove: false });
    try {
      const started = Date.now();
      const down = await probe(url, paths.ready);
      expect(down).toMatchObject({ status: 503, retryAfter: '5', body: { error: { code: 'store_unavailable' } } });
      // Within HAProxy's check: the probe does not hang on a database that is gone.
      expect(Date.now() - started).toBeLessThan(8_000);
      expect((await probe(url, paths.health)).status).toBe(200);
    } finally {
      await postgres.restart();
    }
    await expect.poll(async () => (await probe(url, paths.ready)).status, { timeout: 15_000 }).toBe(200);
  });
});
