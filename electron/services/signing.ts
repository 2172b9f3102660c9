/**
 * The laptop's half of signing as a checked transition (shared/sync/signing.ts): the content hash of a
 * record and its children, computed from the change log's current values — the same values the service's
 * merged state holds once it has everything this laptop sent.
 */
import crypto from 'node:crypto';
import type Database from 'better-sqlite3';
import { canonicalContent, SIGNED_RECORDS, type ContentRow } from '#shared/sync/signing';

export function contentRows(sqlite: Database.Database, rootTbl: string, rootId: string): ContentRow[] {
  const spec = SIGNED_RECORDS[rootTbl];
  if (!spec) throw new Error(`${rootTbl} is not a signed record`);
  const heads = sqlite.prepare(
    'SELECT c.field, l.value FROM field_clocks c JOIN change_log l ON l.tbl = c.tbl AND l.row_id = c.row_id AND l.field = c.field AND l.hlc = c.hlc WHERE c.tbl = ? AND c.row_id = ?',
  );
  const row = (tbl: string, rowId: string): ContentRow => ({
    tbl,
    rowId,
    fields: Object.fromEntries((heads.all(tbl, rowId) as { field: string; value: string | null }[]).map((h) => [h.field, h.value])),
  });
  const rows = [row(rootTbl, rootId)];
  for (const child of spec.children) {
    for (const { id } of sqlite.prepare(`SELECT id FROM "${child.tbl}" WHERE "${child.field}" = ?`).all(rootId) as { id: string }[]) rows.push(row(child.tbl, id));
  }
  return rows;
}

/** The hash the laptop writes into `content_hash` just before locking the record. */
export function contentHash(sqlite: Database.Database, rootTbl: string, rootId: string): string {
  return crypto.createHash('sha256').update(canonicalContent(rootTbl, rootId, contentRows(sqlite, rootTbl, rootId))).digest('hex');
}
