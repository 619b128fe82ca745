// Draws build/icon.png (512x512, RGBA) with no tools but Node: run `node build/make-icon.mjs` after changing the design.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 512;
const BACKGROUND = [16, 21, 28];
const AMBER = [255, 176, 32];
const BLUE = [64, 156, 255];
const RED = [255, 64, 64];

/** Coverage of a pixel by a shape from its signed distance (negative inside), for anti-aliased edges. */
const coverage = (distance) => Math.min(1, Math.max(0, 0.5 - distance));

function roundedSquare(x, y, half, radius) {
  const qx = Math.abs(x) - half + radius;
  const qy = Math.abs(y) - half + radius;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
}

function pixel(px, py) {
  const x = px + 0.5 - SIZE / 2;
  const y = py + 0.5 - SIZE / 2;
  const tile = coverage(roundedSquare(x, y, 240, 96));
  // An "O" ring for Outrider under a patrol car's light bar, blue on the left and red on the right.
  const ring = coverage(Math.abs(Math.hypot(x, y - 30) - 130) - 34);
  const bar = coverage(roundedSquare(x, (y + 185) * 3, 90, 30) / 3);
  let rgb = BACKGROUND;
  const mix = (colour, amount) => (rgb = rgb.map((channel, i) => channel + (colour[i] - channel) * amount));
  mix(AMBER, ring);
  mix(x < 0 ? BLUE : RED, bar);
  return [...rgb.map(Math.round), Math.round(255 * tile)];
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, deflate, no filter method, no interlace

const rows = Buffer.alloc(SIZE * (1 + SIZE * 4));
for (let y = 0; y < SIZE; y++) {
  const start = y * (1 + SIZE * 4);
  rows[start] = 0; // filter: none
  for (let x = 0; x < SIZE; x++) rows.set(pixel(x, y), start + 1 + x * 4);
}

const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(rows, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('./icon.png', import.meta.url), png);
console.log(`wrote build/icon.png (${SIZE}x${SIZE}, ${png.length} bytes)`);
