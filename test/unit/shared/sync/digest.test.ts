import crypto from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketOf, DIGEST_BUCKETS, DigestTree, differingBuckets, differingRecords, recordText } from '#shared/sync/digest';
import { hlcToString } from '#shared/sync/hlc';
import { digestRequest } from '#shared/sync/protocol';

const sha256 = (t: string) => crypto.createHash('sha256').update(t).digest('hex');
const T0 = Date.parse('2026-06-01T09:00:00.000Z');
const hlc = (ms: number, counter: number, device: string) => hlcToString({ millis: T0 + ms, counter, node: device });

interface Head {
  tbl: string;
  rowId: string;
  field: string;
  hlc: string;
}

/** 200 records in 3 tables with 1–4 fields each, some fields with older ops too. */
function world(): Head[] {
  const out: Head[] = [];
  for (let i = 0; i < 200; i++) {
    const tbl = ['visits', 'assessment_answers', 'organizations'][i % 3] as string;
    const rowId = `row-${i.toString(36)}-${(i * 7919).toString(16)}`;
    for (let f = 0; f < 1 + (i % 4); f++) {
      out.push({ tbl, rowId, field: `field_${f}`, hlc: hlc(i * 10 + f, 0, 'devA') });
      if (f === 0) out.push({ tbl, rowId, field: `field_${f}`, hlc: hlc(i * 10 + f - 5, 3, 'devB') });
    }
  }
  return out;
}

const build = (heads: readonly Head[]) => {
  const t = new DigestTree();
  for (const h of heads) t.add(h.tbl, h.rowId, h.field, h.hlc);
  return t.build(sha256);
};

describe('divergence digest (two-level hash tree over field heads)', () => {
  it('the same heads in any order give the same bucket and record digests', () => {
    const heads = world();
    const a = build(heads);
    expect(a.size).toBe(200);
    expect(a.buckets).toHaveLength(DIGEST_BUCKETS);
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: heads.length, maxLength: heads.length }), (keys) => {
        // A random permutation (sort by random keys): ops arrive in another order on another replica.
        const shuffled = heads.map((h, i) => ({ h, k: keys[i] as number })).sort((x, y) => x.k - y.k).map((x) => x.h);
        const b = build(shuffled);
        expect(b.buckets).toEqual(a.buckets);
        expect(differingBuckets(a.buckets, b.buckets)).toEqual([]);
        for (let i = 0; i < DIGEST_BUCKETS; i++) expect(b.recordsIn(i)).toEqual(a.recordsIn(i));
      }),
      { numRuns: 20 },
    );
    // Older ops of a field do not count: only the greatest clock.
    expect(recordText([{ field: 'b', hlc: hlc(1, 0, 'x') }, { field: 'a', hlc: hlc(5, 0, 'x') }, { field: 'b', hlc: hlc(9, 0, 'x') }, { field: 'b', hlc: hlc(3, 0, 'x') }])).toBe(
      `a=${hlc(5, 0, 'x')}\nb=${hlc(9, 0, 'x')}\n`,
    );
  });

  it('one field with another clock changes that record’s digest and its bucket’s, nothing else', () => {
    const heads = world();
    const a = build(heads);
    const target = heads.find((h) => h.rowId.startsWith('row-2t-') && h.field === 'field_1') as Head;
    expect(target).toBeDefined();
    // Another device's op won on one replica: same field, a greater clock.
    const changed = heads.map((h) => (h === target ? { ...h, hlc: hlc(99_999, 0, 'devC') } : h));
    const b = build(changed);
    const bucket = bucketOf(target.tbl, target.rowId);
    expect(differingBuckets(a.buckets, b.buckets)).toEqual([bucket]);
    expect(differingRecords(a.recordsIn(bucket), b.recordsIn(bucket))).toEqual([{ tbl: target.tbl, rowId: target.rowId, local: a.digestOf(target.tbl, target.rowId), remote: b.digestOf(target.tbl, target.rowId) }]);
    expect(a.digestOf(target.tbl, target.rowId)).not.toBe(b.digestOf(target.tbl, target.rowId));
    for (const h of heads) if (h.rowId !== target.rowId) expect(b.digestOf(h.tbl, h.rowId)).toBe(a.digestOf(h.tbl, h.rowId));

    // The same clock on a different device is a different op: it is seen too.
    const otherDevice = build(heads.map((h) => (h === target ? { ...h, hlc: h.hlc.replace(/devA$/, 'devZ') } : h)));
    expect(differingBuckets(a.buckets, otherDevice.buckets)).toEqual([bucket]);
  });

  it('a record one side lacks, a skipped record, and a field only one side has', () => {
    const heads = world();
    const a = build(heads);
    const gone = heads[0] as Head;
    const b = build(heads.filter((h) => h.rowId !== gone.rowId));
    expect(differingRecords(a.recordsIn(bucketOf(gone.tbl, gone.rowId)), b.recordsIn(bucketOf(gone.tbl, gone.rowId)))).toEqual([
      { tbl: gone.tbl, rowId: gone.rowId, local: a.digestOf(gone.tbl, gone.rowId), remote: null },
    ]);
    // Both sides leave out the same record (changes not pushed yet): equal again.
    const skipA = new DigestTree(new Set([`${gone.tbl}\u0000${gone.rowId}`]));
    for (const h of heads) skipA.add(h.tbl, h.rowId, h.field, h.hlc);
    expect(differingBuckets(skipA.build(sha256).buckets, b.buckets)).toEqual([]);
    // An extra field is a difference, not hidden by the others.
    const extra = build([...heads, { tbl: gone.tbl, rowId: gone.rowId, field: 'zz_new', hlc: hlc(1, 0, 'devA') }]);
    expect(differingBuckets(a.buckets, extra.buckets)).toEqual([bucketOf(gone.tbl, gone.rowId)]);
  });

  it('buckets spread records evenly enough, and the request carries exactly one digest per bucket', () => {
    const counts = new Array<number>(DIGEST_BUCKETS).fill(0);
    for (let i = 0; i < 25_600; i++) counts[bucketOf('assessment_answers', `019a${i.toString(16).padStart(8, '0')}-7000-8000-000000000000`)]! += 1;
    expect(Math.min(...counts)).toBeGreaterThan(50);
    expect(Math.max(...counts)).toBeLessThan(160);
    const a = build(world());
    expect(digestRequest.parse({ buckets: a.buckets }).skip).toEqual([]);
    expect(() => digestRequest.parse({ buckets: a.buckets.slice(1) })).toThrow();
    expect(() => digestRequest.parse({ buckets: a.buckets.map(() => 'not hex') })).toThrow();
  });
});
