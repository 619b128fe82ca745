// The flapping soak's short form (`npm run soak -- flap` runs ten minutes): a minute of a link flapping every
// 0.1 to 3 s while 200 queries are typed. Every query answered once, every hit alerted and acknowledged once.
import { FLAP_DEFAULTS, runFlapSoak } from '../../soak/flap.ts';
import { failures, summaryLine } from '../../soak/summary.ts';
import { expect, queued, statusBar, test } from './fixtures.ts';

// Offline training plates would pop a hotlist POSSIBLE HIT first; this soak is about the live answer.
test.use({ hotlist: false });

test('a minute of flapping link while 200 queries are typed: all answered, each executed once, each hit alerted once', async ({ terminal: page, drillSwitch }) => {
  test.setTimeout(300_000);
  const result = await runFlapSoak({ drillSwitch: drillSwitch.process, terminalUrl: page.url(), log: (message) => console.log(message) }, page, {
    ...FLAP_DEFAULTS,
    durationMs: 60_000,
    queries: 200,
  });
  console.log(summaryLine(result, `1 min flapping (${result.outages.offline + result.outages.blackHole} outages)`));
  expect(result.outages.offline + result.outages.blackHole).toBeGreaterThanOrEqual(10);
  expect(result.hits).toBe(10);
  expect(failures(result)).toEqual([]);
  await expect(statusBar(page)).toContainText(queued(0));
});
