// Measures the ALPR-sized hotlist on the switch side: a million plates generated, served, looked up and
// changed. `npm run bench` reuses measureSwitchHotlist; run alone for the detailed printout:
//   node --expose-gc --import tsx bench/hotlist-million.ts [count]
import { gzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { generateHotlistPlates, Hotlist } from '../src-switch/records/data/hotlist.ts';
import { percentile } from './report.ts';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const memory = () => {
  gc();
  const { heapUsed, arrayBuffers, rss } = process.memoryUsage();
  return { heapUsed, arrayBuffers, rss };
};
const time = <T>(run: () => T): [T, number] => {
  const start = performance.now();
  return [run(), performance.now() - start];
};

export interface SwitchHotlistFigures {
  count: number;
  generateMs: number;
  snapshotMs: number;
  jsonBytes: number;
  gzipBytes: number;
  gzipMs: number;
  /** 100,000 lookups in one batch. */
  lookupsMs: number;
  /** Each of 10,000 lookups timed on its own, in milliseconds (clock overhead included). */
  lookupP99Ms: number;
  updateMs: number;
  deltaMs: number;
  delta: { added: number; removed: number };
  heldBytes: { afterGenerate: number; packedAfterGenerate: number; atEnd: number; buffersAtEnd: number; peakRss: number };
}

export function measureSwitchHotlist(count: number): SwitchHotlistFigures {
  const before = memory();
  const [plates, generateMs] = time(() => generateHotlistPlates(1, count));
  const afterGenerate = memory();
  const hotlist = new Hotlist(plates, { listId: 'bench' });
  const [json, snapshotMs] = time(() => hotlist.snapshotJson());
  const [gzip, gzipMs] = time(() => gzipSync(json));
  const probes = Array.from({ length: 100_000 }, (_, i) => plates.keyAt((i * 7919) % plates.count));
  const [, lookupsMs] = time(() => probes.every((key) => hotlist.has(key)));
  const single = probes.slice(0, 10_000).map((key) => time(() => hotlist.has(key))[1]);
  const [, updateMs] = time(() => hotlist.update({ add: ['CA:BENCH1'], remove: probes.slice(0, 1_000) }));
  const [delta, deltaMs] = time(() => hotlist.delta('bench.1'));
  const after = memory();
  return {
    count: plates.count,
    generateMs,
    snapshotMs,
    jsonBytes: json.length,
    gzipBytes: gzip.length,
    gzipMs,
    lookupsMs,
    lookupP99Ms: percentile(single, 99),
    updateMs,
    deltaMs,
    delta: { added: delta?.added.length ?? 0, removed: delta?.removed.length ?? 0 },
    heldBytes: {
      afterGenerate: afterGenerate.heapUsed - before.heapUsed,
      packedAfterGenerate: afterGenerate.arrayBuffers - before.arrayBuffers,
      atEnd: after.heapUsed - before.heapUsed,
      buffersAtEnd: after.arrayBuffers - before.arrayBuffers,
      peakRss: process.resourceUsage().maxRSS * 1024,
    },
  };
}

function print(f: SwitchHotlistFigures): void {
  console.log(`plates                 ${f.count.toLocaleString('en-US')}`);
  console.log(`generate               ${f.generateMs.toFixed(0)} ms (seeded faker, sort, pack)`);
  console.log(`held after generating  ${mb(f.heldBytes.afterGenerate)} heap + ${mb(f.heldBytes.packedAfterGenerate)} packed`);
  console.log(`snapshot JSON          ${mb(f.jsonBytes)} in ${f.snapshotMs.toFixed(0)} ms; gzip ${mb(f.gzipBytes)} in ${f.gzipMs.toFixed(0)} ms`);
  console.log(`100,000 lookups        ${f.lookupsMs.toFixed(0)} ms; one lookup p99 ${(f.lookupP99Ms * 1000).toFixed(1)} µs`);
  console.log(`update + delta         ${f.updateMs.toFixed(0)} ms + ${f.deltaMs.toFixed(1)} ms (${f.delta.added} added, ${f.delta.removed} removed)`);
  console.log(`held at the end        ${mb(f.heldBytes.atEnd)} heap + ${mb(f.heldBytes.buffersAtEnd)} buffers; peak RSS of the process ${mb(f.heldBytes.peakRss)}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) print(measureSwitchHotlist(Number(process.argv[2] ?? 1_000_000)));
