/**
 * Signed or finalised records are immutable (architecture: Data). On the server a record is locked once its
 * lock field holds a value; a child record is locked with its parent. The desktop's mutation layer has the
 * same rule locally; this table is the server's copy of it (candidate for shared/sync/scope.ts).
 */

/** Table → the field that, once set, locks its records. */
export const LOCK_FIELDS: Readonly<Record<string, string>> = {
  assessments: 'finalized_at',
  diagnoses: 'finalized_at',
  postbuild_checks: 'signed_at',
  level_confirmations: 'finalized_at',
  certificates: 'issued_at',
  certificate_revocations: 'revoked_at',
  portal_profiles: 'approved_at',
};

/** The lock fields' names (a lock lookup reads only these heads). */
export const LOCK_FIELD_NAMES: readonly string[] = [...new Set(Object.values(LOCK_FIELDS))];

/**
 * Child table → its parent table, for children locked with their parent (the parent is found through the
 * child's scope field, shared/sync/scope.ts). Only these: a certificate is created after its confirmation was
 * finalised, so certificates are not locked by it.
 */
export const LOCKED_WITH_PARENT: Readonly<Record<string, string>> = {
  assessment_answers: 'assessments',
  assessment_kpis: 'assessments',
  assessment_signatures: 'assessments',
  answer_evidence: 'assessments',
  diagnosis_answers: 'diagnoses',
  diagnosis_plan_items: 'diagnoses',
  diagnosis_signatures: 'diagnoses',
  postbuild_answers: 'postbuild_checks',
  level_answers: 'level_confirmations',
  level_signatures: 'level_confirmations',
};

/** A lock field's JSON value sets the lock unless it is absent or JSON null. */
export const isLockValue = (value: string | null | undefined): boolean => value !== null && value !== undefined && value !== 'null';
