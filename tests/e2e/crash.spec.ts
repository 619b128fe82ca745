// The crash soak's short form (`npm run soak -- crash` runs 50 kills over 1,000 queries): the browser killed
// five times at random moments of a 200-query drain, two of them while it starts. Nothing queued is lost, the
// switch runs each query once, and every hit is alerted and acknowledged once.
import { CRASH_DEFAULTS, runCrashSoak } from '../../soak/crash.ts';
import { failures, summaryLine } from '../../soak/summary.ts';
import { expect, test } from './fixtures.ts';

test('a browser killed five times while draining 200 queries loses none, runs none twice, and alerts every hit', async ({ terminalUrl, drillSwitch }) => {
  test.setTimeout(300_000);
  const result = await runCrashSoak(
    { drillSwitch: drillSwitch.process, terminalUrl, log: (message) => console.log(message) },
    { ...CRASH_DEFAULTS, kills: 5, queries: 200, startUpShare: 0.4 },
  );
  console.log(summaryLine(result, `${result.kills} kills`));
  console.log(`crash soak kills: ${JSON.stringify(result.killLog)}`);
  expect(result.kills).toBe(5);
  expect(result.killLog.filter((kill) => kill.moment === 'starting')).toHaveLength(2);
  // Every full start after a kill found all 200 queries in the profile, whatever state each was in. (A kill
  // followed by a start-up kill has no count: that start never finished.)
  const starts = result.killLog.filter((kill) => kill.found);
  expect(starts.length).toBeGreaterThanOrEqual(3);
  for (const kill of starts) expect(Object.values(kill.found!).reduce((a, b) => a + b, 0), JSON.stringify(kill)).toBe(200);
  expect(result.hits).toBe(10);
  expect(failures(result)).toEqual([]);
});
