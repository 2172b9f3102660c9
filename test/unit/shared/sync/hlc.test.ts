import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clampRemote, CLOCK_TOLERANCE_MS, compareHlc, hlcReceive, hlcSuccessor, hlcTick, hlcToString, parseHlc, type HlcState } from '#shared/sync/hlc';

const T0 = Date.parse('2025-06-01T09:00:00.000Z');
const DAY = 86_400_000;
const start: HlcState = { millis: 0, counter: 0, node: 'device-a' };

describe('hlcTick', () => {
  it('follows the wall clock when it moves forward, resetting the counter', () => {
    const a = hlcTick(start, T0);
    expect(a).toEqual({ millis: T0, counter: 0, node: 'device-a' });
    const b = hlcTick({ ...a, counter: 7 }, T0 + 5);
    expect(b).toEqual({ millis: T0 + 5, counter: 0, node: 'device-a' });
  });

  it('counts up within the same millisecond', () => {
    let s = hlcTick(start, T0);
    for (let i = 1; i <= 5; i++) {
      s = hlcTick(s, T0);
      expect(s).toEqual({ millis: T0, counter: i, node: 'device-a' });
    }
  });

  it('never goes backwards when the wall clock does (laptop clock set back a day)', () => {
    const a = hlcTick(start, T0);
    const b = hlcTick(a, T0 - DAY);
    expect(b.millis).toBe(T0);
    expect(b.counter).toBe(1);
    expect(compareHlc(hlcToString(b), hlcToString(a))).toBe(1);
    // and when the clock comes back to normal it resumes from wall time
    const c = hlcTick(b, T0 + 10);
    expect(c).toEqual({ millis: T0 + 10, counter: 0, node: 'device-a' });
  });

  it('borrows the next millisecond instead of overflowing the 4-hex-digit counter', () => {
    const full: HlcState = { millis: T0, counter: 0xffff, node: 'd' };
    const next = hlcTick(full, T0);
    expect(next).toEqual({ millis: T0 + 1, counter: 0, node: 'd' });
    expect(hlcToString(full)).toContain('-ffff-');
    expect(compareHlc(hlcToString(next), hlcToString(full))).toBe(1);
    // a counter that overflowed would print 5 hex digits and break string order
    expect(hlcToString(next)).toMatch(/-0000-d$/);
  });

  it('is strictly increasing as a string for any sequence of wall-clock readings', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: T0 - DAY, max: T0 + DAY }), { minLength: 1, maxLength: 300 }), (walls) => {
        let s: HlcState = { millis: T0 - 2 * DAY, counter: 0, node: 'n1' };
        let prev = hlcToString(s);
        for (const w of walls) {
          s = hlcTick(s, w);
          const cur = hlcToString(s);
          expect(cur > prev).toBe(true);
          prev = cur;
        }
      }),
    );
  });

  it('stays increasing through many ticks inside one frozen millisecond', () => {
    let s = hlcTick(start, T0);
    let prev = hlcToString(s);
    for (let i = 0; i < 0x10000 + 10; i++) {
      s = hlcTick(s, T0);
      const cur = hlcToString(s);
      expect(cur > prev).toBe(true);
      prev = cur;
    }
    expect(s.millis).toBe(T0 + 1);
  });
});

describe('hlcReceive', () => {
  const local: HlcState = { millis: T0, counter: 3, node: 'local' };

  it('jumps to a remote clock that is ahead, continuing its counter, keeping the local node', () => {
    const r = hlcReceive(local, { millis: T0 + 1000, counter: 9, node: 'remote' }, T0 + 10);
    expect(r).toEqual({ millis: T0 + 1000, counter: 10, node: 'local' });
  });

  it('continues the local counter when the local clock is ahead', () => {
    const r = hlcReceive(local, { millis: T0 - 1000, counter: 50, node: 'remote' }, T0 - 5);
    expect(r).toEqual({ millis: T0, counter: 4, node: 'local' });
  });

  it('takes the larger counter + 1 when both clocks are at the same millisecond', () => {
    expect(hlcReceive(local, { millis: T0, counter: 20, node: 'r' }, T0 - 1)).toEqual({ millis: T0, counter: 21, node: 'local' });
    expect(hlcReceive({ ...local, counter: 30 }, { millis: T0, counter: 20, node: 'r' }, T0)).toEqual({ millis: T0, counter: 31, node: 'local' });
  });

  it('follows the wall clock with counter 0 when it is ahead of both', () => {
    expect(hlcReceive(local, { millis: T0 + 5, counter: 9, node: 'r' }, T0 + 100)).toEqual({ millis: T0 + 100, counter: 0, node: 'local' });
  });

  it('borrows the next millisecond when the merged counter would overflow', () => {
    const r = hlcReceive(local, { millis: T0, counter: 0xffff, node: 'r' }, T0);
    expect(r).toEqual({ millis: T0 + 1, counter: 0, node: 'local' });
  });

  it('is after both the local and the remote timestamp (causality)', () => {
    const state = fc.record({ millis: fc.integer({ min: T0 - DAY, max: T0 + DAY }), counter: fc.integer({ min: 0, max: 0xffff }) });
    fc.assert(
      fc.property(state, state, fc.integer({ min: T0 - DAY, max: T0 + DAY }), (l, r, wall) => {
        const a: HlcState = { ...l, node: 'a' };
        const b: HlcState = { ...r, node: 'b' };
        const merged = hlcReceive(a, b, wall);
        // compare on (millis, counter): node ids only break ties between devices
        const after = (x: HlcState, y: HlcState) => x.millis > y.millis || (x.millis === y.millis && x.counter > y.counter);
        expect(after(merged, a)).toBe(true);
        expect(after(merged, b)).toBe(true);
        expect(merged.millis).toBeGreaterThanOrEqual(wall);
      }),
    );
  });
});

describe('string form', () => {
  it('round-trips through parseHlc', () => {
    const s: HlcState = { millis: T0 + 123, counter: 0xab, node: '0190f3a1b2c3d4e5' };
    const text = hlcToString(s);
    expect(text).toBe('2025-06-01T09:00:00.123Z-00ab-0190f3a1b2c3d4e5');
    expect(parseHlc(text)).toEqual(s);
  });

  it('keeps node ids containing dashes', () => {
    const s: HlcState = { millis: T0, counter: 1, node: 'a-b-c' };
    expect(parseHlc(hlcToString(s))).toEqual(s);
  });

  it('refuses malformed timestamps', () => {
    for (const bad of ['', 'nonsense', '2025-06-01T09:00:00Z-0000-a', '2025-06-01T09:00:00.000Z-00000-a', '2025-06-01T09:00:00.000Z-zzzz-a', '2025-06-01T09:00:00.000Z-0000-']) {
      expect(() => parseHlc(bad), bad).toThrow(/invalid HLC/);
    }
  });

  it('orders as strings exactly as (millis, counter, node) orders', () => {
    const state = fc.record({
      millis: fc.integer({ min: Date.parse('2000-01-01T00:00:00Z'), max: Date.parse('2099-12-31T23:59:59Z') }),
      counter: fc.integer({ min: 0, max: 0xffff }),
      node: fc.constantFrom('0190aaaaaaaaaaaa', '0190bbbbbbbbbbbb', 'ffffffffffffffff'),
    });
    fc.assert(
      fc.property(state, state, (a, b) => {
        const causal = a.millis !== b.millis ? Math.sign(a.millis - b.millis) : a.counter !== b.counter ? Math.sign(a.counter - b.counter) : a.node < b.node ? -1 : a.node > b.node ? 1 : 0;
        expect(compareHlc(hlcToString(a), hlcToString(b))).toBe(causal);
      }),
      { numRuns: 2000 },
    );
  });

  it('sorts a list of timestamps into causal order with a plain string sort', () => {
    const events = [
      { millis: T0 + 1, counter: 0, node: 'b' },
      { millis: T0, counter: 10, node: 'a' },
      { millis: T0, counter: 2, node: 'z' },
      { millis: T0 - DAY, counter: 0xffff, node: 'a' },
      { millis: T0, counter: 2, node: 'a' },
    ];
    const sorted = events.map(hlcToString).sort();
    expect(sorted.map(parseHlc)).toEqual([events[3], events[4], events[2], events[1], events[0]]);
  });
});

describe('clampRemote and hlcSuccessor', () => {
  it('believes a colleague’s clock only up to the tolerance ahead of this laptop’s time', () => {
    const near = { millis: T0 + CLOCK_TOLERANCE_MS, counter: 7, node: 'b' };
    expect(clampRemote(near, T0)).toEqual({ state: near, clamped: false });
    const nextYear = { millis: T0 + 365 * DAY, counter: 3, node: 'b' };
    expect(clampRemote(nextYear, T0)).toEqual({ state: { millis: T0 + CLOCK_TOLERANCE_MS, counter: 0, node: 'b' }, clamped: true });
    // Adopting the clamped clock keeps this laptop's clock within the tolerance.
    expect(hlcReceive({ millis: T0, counter: 0, node: 'a' }, clampRemote(nextYear, T0).state, T0).millis).toBe(T0 + CLOCK_TOLERANCE_MS);
  });

  it('the successor of any timestamp sorts right after it, for any node', () => {
    fc.assert(
      fc.property(fc.integer({ min: T0, max: T0 + 1000 * DAY }), fc.integer({ min: 0, max: 0xffff }), fc.constantFrom('a', 'zz', 'device-b', '0'), fc.constantFrom('a', 'zz', 'device-b', '0'), (millis, counter, node, mine) => {
        const of = { millis, counter, node };
        const next = hlcToString(hlcSuccessor(of, mine));
        expect(compareHlc(next, hlcToString(of))).toBe(1);
        expect(parseHlc(next).node).toBe(mine);
      }),
    );
  });
});
