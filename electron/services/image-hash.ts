/**
 * Decodes an evidence photo (JPEG or PNG, in pure JavaScript: no native image library to ship) and
 * returns its perceptual hash (shared/domain/image-hash.ts). WebP and damaged files get no hash: the
 * exact-bytes check still applies to them.
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { dHash, toGrey } from '#shared/domain/image-hash';

/** Phone photos are up to ~50 MP; the attachment size limit (15 MB) bounds the rest. */
const MAX_MEGAPIXELS = 60;

/**
 * The preview JPEG a camera or phone embeds in the EXIF block (IFD1), if any. dHash is scale-free, so the
 * hash of the ~160×120 preview stands for the photo and costs milliseconds instead of a full decode.
 */
export function exifThumbnail(bytes: Buffer): Buffer | null {
  let pos = 2;
  while (pos + 4 <= bytes.length && bytes[pos] === 0xff) {
    const marker = bytes[pos + 1] as number;
    const len = bytes.readUInt16BE(pos + 2);
    if (marker === 0xda || marker === 0xd9) break; // image data starts: no EXIF block before it
    if (marker === 0xe1 && bytes.subarray(pos + 4, pos + 10).toString('latin1') === 'Exif\0\0') {
      const tiff = pos + 10;
      const le = bytes.subarray(tiff, tiff + 2).toString('latin1') === 'II';
      const u16 = (o: number) => (le ? bytes.readUInt16LE(o) : bytes.readUInt16BE(o));
      const u32 = (o: number) => (le ? bytes.readUInt32LE(o) : bytes.readUInt32BE(o));
      const end = pos + 2 + len;
      const ifd0 = tiff + u32(tiff + 4);
      if (ifd0 + 2 > end) return null;
      const ifd1Offset = u32(ifd0 + 2 + u16(ifd0) * 12);
      if (ifd1Offset === 0) return null;
      const ifd1 = tiff + ifd1Offset;
      if (ifd1 + 2 > end) return null;
      let offset = 0;
      let length = 0;
      for (let i = 0; i < u16(ifd1); i++) {
        const e = ifd1 + 2 + i * 12;
        if (e + 12 > end) return null;
        if (u16(e) === 0x0201) offset = u32(e + 8);
        if (u16(e) === 0x0202) length = u32(e + 8);
      }
      if (!offset || !length || tiff + offset + length > end) return null;
      const thumb = bytes.subarray(tiff + offset, tiff + offset + length);
      return thumb[0] === 0xff && thumb[1] === 0xd8 ? thumb : null;
    }
    pos += 2 + len;
  }
  return null;
}

export function perceptualHash(bytes: Buffer, mime: string): string | null {
  try {
    if (mime === 'image/jpeg') {
      const thumb = exifThumbnail(bytes);
      if (thumb) {
        try {
          const t = jpeg.decode(thumb, { useTArray: true, formatAsRGBA: false });
          return dHash(toGrey(t.data, 3), t.width, t.height);
        } catch {
          // A damaged preview: decode the photo itself.
        }
      }
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxResolutionInMP: MAX_MEGAPIXELS, maxMemoryUsageInMB: 1024 });
      return dHash(toGrey(img.data, 3), img.width, img.height);
    }
    if (mime === 'image/png') {
      const img = PNG.sync.read(bytes);
      return dHash(toGrey(new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.length), 4), img.width, img.height);
    }
  } catch {
    // Not decodable here: no perceptual hash.
  }
  return null;
}
