import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

/**
 * Draws the two Teams app icons as PNGs with zlib alone (; the PNGs are
 * committed): color.png 192×192 on the accent colour, outline.png 32×32 white on
 * transparent, as the manifest requires. The mark is a baton stroke and a dot.
 */

type Pixel = [number, number, number, number];

function png(size: number, pixel: (x: number, y: number) => Pixel): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) row.set(pixel(x, y), 1 + x * 4);
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** True on the mark: a diagonal baton and a dot, in unit coordinates. */
function onMark(u: number, v: number): boolean {
  const baton = Math.abs(u - (1 - v)) < 0.09 && u > 0.22 && u < 0.78;
  const dot = (u - 0.3) ** 2 + (v - 0.3) ** 2 < 0.012;
  return baton || dot;
}

const dir = process.argv[2] ?? 'manifests/teams';
writeFileSync(`${dir}/color.png`, png(192, (x, y) => (onMark(x / 192, y / 192) ? [255, 255, 255, 255] : [0x4f, 0x46, 0xe5, 255])));
writeFileSync(`${dir}/outline.png`, png(32, (x, y) => (onMark((x + 0.5) / 32, (y + 0.5) / 32) ? [255, 255, 255, 255] : [0, 0, 0, 0])));
