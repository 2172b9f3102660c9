/**
 * Attachments stored by content: the bytes go to `<dir>/<sha256>` once, whatever the number of records
 * that refer to them; the `attachments` row (synced) describes them. Sync later moves files by this hash.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError, notFound } from '#shared/contract/errors';
import { ATTACHMENT_REFERENCES } from '#shared/sync/scope';
import { attachments } from '#db/schema';
import { perceptualHash } from './image-hash.ts';
import type { Tx } from './mutations.ts';

export const MAX_ATTACHMENT_BYTES = 15 * 1024 * 1024;

/**
 * SQL condition on `attachments` rows: a record on this laptop shows it. The service sends a description only
 * with such a record, and the bytes are fetched only for these, so a company's photos do not travel to laptops
 * that do not hold the company (and leave with it: sync-scope.ts).
 */
export const ATTACHMENT_IN_USE = `id IN (${ATTACHMENT_REFERENCES.map((r) => `SELECT "${r.column}" FROM "${r.tbl}"`).join(' UNION ')})`;

/**
 * SQL condition on `attachments` rows: a record on this laptop that is not deleted shows it. Only such a
 * description is given to a new record of the same bytes: one shown only by deleted records goes from the
 * service once those are purged (server/sync/purge.ts), and a record pointing at it then would be refused.
 */
const ATTACHMENT_SHOWN_LIVE = `id IN (${ATTACHMENT_REFERENCES.map((r) => `SELECT "${r.column}" FROM "${r.tbl}" WHERE deleted_at IS NULL`).join(' UNION ')})`;

const SIGNATURES: { mime: string; test: (b: Buffer) => boolean }[] = [
  { mime: 'image/jpeg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { mime: 'image/png', test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { mime: 'image/webp', test: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
];

/** The image type the bytes really are (the file name or claimed type is not trusted). */
export function sniffImage(bytes: Buffer): string | null {
  return SIGNATURES.find((s) => s.test(bytes))?.mime ?? null;
}

export class AttachmentStore {
  constructor(private readonly dir: string) {}

  /** Stores the bytes (once) and returns the attachment id, inside the caller's transaction. */
  put(tx: Tx, bytes: Buffer, fileName: string): string {
    if (bytes.length === 0 || bytes.length > MAX_ATTACHMENT_BYTES) {
      throw new AppError({ code: 'validation', messageKey: 'errors.validation', fields: { data: { key: 'validation.fileSize', params: { max: 15 } } } });
    }
    const mime = sniffImage(bytes);
    if (!mime) throw new AppError({ code: 'validation', messageKey: 'errors.validation', fields: { data: { key: 'validation.imageType' } } });
    const sha256 = this.writeOnce(bytes);
    // One description per file where possible, but only one a live record here shows: the service lets a
    // record show only a file its author may read through another (a description left from a company that has
    // gone would be refused), and purges a description once the deleted records showing it are purged.
    const [existing] = tx.all(`SELECT id FROM attachments WHERE sha256 = ? AND ${ATTACHMENT_SHOWN_LIVE} ORDER BY id LIMIT 1`, [sha256]) as { id: string }[];
    return existing?.id ?? tx.insert(attachments, { sha256, mime, size: bytes.length, fileName, phash: perceptualHash(bytes, mime) });
  }

  /** Stores a PDF the app produced (a signed certificate) by content; returns its hash. No row: the owner records the hash. */
  putPdf(bytes: Buffer): string {
    if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') throw new AppError({ code: 'internal', messageKey: 'errors.internal' });
    return this.writeOnce(bytes);
  }

  private writeOnce(bytes: Buffer): string {
    const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
    const file = path.join(this.dir, sha256);
    if (!fs.existsSync(file)) {
      fs.mkdirSync(this.dir, { recursive: true });
      // Write to a temporary name first: a crash never leaves a half file under the final name.
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, bytes);
      fs.renameSync(tmp, file);
    }
    return sha256;
  }

  /** The file is here (sync downloads the ones that are not). */
  has(sha256: string): boolean {
    return fs.existsSync(path.join(this.dir, sha256));
  }

  /** Stores bytes that arrived by sync, only if they hash to the name they came under. */
  putVerified(sha256: string, bytes: Buffer): boolean {
    if (crypto.createHash('sha256').update(bytes).digest('hex') !== sha256) return false;
    this.writeOnce(bytes);
    return true;
  }

  /** Deletes the file (sync-scope.ts: nothing on this laptop refers to it any more); false if it was not here. */
  remove(sha256: string): boolean {
    const file = path.join(this.dir, sha256);
    if (!fs.existsSync(file)) return false;
    fs.rmSync(file, { force: true });
    return true;
  }

  read(sha256: string): Buffer {
    const file = path.join(this.dir, sha256);
    if (!fs.existsSync(file)) throw notFound('attachment');
    const bytes = fs.readFileSync(file);
    if (crypto.createHash('sha256').update(bytes).digest('hex') !== sha256) {
      throw new AppError({ code: 'internal', messageKey: 'errors.attachmentDamaged' });
    }
    return bytes;
  }
}
