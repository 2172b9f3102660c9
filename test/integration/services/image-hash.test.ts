import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { isNearDuplicate } from '#shared/domain/image-hash';
import { exifThumbnail, perceptualHash } from '../../../electron/services/image-hash.ts';

function picture(width: number, height: number, f: (u: number, v: number) => number) {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const g = Math.max(0, Math.min(255, Math.round(f(x / width, y / height))));
      data.set([g, g, g, 255], (y * width + x) * 4);
    }
  return jpeg.encode({ width, height, data }, 85).data;
}
const sceneA = (u: number, v: number) => 128 + 100 * Math.sin(u * 9 + v * 4) * Math.cos(v * 7);
const sceneB = (u: number, v: number) => 128 + 100 * Math.cos(u * 3 - v * 11);

/** Puts an EXIF block (big-endian TIFF, empty IFD0, IFD1 pointing at `thumb`) right after the SOI marker. */
function withThumbnail(photo: Buffer, thumb: Buffer): Buffer {
  const ifd0 = 8;
  const ifd1 = ifd0 + 2 + 4;
  const data = ifd1 + 2 + 2 * 12 + 4;
  const tiff = Buffer.alloc(data + thumb.length);
  tiff.write('MM', 0, 'latin1');
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(ifd0, 4);
  tiff.writeUInt16BE(0, ifd0); // IFD0: no entries
  tiff.writeUInt32BE(ifd1, ifd0 + 2);
  tiff.writeUInt16BE(2, ifd1);
  const entry = (i: number, tag: number, value: number) => {
    const e = ifd1 + 2 + i * 12;
    tiff.writeUInt16BE(tag, e);
    tiff.writeUInt16BE(4, e + 2); // LONG
    tiff.writeUInt32BE(1, e + 4);
    tiff.writeUInt32BE(value, e + 8);
  };
  entry(0, 0x0201, data);
  entry(1, 0x0202, thumb.length);
  tiff.writeUInt32BE(0, ifd1 + 2 + 24);
  thumb.copy(tiff, data);
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const head = Buffer.from([0xff, 0xe1, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([photo.subarray(0, 2), head, body, photo.subarray(2)]);
}

describe('perceptual hash of evidence photos', () => {
  it('hashes the camera’s embedded preview when there is one, and the photo itself otherwise', () => {
    const full = picture(800, 600, sceneA);
    const thumbA = picture(160, 120, sceneA);
    const withPreview = withThumbnail(full, thumbA);
    expect(exifThumbnail(withPreview)?.equals(thumbA)).toBe(true);
    expect(exifThumbnail(full)).toBeNull();
    const direct = perceptualHash(full, 'image/jpeg') as string;
    const viaPreview = perceptualHash(withPreview, 'image/jpeg') as string;
    expect(isNearDuplicate(direct, viaPreview)).toBe(true);
    // The preview is what gets hashed: a file whose preview shows another picture hashes as that picture.
    const mismatched = perceptualHash(withThumbnail(full, picture(160, 120, sceneB)), 'image/jpeg') as string;
    expect(isNearDuplicate(mismatched, perceptualHash(picture(800, 600, sceneB), 'image/jpeg') as string)).toBe(true);
    expect(isNearDuplicate(mismatched, direct)).toBe(false);
  });

  it('gives no hash for what it cannot decode', () => {
    expect(perceptualHash(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0]), 'image/jpeg')).toBeNull();
    expect(perceptualHash(Buffer.from('RIFF0000WEBP', 'latin1'), 'image/webp')).toBeNull();
  });
});
