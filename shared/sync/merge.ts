/**
 * The per-field merge, the one implementation the server and the laptops share. A field's value is the one
 * written by the op with the greatest (clock, device) — the HLC string ends with the device id, so comparing
 * the strings compares both. Because every replica keeps the greatest op, replicas that received the same
 * ops hold the same values, in whatever order the ops came.
 *
 * An op is **concurrent** with the field's current value when its author had not seen that value (its
 * `base` is not the current clock). If the two values differ, neither is silently lost: the merge reports a
 * conflict carrying both, for the people to resolve (resolving is a new op that has seen both).
 */

export interface FieldHead {
  value: string | null;
  hlc: string;
  opId: string;
  deviceId: string;
  userId: string;
}

export interface IncomingOp {
  opId: string;
  value: string | null;
  hlc: string;
  base: string | null;
  deviceId: string;
  userId: string;
}

export interface MergeDecision {
  /** The op becomes the field's value. */
  apply: boolean;
  /** The same op (same clock) is already there: nothing to do. */
  duplicate: boolean;
  /** A concurrent edit with a different value: both go into a conflict record. */
  conflict: { kept: FieldHead; other: FieldHead } | null;
}

const asHead = (op: IncomingOp): FieldHead => ({ value: op.value, hlc: op.hlc, opId: op.opId, deviceId: op.deviceId, userId: op.userId });

export function mergeField(head: FieldHead | undefined, op: IncomingOp): MergeDecision {
  if (!head) return { apply: true, duplicate: false, conflict: null };
  if (head.hlc === op.hlc) return { apply: false, duplicate: true, conflict: null };
  const apply = op.hlc > head.hlc;
  const concurrent = op.base !== head.hlc;
  const conflict = concurrent && op.value !== head.value ? (apply ? { kept: asHead(op), other: head } : { kept: head, other: asHead(op) }) : null;
  return { apply, duplicate: false, conflict };
}

/** The field that marks a record deleted (a tombstone: never a hard delete). */
export const TOMBSTONE_FIELD = 'deleted_at';

/**
 * Whether the author of an op had not seen another op of the same record: it came from another device and
 * the server committed it after what the author had pulled (`seenSeq`). Unknown (`seenSeq` absent, an older
 * app) counts as seen: no conflict is invented.
 */
export function unseen(other: { seq: number; deviceId: string }, author: { seenSeq?: number | null | undefined; deviceId: string }): boolean {
  return author.seenSeq !== null && author.seenSeq !== undefined && other.seq > author.seenSeq && other.deviceId !== author.deviceId;
}

/**
 * A delete racing an edit of the same record (neither author had seen the other's op): a conflict on the
 * tombstone field. The record stays deleted (`kept`); the other side is restoring it (`value` null), which
 * brings the edit back — it was merged into its own field and is not lost either way.
 */
export function deleteRace(deletion: FieldHead, edit: FieldHead): { kept: FieldHead; other: FieldHead } {
  return { kept: deletion, other: { ...edit, value: null } };
}
