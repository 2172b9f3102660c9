/**
 * Divergence detection (issue 6): a two-level hash tree over the field heads a replica holds, so a laptop and
 * the central service can find the records on which they drifted apart (an entry lost from a laptop's log, a
 * head altered or lost on the service, a service restored from an older backup) without sending every head.
 *
 * - A record's digest covers its field heads: for each field, the greatest HLC the replica holds. The HLC
 *   alone identifies the op (it ends with the device id), so values need not be hashed, and two replicas that
 *   merged the same ops have the same digest whatever order the ops came in.
 * - Records fall into DIGEST_BUCKETS buckets by a hash of table and id; a bucket's digest covers its records'
 *   digests in sorted order. Equal bucket digests: nothing to look at in that bucket.
 *
 * The canonical texts and the bucket assignment are defined here, once, for both sides; the hash itself
 * (SHA-256 on both, from node:crypto) is passed in because shared/ has no Node APIs.
 */

/** Text → lowercase hex digest (SHA-256 on the laptop and on the service). */
export type DigestHash = (text: string) => string;

/** Buckets of the tree's lower level (a digest request carries one digest per bucket). */
export const DIGEST_BUCKETS = 256;

/** One field's head as a digest sees it: the field and the greatest clock held for it. */
export interface FieldClock {
  field: string;
  hlc: string;
}

/** A record and the digest of its field heads. */
export interface RecordDigest {
  tbl: string;
  rowId: string;
  digest: string;
}

/** A record's key in maps (table and id cannot hold a NUL). */
export const recordKey = (tbl: string, rowId: string): string => `${tbl}\u0000${rowId}`;

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The canonical text of a record's heads: one `field=hlc` line per field, sorted by field name. Field names
 * are identifiers and HLCs are validated by the protocol, so neither holds `=` or a newline. A field given
 * more than once counts with its greatest clock (callers may feed every op they hold).
 */
export function recordText(heads: Iterable<FieldClock>): string {
  const greatest = new Map<string, string>();
  for (const h of heads) {
    const cur = greatest.get(h.field);
    if (cur === undefined || h.hlc > cur) greatest.set(h.field, h.hlc);
  }
  return [...greatest.keys()]
    .sort(byCodeUnits)
    .map((f) => `${f}=${greatest.get(f) as string}\n`)
    .join('');
}

/**
 * The bucket of a record: 32-bit FNV-1a over the UTF-16 code units of `tbl NUL rowId`, folded to a byte.
 * Pure arithmetic, so the laptop and the service (both JavaScript) agree without sharing a library.
 */
export function bucketOf(tbl: string, rowId: string): number {
  const text = recordKey(tbl, rowId);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h >>>= 0;
  // Fold every byte in: FNV's lowest bits alone spread short keys less evenly.
  return (h ^ (h >>> 8) ^ (h >>> 16) ^ (h >>> 24)) & (DIGEST_BUCKETS - 1);
}

/** The canonical text of a bucket: its records sorted by table then id, as JSON (ids may hold any character). */
export function bucketText(records: readonly RecordDigest[]): string {
  const sorted = [...records].sort((a, b) => byCodeUnits(a.tbl, b.tbl) || byCodeUnits(a.rowId, b.rowId));
  return JSON.stringify(sorted.map((r) => [r.tbl, r.rowId, r.digest]));
}

/** A replica's computed tree: bucket digests (null for an empty bucket) and the records in each bucket. */
export interface DigestIndex {
  /** DIGEST_BUCKETS entries. */
  buckets: (string | null)[];
  /** The records of one bucket with their digests, sorted by table then id. */
  recordsIn(bucket: number): RecordDigest[];
  /** A record's digest, or null when this replica does not hold it. */
  digestOf(tbl: string, rowId: string): string | null;
  /** How many records the tree covers. */
  size: number;
}

/**
 * Collects field heads (in any order, several per field allowed) and builds the tree. Records listed in
 * `skip` are left out (on the laptop: records with changes not yet pushed; both sides leave out the same).
 */
export class DigestTree {
  private readonly records = new Map<string, { tbl: string; rowId: string; heads: Map<string, string> }>();

  constructor(private readonly skip: ReadonlySet<string> = new Set()) {}

  add(tbl: string, rowId: string, field: string, hlc: string): void {
    const k = recordKey(tbl, rowId);
    if (this.skip.has(k)) return;
    let r = this.records.get(k);
    if (!r) this.records.set(k, (r = { tbl, rowId, heads: new Map() }));
    const cur = r.heads.get(field);
    if (cur === undefined || hlc > cur) r.heads.set(field, hlc);
  }

  build(hash: DigestHash): DigestIndex {
    const perBucket: RecordDigest[][] = Array.from({ length: DIGEST_BUCKETS }, () => []);
    const digests = new Map<string, string>();
    for (const [k, r] of this.records) {
      const digest = hash(recordText([...r.heads].map(([field, hlc]) => ({ field, hlc }))));
      digests.set(k, digest);
      (perBucket[bucketOf(r.tbl, r.rowId)] as RecordDigest[]).push({ tbl: r.tbl, rowId: r.rowId, digest });
    }
    for (const list of perBucket) list.sort((a, b) => byCodeUnits(a.tbl, b.tbl) || byCodeUnits(a.rowId, b.rowId));
    return {
      buckets: perBucket.map((list) => (list.length === 0 ? null : hash(bucketText(list)))),
      recordsIn: (bucket) => [...(perBucket[bucket] ?? [])],
      digestOf: (tbl, rowId) => digests.get(recordKey(tbl, rowId)) ?? null,
      size: digests.size,
    };
  }
}

/** Bucket indexes whose digests differ (one side empty and the other not counts as different). */
export function differingBuckets(a: readonly (string | null)[], b: readonly (string | null)[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < DIGEST_BUCKETS; i++) if ((a[i] ?? null) !== (b[i] ?? null)) out.push(i);
  return out;
}

/** A record whose digests differ; null on the side that does not hold it. */
export interface RecordDifference {
  tbl: string;
  rowId: string;
  local: string | null;
  remote: string | null;
}

/** The records of one bucket whose digests differ between the two sides, sorted by table then id. */
export function differingRecords(local: readonly RecordDigest[], remote: readonly RecordDigest[]): RecordDifference[] {
  const all = new Map<string, RecordDifference>();
  for (const r of local) all.set(recordKey(r.tbl, r.rowId), { tbl: r.tbl, rowId: r.rowId, local: r.digest, remote: null });
  for (const r of remote) {
    const k = recordKey(r.tbl, r.rowId);
    const d = all.get(k);
    if (d) d.remote = r.digest;
    else all.set(k, { tbl: r.tbl, rowId: r.rowId, local: null, remote: r.digest });
  }
  return [...all.values()].filter((d) => d.local !== d.remote).sort((a, b) => byCodeUnits(a.tbl, b.tbl) || byCodeUnits(a.rowId, b.rowId));
}
