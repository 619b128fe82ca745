// Measures the ALPR-sized hotlist: a million plates generated, served, looked up and changed. Run:
//   node --expose-gc --import tsx tests/bench/hotlist-million.ts [count]
import { gzipSync } from 'node:zlib';
import { generateHotlistPlates, Hotlist } from '../../src-switch/data/hotlist.ts';

const count = Number(process.argv[2] ?? 1_000_000);
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

const before = memory();
const [plates, generateMs] = time(() => generateHotlistPlates(1, count));
const afterGenerate = memory();
const hotlist = new Hotlist(plates, { listId: 'bench' });
const [json, snapshotMs] = time(() => hotlist.snapshotJson());
const [gzip, gzipMs] = time(() => gzipSync(json));
const probes = Array.from({ length: 100_000 }, (_, i) => plates.keyAt((i * 7919) % plates.count));
const [, lookupMs] = time(() => probes.every((key) => hotlist.has(key)));
const [, updateMs] = time(() => hotlist.update({ add: ['CA:BENCH1'], remove: probes.slice(0, 1_000) }));
const [delta, deltaMs] = time(() => hotlist.delta('bench.1'));
const after = memory();

console.log(`plates                 ${plates.count.toLocaleString('en-US')}`);
console.log(`generate               ${generateMs.toFixed(0)} ms (seeded faker, sort, pack)`);
console.log(`held after generating  ${mb(afterGenerate.heapUsed - before.heapUsed)} heap + ${mb(afterGenerate.arrayBuffers - before.arrayBuffers)} packed`);
console.log(`snapshot JSON          ${mb(json.length)} in ${snapshotMs.toFixed(0)} ms; gzip ${mb(gzip.length)} in ${gzipMs.toFixed(0)} ms`);
console.log(`100,000 lookups        ${lookupMs.toFixed(0)} ms`);
console.log(`update + delta         ${updateMs.toFixed(0)} ms + ${deltaMs.toFixed(1)} ms (${delta?.added.length} added, ${delta?.removed.length} removed)`);
console.log(`held at the end        ${mb(after.heapUsed - before.heapUsed)} heap + ${mb(after.arrayBuffers - before.arrayBuffers)} buffers; peak RSS of the process ${mb(process.resourceUsage().maxRSS * 1024)}`);
