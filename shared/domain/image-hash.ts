/**
 * Perceptual "difference hash" (dHash) of a photo, to spot the same evidence photo re-saved, resized,
 * recompressed or lightly edited: the image is shrunk to 9×8 grey cells and each bit says whether a cell
 * is brighter than its right-hand neighbour. Near-identical images differ in a few of the 64 bits; unrelated
 * photos in about half. Pure: the caller decodes the image to grey pixels.
 */

/** At most this many differing bits (of 64) counts as the same picture. */
export const NEAR_DUPLICATE_BITS = 6;

/** Box-averages a grey image (one byte per pixel, row-major) down to `w`×`h` cells. */
function shrink(grey: Uint8Array, width: number, height: number, w: number, h: number): Float64Array {
  const out = new Float64Array(w * h);
  for (let cy = 0; cy < h; cy++) {
    const y0 = Math.floor((cy * height) / h);
    const y1 = Math.max(y0 + 1, Math.floor(((cy + 1) * height) / h));
    for (let cx = 0; cx < w; cx++) {
      const x0 = Math.floor((cx * width) / w);
      const x1 = Math.max(x0 + 1, Math.floor(((cx + 1) * width) / w));
      let sum = 0;
      for (let y = y0; y < y1; y++) {
        const row = y * width;
        for (let x = x0; x < x1; x++) sum += grey[row + x] as number;
      }
      out[cy * w + cx] = sum / ((y1 - y0) * (x1 - x0));
    }
  }
  return out;
}

/** 64-bit dHash as 16 hex digits. */
export function dHash(grey: Uint8Array, width: number, height: number): string {
  if (width < 1 || height < 1 || grey.length < width * height) throw new RangeError('image too small');
  const cells = shrink(grey, width, height, 9, 8);
  let hex = '';
  for (let y = 0; y < 8; y++) {
    let byte = 0;
    for (let x = 0; x < 8; x++) byte = (byte << 1) | ((cells[y * 9 + x] as number) > (cells[y * 9 + x + 1] as number) ? 1 : 0);
    hex += byte.toString(16).padStart(2, '0');
  }
  return hex;
}

/** Grey levels (ITU-R BT.601 luma) from interleaved RGB or RGBA pixels. */
export function toGrey(pixels: Uint8Array, channels: 3 | 4): Uint8Array {
  const n = Math.floor(pixels.length / channels);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * channels;
    out[i] = Math.round(0.299 * (pixels[o] as number) + 0.587 * (pixels[o + 1] as number) + 0.114 * (pixels[o + 2] as number));
  }
  return out;
}

/** Number of differing bits between two hashes of equal length. */
export function hammingDistance(a: string, b: string): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let d = 0;
  for (let i = 0; i < a.length; i += 2) {
    let x = parseInt(a.slice(i, i + 2), 16) ^ parseInt(b.slice(i, i + 2), 16);
    while (x) {
      d += x & 1;
      x >>= 1;
    }
  }
  return d;
}

/** Two photos show the same picture: identical hashes up to NEAR_DUPLICATE_BITS, and not a flat image. */
export function isNearDuplicate(a: string, b: string): boolean {
  // A flat (uniform) image hashes to all zeros; every flat image would "match" every other.
  if (/^0+$/.test(a) || /^0+$/.test(b)) return false;
  return hammingDistance(a, b) <= NEAR_DUPLICATE_BITS;
}
