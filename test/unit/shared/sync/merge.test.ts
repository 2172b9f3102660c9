import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hlcToString } from '#shared/sync/hlc';
import { mergeField, type FieldHead, type IncomingOp } from '#shared/sync/merge';
import { changeOp, pushRequest, MAX_PUSH_OPS } from '#shared/sync/protocol';
import { SYNC_POLICY, scopeField } from '#shared/sync/scope';

const T0 = Date.parse('2026-06-01T09:00:00.000Z');
const hlc = (ms: number, counter: number, device: string) => hlcToString({ millis: T0 + ms, counter, node: device });
const op = (id: string, value: string | null, clock: string, base: string | null): IncomingOp => ({ opId: id, value, hlc: clock, base, deviceId: clock.slice(-1), userId: 'u' });

/** A field replica that applies ops with the shared merge and collects the conflicts it reports. */
function replay(ops: IncomingOp[]) {
  let head: FieldHead | undefined;
  const conflicts: string[] = [];
  for (const o of ops) {
    const d = mergeField(head, o);
    if (d.conflict) conflicts.push([d.conflict.kept.opId, d.conflict.other.opId].sort().join('|'));
    if (d.apply) head = { value: o.value, hlc: o.hlc, opId: o.opId, deviceId: o.deviceId, userId: o.userId };
  }
  return { head, conflicts };
}

describe('per-field merge', () => {
  it('a sequential edit (its author saw the current value) replaces it without a conflict', () => {
    const a = op('a', '"3"', hlc(0, 0, 'A'), null);
    const b = op('b', '"4"', hlc(10, 0, 'B'), a.hlc);
    const r = replay([a, b]);
    expect([r.head?.opId, r.head?.value, r.conflicts]).toEqual(['b', '"4"', []]);
  });

  it('concurrent edits with different values: the later clock wins and both values are kept in a conflict', () => {
    const a = op('a', '"3"', hlc(0, 0, 'A'), null);
    const b = op('b', '"4"', hlc(5, 0, 'B'), null);
    const c = op('c', '"5"', hlc(7, 0, 'C'), a.hlc);
    const d = mergeField({ value: b.value, hlc: b.hlc, opId: 'b', deviceId: 'B', userId: 'u' }, c);
    expect(d.apply).toBe(true);
    expect(d.conflict).toMatchObject({ kept: { opId: 'c', value: '"5"' }, other: { opId: 'b', value: '"4"' } });
    // An older concurrent op does not win, but it is not lost either.
    const late = mergeField({ value: c.value, hlc: c.hlc, opId: 'c', deviceId: 'C', userId: 'u' }, b);
    expect(late).toMatchObject({ apply: false, conflict: { kept: { opId: 'c' }, other: { opId: 'b' } } });
  });

  it('concurrent edits to the same value are not a conflict; the same op twice is a duplicate', () => {
    const a = op('a', '"x"', hlc(0, 0, 'A'), null);
    const b = op('b', '"x"', hlc(1, 0, 'B'), null);
    expect(replay([a, b]).conflicts).toEqual([]);
    expect(mergeField({ value: a.value, hlc: a.hlc, opId: 'a', deviceId: 'A', userId: 'u' }, a)).toEqual({ apply: false, duplicate: true, conflict: null });
  });

  it('equal wall clocks are ordered by counter, then by device', () => {
    const a = op('a', '1', hlc(0, 0, 'A'), null);
    const b = op('b', '2', hlc(0, 0, 'B'), null);
    expect(replay([a, b]).head?.opId).toBe('b');
    expect(replay([b, a]).head?.opId).toBe('b');
  });

  it('converges: any order and any duplication of the same ops ends on the op with the greatest clock', () => {
    const opArb = fc.record({ ms: fc.integer({ min: 0, max: 50 }), counter: fc.integer({ min: 0, max: 3 }), device: fc.constantFrom('a', 'b', 'c', 'd'), value: fc.constantFrom('1', '2', '3', null) });
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 25 }), fc.integer(), fc.integer({ min: 0, max: 5 }), (raw, seed, dups) => {
        const unique = new Map(raw.map((r, i) => [hlc(r.ms, r.counter, r.device), op(`o${i}`, r.value, hlc(r.ms, r.counter, r.device), null)]));
        const ops = [...unique.values()];
        const expected = ops.reduce((m, o) => (o.hlc > m.hlc ? o : m));
        // A seeded shuffle with some ops delivered twice.
        let s = seed;
        const rnd = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
        const delivered = [...ops, ...ops.slice(0, dups)].map((o) => [rnd(), o] as const).sort((x, y) => x[0] - y[0]).map(([, o]) => o);
        expect(replay(delivered).head?.opId).toBe(expected.opId);
      }),
      { numRuns: 300 },
    );
  });
});

describe('protocol and policy', () => {
  it('validates an op: clock format, identifiers, uuid', () => {
    const good = { opId: '01936a1e-7c4b-7cc0-9a5e-0a1b2c3d4e5f', tbl: 'assessment_answers', rowId: 'r1', field: 'value', value: '3', hlc: hlc(0, 1, 'dev1'), deviceId: 'dev1', userId: 'u1', base: null };
    expect(changeOp.safeParse(good).success).toBe(true);
    expect(changeOp.safeParse({ ...good, hlc: 'yesterday' }).success).toBe(false);
    expect(changeOp.safeParse({ ...good, tbl: 'x; DROP TABLE' }).success).toBe(false);
    expect(pushRequest.safeParse({ ops: Array.from({ length: MAX_PUSH_OPS + 1 }, () => good) }).success).toBe(false);
  });

  it('ties every record to an organisation or marks it shared; the tying field is known', () => {
    for (const [tbl, p] of Object.entries(SYNC_POLICY)) {
      if (p.scope.kind === 'parent') expect(SYNC_POLICY[p.scope.parent], `${tbl} → ${p.scope.parent}`).toBeDefined();
    }
    expect(scopeField('assessment_answers')).toBe('assessment_id');
    expect(scopeField('organizations')).toBeNull();
    expect(SYNC_POLICY.pair_assignments?.writers).toEqual(['admin']);
  });
});
