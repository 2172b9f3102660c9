/**
 * The service's half of signing as a checked transition (shared/sync/signing.ts): a lock is accepted only if
 * the record's content hash — written by the signing laptop just before the lock — matches the content the
 * service holds for the record and its children, and every attachment they refer to is here in full.
 */
import crypto from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { mergeField, type FieldHead } from '#shared/sync/merge';
import type { ChangeOp } from '#shared/sync/protocol';
import { ATTACHMENT_FIELD, canonicalContent, CONTENT_HASH_FIELD, SIGNED_RECORDS, type ContentRow } from '#shared/sync/signing';
import type { Db } from '../db/index.ts';
import { blobs, syncFields } from '../db/schema.ts';
import { anyOf } from './sql.ts';

type Reader = Pick<Db, 'select'>;

export type SignatureCheck = { ok: true } | { ok: false; messageKey: 'errors.sync.signMismatch' | 'errors.sync.attachmentsMissing' };

const parse = (v: string | null): unknown => {
  if (v === null) return null;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return null;
  }
};

export function isSignedLock(tbl: string, field: string, value: string | null): boolean {
  return SIGNED_RECORDS[tbl]?.lockField === field && value !== null && parse(value) !== null;
}

async function rowsOf(db: Reader, tbl: string, rowIds: string[]): Promise<ContentRow[]> {
  if (rowIds.length === 0) return [];
  const heads = await db.select({ rowId: syncFields.rowId, field: syncFields.field, value: syncFields.value, hlc: syncFields.hlc }).from(syncFields).where(and(eq(syncFields.tbl, tbl), anyOf(syncFields.rowId, rowIds)));
  const byRow = new Map<string, Record<string, string | null>>(rowIds.map((id) => [id, {}]));
  for (const h of heads) (byRow.get(h.rowId) as Record<string, string | null>)[h.field] = h.value;
  return [...byRow].map(([rowId, fields]) => ({ tbl, rowId, fields }));
}

/**
 * Checks a signature against the service's state as it will be once `pending` (the batch's other accepted
 * ops, merged with the shared rule) is applied: the content hash the record carries must match, and every
 * attachment the signed rows refer to must be here, whole.
 */
export async function checkSignature(db: Reader, tbl: string, rowId: string, pending: readonly ChangeOp[]): Promise<SignatureCheck> {
  const spec = SIGNED_RECORDS[tbl];
  if (!spec) return { ok: true };
  // The rows: the record, and its children known here or arriving in this batch.
  const ids = new Map<string, Set<string>>([[tbl, new Set([rowId])]]);
  for (const child of spec.children) {
    const set = new Set(
      (
        await db
          .select({ rowId: syncFields.rowId })
          .from(syncFields)
          .where(and(eq(syncFields.tbl, child.tbl), eq(syncFields.field, child.field), eq(syncFields.value, JSON.stringify(rowId))))
      ).map((r) => r.rowId),
    );
    for (const op of pending) if (op.tbl === child.tbl && op.field === child.field && parse(op.value) === rowId) set.add(op.rowId);
    ids.set(child.tbl, set);
  }
  // One read of the heads per table gives both the rows and the heads the batch's ops merge against.
  const rows: ContentRow[] = [];
  const full = new Map<string, FieldHead>();
  for (const [t, set] of ids) {
    if (set.size === 0) continue;
    const heads = await db.select().from(syncFields).where(and(eq(syncFields.tbl, t), anyOf(syncFields.rowId, [...set])));
    const byRow = new Map<string, Record<string, string | null>>([...set].map((id) => [id, {}]));
    for (const h of heads) {
      (byRow.get(h.rowId) as Record<string, string | null>)[h.field] = h.value;
      full.set(`${t}\u0000${h.rowId}\u0000${h.field}`, { value: h.value, hlc: h.hlc, opId: h.opId, deviceId: h.deviceId, userId: h.userId });
    }
    for (const [rowId, fields] of byRow) rows.push({ tbl: t, rowId, fields });
  }
  const byKey = new Map(rows.map((r) => [`${r.tbl}\u0000${r.rowId}`, r]));
  for (const op of pending) {
    const row = byKey.get(`${op.tbl}\u0000${op.rowId}`);
    if (!row) continue;
    const k = `${op.tbl}\u0000${op.rowId}\u0000${op.field}`;
    if (mergeField(full.get(k), op).apply) {
      full.set(k, { value: op.value, hlc: op.hlc, opId: op.opId, deviceId: op.deviceId, userId: op.userId });
      (row.fields as Record<string, string | null>)[op.field] = op.value;
    }
  }
  const root = byKey.get(`${tbl}\u0000${rowId}`);
  const claimed = parse(root?.fields[CONTENT_HASH_FIELD] ?? null);
  const actual = crypto.createHash('sha256').update(canonicalContent(tbl, rowId, rows)).digest('hex');
  if (claimed !== actual) return { ok: false, messageKey: 'errors.sync.signMismatch' };
  const attachmentIds = rows.map((r) => parse(r.fields[ATTACHMENT_FIELD] ?? null)).filter((v): v is string => typeof v === 'string');
  if (attachmentIds.length) {
    const shas = (await rowsOf(db, 'attachments', attachmentIds)).map((r) => parse(r.fields.sha256 ?? null)).filter((v): v is string => typeof v === 'string');
    for (const op of pending) if (op.tbl === 'attachments' && op.field === 'sha256' && attachmentIds.includes(op.rowId)) shas.push(parse(op.value) as string);
    const unique = [...new Set(shas)];
    const complete = unique.length ? await db.select({ sha256: blobs.sha256 }).from(blobs).where(and(inArray(blobs.sha256, unique), eq(blobs.complete, true))) : [];
    if (unique.length < new Set(attachmentIds).size || complete.length !== unique.length) return { ok: false, messageKey: 'errors.sync.attachmentsMissing' };
  }
  return { ok: true };
}
