/**
 * Attachments by content hash (issue 6): the bytes of photos and signed PDFs move once, in chunks, resumable,
 * and a blob becomes available only when its chunks hash to its name. Records refer to attachments by hash;
 * the bytes go only to those who may read a record that needs them (SyncService.canReadBlob).
 */
import crypto from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { BLOB_HOLDER_PROOF_PREFIX } from '#shared/sync/protocol';
import type { Db } from './db/index.ts';
import { blobChunks, blobHolders, blobs } from './db/schema.ts';
import { apiError } from './errors.ts';
import { anyOf } from './sync/sql.ts';

/** 1 MiB chunks: a phone photo is a handful of requests; a dropped connection loses at most one chunk. */
export const CHUNK_SIZE = 1024 * 1024;
/** The largest attachment the laptops accept is 15 MB; signed PDFs are far smaller. */
export const MAX_BLOB_BYTES = 16 * 1024 * 1024;

export interface BlobStatus {
  sha256: string;
  size: number;
  chunkSize: number;
  chunks: number;
  /** Indexes of the chunks the server holds. */
  received: number[];
  complete: boolean;
  /** Whether the caller's account may name the hash as its own file: it uploaded the bytes or proved it holds them. */
  held?: boolean;
}

const chunkCount = (size: number, chunkSize: number) => Math.max(1, Math.ceil(size / chunkSize));

/** Of these hashes, those whose bytes the account proved it holds (not those it uploaded: see `uploader`). */
export async function provenHolder(q: Pick<Db, 'select'>, accountId: string, hashes: readonly string[]): Promise<Set<string>> {
  if (hashes.length === 0) return new Set();
  const rows = await q
    .select({ sha256: blobHolders.sha256 })
    .from(blobHolders)
    .where(and(eq(blobHolders.accountId, accountId), anyOf(blobHolders.sha256, hashes)));
  return new Set(rows.map((r) => r.sha256));
}

export class BlobService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  /** The account that announced the blob first (null: no such blob). */
  async uploader(sha256: string): Promise<string | null> {
    const [b] = await this.db.select({ uploadedBy: blobs.uploadedBy }).from(blobs).where(eq(blobs.sha256, sha256));
    return b?.uploadedBy ?? null;
  }

  /** What the service holds of a blob; with `accountId`, also whether that account holds it (`held`). */
  async status(sha256: string, accountId?: string): Promise<BlobStatus | null> {
    const [b] = await this.db.select().from(blobs).where(eq(blobs.sha256, sha256));
    if (!b) return null;
    const got = await this.db.select({ idx: blobChunks.idx }).from(blobChunks).where(eq(blobChunks.sha256, sha256)).orderBy(asc(blobChunks.idx));
    const s: BlobStatus = { sha256, size: b.size, chunkSize: b.chunkSize, chunks: chunkCount(b.size, b.chunkSize), received: got.map((g) => g.idx), complete: b.complete };
    if (accountId !== undefined) {
      s.held = b.uploadedBy === accountId || (await provenHolder(this.db, accountId, [sha256])).size > 0;
      // A laptop that may name the bytes asks before it pushes the record naming them: they must not go as
      // unnamed in between (TombstonePurger keeps bytes checked recently).
      if (s.held) await this.db.update(blobs).set({ checkedAt: this.now() }).where(eq(blobs.sha256, sha256));
    }
    return s;
  }

  /**
   * Records that the account holds the bytes of a complete blob it did not upload, when `proof` is the digest
   * only the bytes give (BLOB_HOLDER_PROOF_PREFIX); a wrong proof records nothing.
   */
  async prove(sha256: string, accountId: string, proof: string): Promise<BlobStatus> {
    const [b] = await this.db.select().from(blobs).where(eq(blobs.sha256, sha256));
    if (!b) throw apiError(404, 'not_found', 'errors.notFound', { params: { entity: 'blob' } });
    if (!b.complete) throw apiError(409, 'conflict', 'errors.blob.proofIncomplete');
    const digest = crypto.createHash('sha256').update(BLOB_HOLDER_PROOF_PREFIX);
    for (const r of await this.db.select({ data: blobChunks.data }).from(blobChunks).where(eq(blobChunks.sha256, sha256)).orderBy(asc(blobChunks.idx))) digest.update(r.data);
    const expected = digest.digest();
    const given = Buffer.from(proof, 'hex');
    if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) throw apiError(422, 'validation', 'errors.blob.proofMismatch');
    await this.db.insert(blobHolders).values({ sha256, accountId, provenAt: this.now() }).onConflictDoNothing();
    return (await this.status(sha256, accountId)) as BlobStatus;
  }

  /** Announces an upload (or finds the one in progress, or the finished blob). */
  async begin(sha256: string, size: number, accountId: string): Promise<BlobStatus> {
    if (size < 1 || size > MAX_BLOB_BYTES) throw apiError(400, 'validation', 'errors.validation', { fields: { size: { key: 'validation.fileSize', params: { max: 15 } } } });
    await this.db.insert(blobs).values({ sha256, size, chunkSize: CHUNK_SIZE, uploadedBy: accountId, createdAt: this.now() }).onConflictDoNothing();
    const s = (await this.status(sha256, accountId)) as BlobStatus;
    if (s.size !== size) throw apiError(409, 'conflict', 'errors.blob.sizeMismatch', { params: { expected: s.size } });
    return s;
  }

  async putChunk(sha256: string, idx: number, data: Buffer): Promise<void> {
    const [b] = await this.db.select().from(blobs).where(eq(blobs.sha256, sha256));
    if (!b) throw apiError(404, 'not_found', 'errors.notFound', { params: { entity: 'blob' } });
    if (b.complete) return; // already whole: a late duplicate chunk changes nothing
    const chunks = chunkCount(b.size, b.chunkSize);
    const expected = idx === chunks - 1 ? b.size - idx * b.chunkSize : b.chunkSize;
    if (idx < 0 || idx >= chunks || data.length !== expected) {
      throw apiError(400, 'validation', 'errors.validation', { fields: { chunk: { key: 'errors.blob.badChunk', params: { idx, expected } } } });
    }
    await this.db
      .insert(blobChunks)
      .values({ sha256, idx, data })
      .onConflictDoUpdate({ target: [blobChunks.sha256, blobChunks.idx], set: { data } });
  }

  /** Checks the chunks against the hash; a mismatch throws the chunks away so the upload starts clean. */
  async complete(sha256: string, accountId?: string): Promise<BlobStatus> {
    const outcome = await this.db.transaction(async (tx) => {
      const [b] = await tx.select().from(blobs).where(eq(blobs.sha256, sha256)).for('update');
      if (!b) throw apiError(404, 'not_found', 'errors.notFound', { params: { entity: 'blob' } });
      const chunks = chunkCount(b.size, b.chunkSize);
      if (!b.complete) {
        const rows = await tx.select().from(blobChunks).where(eq(blobChunks.sha256, sha256)).orderBy(asc(blobChunks.idx));
        if (rows.length !== chunks) throw apiError(409, 'conflict', 'errors.blob.incomplete', { params: { received: rows.length, chunks } });
        const hash = crypto.createHash('sha256');
        for (const r of rows) hash.update(r.data);
        if (hash.digest('hex') !== sha256) {
          // Committed, not rolled back with the error: the damaged chunks must go.
          await tx.delete(blobChunks).where(eq(blobChunks.sha256, sha256));
          return 'mismatch' as const;
        }
        await tx.update(blobs).set({ complete: true, completedAt: this.now() }).where(eq(blobs.sha256, sha256));
      }
      return { sha256, size: b.size, chunkSize: b.chunkSize, chunks, received: Array.from({ length: chunks }, (_, i) => i), complete: true };
    });
    if (outcome === 'mismatch') throw apiError(422, 'validation', 'errors.blob.hashMismatch');
    return accountId === undefined ? outcome : ((await this.status(sha256, accountId)) as BlobStatus);
  }

  async getChunk(sha256: string, idx: number): Promise<Buffer> {
    const [row] = await this.db
      .select({ data: blobChunks.data, complete: blobs.complete })
      .from(blobChunks)
      .innerJoin(blobs, eq(blobs.sha256, blobChunks.sha256))
      .where(and(eq(blobChunks.sha256, sha256), eq(blobChunks.idx, idx)));
    if (!row?.complete) throw apiError(404, 'not_found', 'errors.notFound', { params: { entity: 'blob' } });
    return row.data;
  }

  /** Every hash in `hashes` that the server holds complete. */
  async completeOf(hashes: string[]): Promise<Set<string>> {
    if (hashes.length === 0) return new Set();
    const rows = await this.db.select({ sha256: blobs.sha256 }).from(blobs).where(and(eq(blobs.complete, true), inArray(blobs.sha256, hashes)));
    return new Set(rows.map((r) => r.sha256));
  }
}
