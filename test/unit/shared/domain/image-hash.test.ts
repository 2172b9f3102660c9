import { describe, expect, it } from 'vitest';
import { dHash, hammingDistance, isNearDuplicate, toGrey } from '#shared/domain/image-hash';

/** A grey image from a function of (u, v) in [0, 1). */
function image(w: number, h: number, f: (u: number, v: number) => number): Uint8Array {
  const px = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) px[y * w + x] = Math.max(0, Math.min(255, Math.round(f(x / w, y / h))));
  return px;
}

describe('perceptual hash', () => {
  it('encodes brightness steps left to right: falling → all ones, rising → all zeros', () => {
    expect(dHash(image(90, 80, (u) => 255 - u * 255), 90, 80)).toBe('ffffffffffffffff');
    expect(dHash(image(90, 80, (u) => u * 255), 90, 80)).toBe('0000000000000000');
  });

  it('gives the same picture at another size, brightness or with noise nearly the same hash, and another picture a far one', () => {
    const scene = (u: number, v: number) => 128 + 100 * Math.sin(u * 9 + v * 4) * Math.cos(v * 7);
    const a = dHash(image(640, 480, scene), 640, 480);
    const resized = dHash(image(213, 160, scene), 213, 160);
    const brighter = dHash(image(640, 480, (u, v) => scene(u, v) * 0.9 + 20), 640, 480);
    let seed = 7;
    const noisy = dHash(image(640, 480, (u, v) => scene(u, v) + (((seed = (seed * 48271) % 2147483647) % 9) - 4)), 640, 480);
    const other = dHash(image(640, 480, (u, v) => 128 + 100 * Math.cos(u * 3 - v * 11)), 640, 480);
    for (const h of [resized, brighter, noisy]) expect(isNearDuplicate(a, h)).toBe(true);
    expect(hammingDistance(a, other)).toBeGreaterThan(12);
    expect(isNearDuplicate(a, other)).toBe(false);
  });

  it('never matches flat images with each other, and counts bits exactly', () => {
    expect(isNearDuplicate('0000000000000000', '0000000000000000')).toBe(false);
    expect(hammingDistance('ff00', '0f01')).toBe(5);
    expect(hammingDistance('ff', 'ffff')).toBe(Number.POSITIVE_INFINITY);
  });

  it('converts RGB and RGBA to luma', () => {
    expect([...toGrey(new Uint8Array([255, 255, 255, 0, 0, 0]), 3)]).toEqual([255, 0]);
    expect([...toGrey(new Uint8Array([255, 0, 0, 255, 0, 0, 255, 255]), 4)]).toEqual([76, 29]);
  });
});
