// Draws the app icon (assets/icons/icon-<size>.png and icon.png) with nothing but zlib:
// a deep-indigo rounded square with a white "DX" built from rectangles, and a teal data bar.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
};

function draw(size) {
  const px = new Uint8Array(size * size * 4);
  const u = size / 32; // design grid of 32 units
  const r = 6 * u;
  const inRounded = (x, y) => {
    const cx = Math.min(Math.max(x, r), size - r);
    const cy = Math.min(Math.max(y, r), size - r);
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  };
  // "D" and "X" as rectangles in grid units [x0, y0, x1, y1]
  const white = [
    [5, 9, 7.5, 23], [5, 9, 11, 11.5], [5, 20.5, 11, 23], [11, 10, 13, 12.5], [11, 19.5, 13, 22], [12.5, 11.5, 14.5, 20.5],
  ];
  const inX = (gx, gy) => gy >= 9 && gy <= 23 && (Math.abs(gx - 17 - ((gy - 9) / 14) * 10) < 1.5 || Math.abs(gx - 27 + ((gy - 9) / 14) * 10) < 1.5);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      if (!inRounded(x + 0.5, y + 0.5)) continue;
      const gx = (x + 0.5) / u;
      const gy = (y + 0.5) / u;
      let c = [54, 79, 199]; // indigo
      if (white.some(([x0, y0, x1, y1]) => gx >= x0 && gx <= x1 && gy >= y0 && gy <= y1) || inX(gx, gy)) c = [255, 255, 255];
      if (gy >= 25.5 && gy <= 27 && gx >= 5 && gx <= 27) c = gx <= 19 ? [56, 217, 169] : [148, 163, 243];
      px.set([...c, 255], i);
    }
  }
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    Buffer.from(px.buffer, y * size * 4, size * 4).copy(raw, y * (size * 4 + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

const out = path.resolve(import.meta.dirname, '..', 'assets', 'icons');
fs.mkdirSync(out, { recursive: true });
for (const size of [16, 32, 64, 128, 256, 512, 1024]) fs.writeFileSync(path.join(out, `${size}x${size}.png`), draw(size));
fs.copyFileSync(path.join(out, '512x512.png'), path.join(out, 'icon.png'));
process.stdout.write(`icons written to ${out}\n`);
