// Figure 5: the million-plate hotlist: the switch's list, the download into Chromium, and the terminal's own
// hotlist code (src-renderer/hotlist) storing it sealed in Chromium's IndexedDB, loading it, looking plates
// up and applying a delta.
import { SwitchProcess } from '../scripts/switch-process.ts';
import { hotlistPaths } from '../src-shared/hotlist.ts';
import { signInAt } from '../tests/support/switch-session.ts';
import { type Bench, openBaseline } from './harness.ts';
import { measureSwitchHotlist } from './hotlist-million.ts';
import { median, type Row } from './report.ts';

export interface HotlistOptions {
  plates: number;
  /** Plates changed in the delta: half added, half cleared. */
  delta: number;
  runs: number;
}

/** Keys per admin request: 2 x 500 keys of at most 13 characters stay under the admin port's body limit. */
const CHANGE_BATCH = 500;

export async function measureHotlist(bench: Bench, options: HotlistOptions): Promise<Row[]> {
  const n = options.plates.toLocaleString('en-US');
  const onSwitch = measureSwitchHotlist(options.plates);
  const hotlistSwitch = new SwitchProcess(0, ['--latency-scale', '0', '--hotlist-size', String(options.plates)]);
  await hotlistSwitch.start();
  const { context, page } = await openBaseline(bench);
  try {
    // The hotlist is CJI: the page downloads it with a session, as the terminal does.
    const { token } = await signInAt(hotlistSwitch.url, 'bench-hotlist-0001');
    await page.evaluate((session) => window.baseline.useSession(session), token);
    const url = `${hotlistSwitch.url}${hotlistPaths.hotlist}`;
    const download = () => page.evaluate((address) => window.baseline.hotlist(address), url);
    // The first download also makes the switch gzip this version once; the runs after it are what a car sees.
    const first = await download();
    const times: number[] = [];
    for (let run = 0; run < options.runs; run++) times.push((await download()).ms);
    // Half the probes are on the list, half are not: a lookup that misses walks as far as one that hits.
    const probes = [...first.sample.slice(0, 5_000), ...first.sample.slice(0, 5_000).map((key) => `${key}X`)];
    const stored = await page.evaluate(([address, keys]) => window.baseline.terminalHotlist(address, keys), [hotlistSwitch.url, probes] as const);
    if (stored.size !== first.count) throw new Error(`The terminal stored ${stored.size} plates of ${first.count}`);

    const half = Math.floor(options.delta / 2);
    const add = Array.from({ length: options.delta - half }, (_, i) => `CA:Z${String(i).padStart(7, '0')}`);
    const remove = first.sample.slice(0, half);
    // The admin port takes 16 KiB a request, so the change goes in batches: several versions, one delta.
    for (let from = 0; from < Math.max(add.length, remove.length); from += CHANGE_BATCH) {
      const change = await hotlistSwitch.adminFetch(hotlistPaths.adminHotlist, {
        method: 'POST',
        body: JSON.stringify({ add: add.slice(from, from + CHANGE_BATCH), remove: remove.slice(from, from + CHANGE_BATCH) }),
      });
      if (!change.ok) throw new Error(`The switch refused the hotlist change: ${await change.text()}`);
    }
    const delta = await page.evaluate((address) => window.baseline.hotlist(address), `${url}?since=${encodeURIComponent(first.version)}`);
    const changed = (add.length + remove.length).toLocaleString('en-US');
    const applied = await page.evaluate((address) => window.baseline.terminalHotlistDelta(address), hotlistSwitch.url);
    if (applied.size !== first.count - remove.length + add.length) throw new Error(`The delta left ${applied.size} plates`);
    return [
      {
        figure: `Hotlist download into Chromium, ${n} plates (gzip + parse)`,
        unit: 'ms',
        outrider: { value: median(times) },
        targets: [],
        note: `switch side: ${(onSwitch.jsonBytes / 1e6).toFixed(1)} MB JSON, ${(onSwitch.gzipBytes / 1e6).toFixed(1)} MB gzip; built in ${onSwitch.generateMs.toFixed(0)} ms`,
      },
      {
        figure: `Hotlist downloaded and stored in the terminal, ${n} plates`,
        unit: 'ms',
        outrider: { value: stored.storeMs },
        targets: [{ on: 'value', max: 10_000, text: '≤ 10 s' }],
        note: `sealed at rest; a cold load from storage at start-up took ${stored.loadMs.toFixed(0)} ms`,
      },
      { figure: 'Hotlist lookup p99 in the terminal', unit: 'µs', outrider: { value: stored.lookupP99Ms * 1000 }, targets: [{ on: 'value', max: 1000, text: '≤ 1 ms' }], note: `per lookup, over batches of 50 (${probes.length.toLocaleString('en-US')} lookups, half misses)` },
      { figure: 'Hotlist lookup p99 on the switch (in memory)', unit: 'µs', outrider: { value: onSwitch.lookupP99Ms * 1000 }, targets: [], note: 'each of 10,000 lookups timed alone, clock overhead included' },
      { figure: `Hotlist delta download, ${changed} plates changed`, unit: 'ms', outrider: { value: delta.ms }, targets: [] },
      { figure: `Hotlist delta downloaded and applied in the terminal, ${changed} plates`, unit: 'ms', outrider: { value: applied.ms }, targets: [{ on: 'value', max: 1000, text: '≤ 1 s' }] },
    ];
  } finally {
    await context.close();
    await hotlistSwitch.stop();
  }
}
