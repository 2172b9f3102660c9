/**
 * Hybrid logical clock (Kulkarni et al.). A timestamp is a string that sorts in causal order:
 * `<ISO millis>-<counter, 4 hex>-<device id>`. Wall-clock time is only a hint: the clock never goes
 * backwards, even when the laptop's clock does, because `millis` only ever takes the maximum.
 */
export interface HlcState {
  millis: number;
  counter: number;
  node: string;
}

const MAX_COUNTER = 0xffff;

export function hlcToString(s: HlcState): string {
  return `${new Date(s.millis).toISOString()}-${s.counter.toString(16).padStart(4, '0')}-${s.node}`;
}

export function parseHlc(text: string): HlcState {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)-([0-9a-f]{4})-(.+)$/.exec(text);
  if (!m || m[1] === undefined || m[2] === undefined || m[3] === undefined) {
    throw new Error(`invalid HLC timestamp: ${text}`);
  }
  return { millis: Date.parse(m[1]), counter: parseInt(m[2], 16), node: m[3] };
}

/** Next timestamp for a local event. */
export function hlcTick(last: HlcState, wallMillis: number): HlcState {
  if (wallMillis > last.millis) return { millis: wallMillis, counter: 0, node: last.node };
  if (last.counter >= MAX_COUNTER) {
    // Counter exhausted within one millisecond: borrow the next millisecond rather than overflow.
    return { millis: last.millis + 1, counter: 0, node: last.node };
  }
  return { millis: last.millis, counter: last.counter + 1, node: last.node };
}

/** Merges a remote timestamp into the local clock (on receiving changes from sync). */
export function hlcReceive(last: HlcState, remote: HlcState, wallMillis: number): HlcState {
  const millis = Math.max(last.millis, remote.millis, wallMillis);
  let counter: number;
  if (millis === last.millis && millis === remote.millis) counter = Math.max(last.counter, remote.counter) + 1;
  else if (millis === last.millis) counter = last.counter + 1;
  else if (millis === remote.millis) counter = remote.counter + 1;
  else counter = 0;
  if (counter > MAX_COUNTER) return { millis: millis + 1, counter: 0, node: last.node };
  return { millis, counter, node: last.node };
}

export function compareHlc(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * How far a laptop's clock may be off the service's before it is corrected (and shown), and how far ahead
 * of this laptop's time a colleague's clock is believed. A laptop whose clock is wrong must neither stop sync
 * nor drag every other laptop's clock along with it.
 */
export const CLOCK_TOLERANCE_MS = 5 * 60_000;

/**
 * A remote clock as this laptop adopts it: one further ahead of `wallMillis` than the tolerance counts as
 * that far ahead (a colleague's laptop set to next year would otherwise stamp every later edit here with
 * next year too). The ops themselves keep their clocks; only this laptop's own clock is protected.
 */
export function clampRemote(remote: HlcState, wallMillis: number): { state: HlcState; clamped: boolean } {
  const limit = wallMillis + CLOCK_TOLERANCE_MS;
  return remote.millis > limit ? { state: { millis: limit, counter: 0, node: remote.node }, clamped: true } : { state: remote, clamped: false };
}

/** The least timestamp of `node` that sorts after `of`: an edit must sort after the value it replaced. */
export function hlcSuccessor(of: HlcState, node: string): HlcState {
  return of.counter >= MAX_COUNTER ? { millis: of.millis + 1, counter: 0, node } : { millis: of.millis, counter: of.counter + 1, node };
}
