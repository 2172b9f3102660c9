/**
 * The sync protocol between a laptop and the central service (architecture: Data; issue 6). A laptop pushes
 * the entries of its change log as ops; the server stores each op once (by op id), checks that the user may
 * write that record and field, merges it per field (shared/sync/merge.ts) and gives it a server sequence
 * number. A laptop pulls ops by server sequence and applies them with the same merge code.
 */
import { z } from 'zod';
import { DIGEST_BUCKETS } from './digest.ts';

/** A hybrid logical clock timestamp (shared/sync/hlc.ts): `<ISO millis>-<counter hex>-<device>`. */
export const hlcString = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z-[0-9a-f]{4}-[A-Za-z0-9_-]{1,64}$/, { error: 'validation.hlc' });
const ident = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, { error: 'validation.identifier' });

/** One field change, as the change log holds it. */
export const changeOp = z.object({
  /** UUIDv7, unique across every device: a re-sent op is recognised and stored once. */
  opId: z.uuid(),
  tbl: ident,
  rowId: z.string().min(1).max(64),
  field: ident,
  /** JSON text of the new value; null clears the field. */
  value: z.string().max(1_000_000).nullable(),
  hlc: hlcString,
  deviceId: z.string().min(1).max(64),
  userId: z.string().min(1).max(64),
  /** The field's clock as the device saw it when the change was made (null: the device saw no value). */
  base: hlcString.nullable(),
  /**
   * The server sequence this device had pulled up to when the change was made (null or absent: unknown, an
   * older app). It tells the service which other devices' ops the author had seen: a delete racing an
   * update of the same record (neither author had seen the other's op) becomes a conflict.
   */
  seenSeq: z.number().int().min(0).nullable().optional(),
});
export type ChangeOp = z.infer<typeof changeOp>;

/**
 * The field of the op the service writes when it purges a deleted record that every device had passed: a
 * laptop that pulls it removes the record (its row, log entries and clocks) instead of keeping a tombstone.
 */
export const PURGE_FIELD = 'purged';

/**
 * Push batches stay under this many ops and this many bytes of JSON. Each batch is one server transaction with
 * a handful of fixed lookups and a commit: larger batches spread those over more ops (2,000 sent the bench's
 * push about 1.5× faster than 500 on PostgreSQL), while 2 MiB stays quick to resend over a weak link.
 */
export const MAX_PUSH_OPS = 2000;
export const MAX_PUSH_BYTES = 2 * 1024 * 1024;

/**
 * A laptop sends its next batch while the previous one's answer is on its way (the service works on one while
 * the next arrives and is read). Each batch then has an id, and names the batch still unanswered that it must
 * follow (`after`); the service stores it only after that one, and otherwise refuses it whole (409
 * `out_of_order`, nothing stored) for the laptop to send again: a device's changes are stored in the order
 * it made them, whatever the network does. Both absent (older apps, tests): no order is checked.
 */
export const pushChain = z.object({ batch: z.uuid(), after: z.uuid().nullable() });
export type PushChain = z.infer<typeof pushChain>;

export const pushRequest = z.object({ ops: z.array(changeOp).min(1).max(MAX_PUSH_OPS), chain: pushChain.optional() });
export type PushRequest = z.infer<typeof pushRequest>;

/** How many push batches a laptop has on their way at once over HTTP (see pushChain). */
export const PUSH_WINDOW = 2;

export const REJECT_REASONS = ['forbidden', 'forbiddenField', 'locked', 'invalid', 'unknownTable', 'signMismatch', 'purged'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** Per op: stored (now or earlier), or refused with a reason the laptop keeps and shows. */
export const pushResult = z.discriminatedUnion('status', [
  z.object({ opId: z.string(), status: z.literal('accepted'), seq: z.number().int(), duplicate: z.boolean() }),
  z.object({ opId: z.string(), status: z.literal('rejected'), reason: z.enum(REJECT_REASONS), messageKey: z.string() }),
]);
export const pushResponse = z.object({ results: z.array(pushResult) });
export type PushResponse = z.infer<typeof pushResponse>;

/** Ops per pull page (a page is applied in one local transaction). */
export const MAX_PULL_OPS = 5000;

/**
 * A laptop that holds a file's bytes it did not upload (the same file added on a laptop of another pair) proves
 * it with sha256(BLOB_HOLDER_PROOF_PREFIX ‖ bytes) in hex: the content hash alone does not give this digest, so
 * knowing a hash is not enough to name the file in a record (server/blobs.ts).
 */
export const BLOB_HOLDER_PROOF_PREFIX = 'dx-mentor blob holder\u0000';
export const pullRequest = z.object({ after: z.number().int().min(0), limit: z.number().int().min(1).max(MAX_PULL_OPS).default(MAX_PULL_OPS) });

/** A server-stamped op: what pull returns. */
export const serverOp = changeOp.extend({ seq: z.number().int() });
export type ServerOp = z.infer<typeof serverOp>;

/** Two concurrent edits of one field with different values, kept for the people to resolve. */
export const conflictRecord = z.object({
  id: z.string(),
  tbl: z.string(),
  rowId: z.string(),
  field: z.string(),
  /** The value the merge kept (last writer wins on clock, then device) and the one it did not. */
  kept: z.object({ opId: z.string(), value: z.string().nullable(), hlc: z.string(), deviceId: z.string(), userId: z.string() }),
  other: z.object({ opId: z.string(), value: z.string().nullable(), hlc: z.string(), deviceId: z.string(), userId: z.string() }),
  seq: z.number().int(),
  /** The server sequence of the op that settled it (an edit made after seeing the kept value); null while open. */
  resolvedSeq: z.number().int().nullable(),
});
export type ConflictRecord = z.infer<typeof conflictRecord>;

export const pullResponse = z.object({
  ops: z.array(serverOp),
  conflicts: z.array(conflictRecord),
  /**
   * The cursor to send next time: the last sequence this page covers, which may lie past its last op (log the
   * caller may not read is passed over), or `after` when nothing follows it.
   */
  cursor: z.number().int(),
  /** More pages wait. */
  more: z.boolean(),
  /**
   * The server's latest sequence. Lower than the laptop's cursor means the server was restored from an older
   * backup: the laptop sends again what the server lost (optional for servers that predate it).
   */
  head: z.number().int().optional(),
});
export type PullResponse = z.infer<typeof pullResponse>;

/*
 * Divergence checks (shared/sync/digest.ts). The laptop sends the digest of every bucket of its tree and the
 * records it leaves out (changes not yet pushed); the server answers which buckets differ and, for those,
 * its record digests. The laptop then fetches the server's heads of the records that differ and merges them
 * in, and sends again its own changes the server no longer has.
 */

/** A record by table and id. */
export const recordRef = z.object({ tbl: ident, rowId: z.string().min(1).max(64) });
export type RecordRef = z.infer<typeof recordRef>;

const hexDigest = z.string().regex(/^[0-9a-f]{64}$/, { error: 'validation.invalid' });

/** Records a laptop may leave out of one check; with more changes waiting it pushes before it checks. */
export const MAX_DIGEST_SKIP = 2000;
/** Record digests one answer carries at most; further differing buckets are left for the next request (`more`). */
export const MAX_DIGEST_RECORDS = 10_000;

export const digestRequest = z.object({
  /** The digest of each bucket, in bucket order (DIGEST_BUCKETS entries); null for an empty bucket. */
  buckets: z.array(hexDigest.nullable()).length(DIGEST_BUCKETS),
  /** Records the laptop has changes of that are not pushed yet: both sides leave them out. */
  skip: z.array(recordRef).max(MAX_DIGEST_SKIP).default([]),
});
export type DigestRequest = z.infer<typeof digestRequest>;

/** A bucket whose digests differ, with the server's digest of each record it holds there. */
export const digestBucket = z.object({
  bucket: z.number().int().min(0).max(DIGEST_BUCKETS - 1),
  records: z.array(z.object({ tbl: z.string(), rowId: z.string(), digest: hexDigest })),
});

export const digestResponse = z.object({
  /** Buckets compared. */
  compared: z.number().int(),
  /** Records the server's tree covers (those the caller may read, without the skipped ones). */
  records: z.number().int(),
  differing: z.array(digestBucket),
  /** Differing buckets were left out to keep the answer small: ask again after repairing these. */
  more: z.boolean(),
});
export type DigestResponse = z.infer<typeof digestResponse>;

/** Records one request for current heads may name. */
export const MAX_RECORDS_REQUEST = 500;

export const recordsRequest = z.object({ records: z.array(recordRef).min(1).max(MAX_RECORDS_REQUEST) });
export type RecordsRequest = z.infer<typeof recordsRequest>;

export const recordsResponse = z.object({
  /** The current head of every field of the readable records asked for, as the snapshot gives them. */
  ops: z.array(serverOp),
  /** Their open conflicts. */
  conflicts: z.array(conflictRecord),
  /** Records asked for that the caller gets nothing of: unknown to the server or not readable (not told apart). */
  absent: z.array(recordRef),
});
export type RecordsResponse = z.infer<typeof recordsResponse>;

/*
 * Scope checks. Pull stops sending a company's records once it is taken away from the caller's pair, but
 * what the laptop already holds stays there; the laptop asks which organisations it may still hold and
 * removes the others (electron/services/sync-scope.ts).
 */

/** The scope request takes no parameters: the answer depends only on the caller. */
export const scopeRequest = z.strictObject({});

export const scopeResponse = z.object({
  /**
   * The organisations whose org-scoped records the caller may read — the same rule as pull — sorted; null
   * when nothing is restricted (an administrator reads every organisation).
   */
  orgIds: z.array(z.string()).nullable(),
});
export type ScopeResponse = z.infer<typeof scopeResponse>;
