/**
 * Signing is a transition the central service checks (issue 6). A signed record (a finalised assessment,
 * diagnosis or level confirmation, a signed post-build check) carries `content_hash`: the SHA-256 of the
 * canonical content of the record and of the rows under it, as the signing laptop held them. The laptop
 * writes it just before the lock field, in the same transaction; the service accepts the lock only if its
 * own merged state has the same content and every attachment it refers to is on the service. The canonical
 * form is defined here, once, for both sides.
 */

export interface SignedRecordSpec {
  /** The field whose setting locks the record (and its children). */
  lockField: string;
  /** Rows under the record: table and the field that points at the record. */
  children: readonly { tbl: string; field: string }[];
}

export const CONTENT_HASH_FIELD = 'content_hash';

export const SIGNED_RECORDS: Readonly<Record<string, SignedRecordSpec>> = {
  assessments: {
    lockField: 'finalized_at',
    children: [
      { tbl: 'assessment_answers', field: 'assessment_id' },
      { tbl: 'assessment_kpis', field: 'assessment_id' },
      { tbl: 'assessment_signatures', field: 'assessment_id' },
      { tbl: 'answer_evidence', field: 'assessment_id' },
    ],
  },
  diagnoses: {
    lockField: 'finalized_at',
    children: [
      { tbl: 'diagnosis_answers', field: 'diagnosis_id' },
      { tbl: 'diagnosis_plan_items', field: 'diagnosis_id' },
      { tbl: 'diagnosis_signatures', field: 'diagnosis_id' },
    ],
  },
  postbuild_checks: { lockField: 'signed_at', children: [{ tbl: 'postbuild_answers', field: 'check_id' }] },
  level_confirmations: {
    lockField: 'finalized_at',
    children: [
      { tbl: 'level_answers', field: 'confirmation_id' },
      { tbl: 'level_signatures', field: 'confirmation_id' },
    ],
  },
};

/** Children whose `attachment_id` field refers to an attachment whose bytes must be on the service. */
export const ATTACHMENT_FIELD = 'attachment_id';

export interface ContentRow {
  tbl: string;
  rowId: string;
  /** Field → JSON text of its current value, as the change log and the service's heads hold it. */
  fields: Readonly<Record<string, string | null>>;
}

/**
 * The canonical text of a record and its children: rows ordered by table and id, fields by name, the root's
 * lock field and content hash left out (they are what the signing sets). Archived children stay in: an
 * archived answer is part of what was signed.
 */
export function canonicalContent(rootTbl: string, rootId: string, rows: readonly ContentRow[]): string {
  const spec = SIGNED_RECORDS[rootTbl];
  const skip = new Set(spec ? [spec.lockField, CONTENT_HASH_FIELD] : [CONTENT_HASH_FIELD]);
  const ordered = [...rows].sort((a, b) => (a.tbl === b.tbl ? (a.rowId < b.rowId ? -1 : a.rowId > b.rowId ? 1 : 0) : a.tbl < b.tbl ? -1 : 1));
  return JSON.stringify(
    ordered.map((r) => [
      r.tbl,
      r.rowId,
      Object.keys(r.fields)
        .filter((f) => !(r.tbl === rootTbl && r.rowId === rootId && skip.has(f)))
        .sort()
        .map((f) => [f, r.fields[f] ?? null]),
    ]),
  );
}
