/**
 * Which organisation every synced record belongs to, and who may read and write it: the data the central
 * service uses to authorise each op per record and per field (issue 6). A record's organisation is found
 * through its own id (organizations), a field holding an organisation id, or a field holding the id of a
 * parent record whose organisation is known.
 */

export const SYNC_ROLES = ['admin', 'mentor', 'supplier_consultant'] as const;
export type SyncRole = (typeof SYNC_ROLES)[number];

export type RecordScope =
  /** The record is an organisation (company or supplier). */
  | { kind: 'self' }
  /** `field` holds the organisation id. */
  | { kind: 'org'; field: string }
  /** `field` holds the id of a record of table `parent`; the organisation is the parent's. */
  | { kind: 'parent'; field: string; parent: string }
  /** Shared registry data (mentors, pairs): not tied to one organisation. */
  | { kind: 'global' }
  /**
   * Read through the records that refer to it (ATTACHMENT_REFERENCES): attachment metadata. One file may be
   * shown by records of several organisations; whoever may read one of them may read it, nobody else.
   */
  | { kind: 'referenced' };

export interface TablePolicy {
  scope: RecordScope;
  /** Roles that may write records of this table (within their organisations; admin everywhere). */
  writers: readonly SyncRole[];
  /** Fields only these roles may write (others' ops on them are refused as `forbiddenField`). */
  restrictedFields?: Readonly<Record<string, readonly SyncRole[]>>;
}

const FIELD_STAFF = ['admin', 'mentor'] as const;
const CONSULTANTS = ['admin', 'supplier_consultant'] as const;
const EVERYONE = ['admin', 'mentor', 'supplier_consultant'] as const;
const ADMIN = ['admin'] as const;

const org = (field = 'org_id'): RecordScope => ({ kind: 'org', field });
const parent = (field: string, table: string): RecordScope => ({ kind: 'parent', field, parent: table });

export const SYNC_POLICY: Readonly<Record<string, TablePolicy>> = {
  organizations: { scope: { kind: 'self' }, writers: EVERYONE, restrictedFields: { kind: ADMIN } },
  financials: { scope: org(), writers: EVERYONE },
  contacts: { scope: org(), writers: EVERYONE },
  vc_investments: { scope: org(), writers: EVERYONE },
  // The mentor registry and who is assigned to which company are the central office's to change:
  // a mentor who could write assignments could give themselves any company.
  mentors: { scope: { kind: 'global' }, writers: ADMIN },
  mentor_pairs: { scope: { kind: 'global' }, writers: ADMIN },
  pair_assignments: { scope: org(), writers: ADMIN },
  visits: { scope: org(), writers: FIELD_STAFF },
  visit_attendees: { scope: parent('visit_id', 'visits'), writers: FIELD_STAFF },
  visit_photos: { scope: parent('visit_id', 'visits'), writers: FIELD_STAFF },
  assessments: { scope: org(), writers: FIELD_STAFF },
  assessment_answers: { scope: parent('assessment_id', 'assessments'), writers: FIELD_STAFF },
  assessment_kpis: { scope: parent('assessment_id', 'assessments'), writers: FIELD_STAFF },
  assessment_signatures: { scope: parent('assessment_id', 'assessments'), writers: FIELD_STAFF },
  answer_evidence: { scope: parent('assessment_id', 'assessments'), writers: FIELD_STAFF },
  action_items: { scope: org(), writers: FIELD_STAFF },
  attachments: { scope: { kind: 'referenced' }, writers: EVERYONE },
  diagnoses: { scope: org(), writers: CONSULTANTS },
  diagnosis_answers: { scope: parent('diagnosis_id', 'diagnoses'), writers: CONSULTANTS },
  diagnosis_plan_items: { scope: parent('diagnosis_id', 'diagnoses'), writers: CONSULTANTS },
  diagnosis_signatures: { scope: parent('diagnosis_id', 'diagnoses'), writers: CONSULTANTS },
  // Sanctions are decided by the programme office, not in the field.
  sanctions: { scope: org(), writers: ADMIN },
  portal_profiles: { scope: org(), writers: CONSULTANTS, restrictedFields: { approved_at: ADMIN, approved_by: ADMIN } },
  projects: { scope: org(), writers: FIELD_STAFF },
  project_suppliers: { scope: parent('project_id', 'projects'), writers: FIELD_STAFF },
  postbuild_checks: { scope: parent('project_id', 'projects'), writers: FIELD_STAFF },
  postbuild_answers: { scope: parent('check_id', 'postbuild_checks'), writers: FIELD_STAFF },
  usage_imports: { scope: parent('project_id', 'projects'), writers: FIELD_STAFF },
  usage_days: { scope: parent('project_id', 'projects'), writers: FIELD_STAFF },
  project_photos: { scope: parent('project_id', 'projects'), writers: FIELD_STAFF },
  project_documents: { scope: parent('project_id', 'projects'), writers: FIELD_STAFF },
  red_flag_findings: { scope: parent('project_id', 'projects'), writers: FIELD_STAFF },
  level_confirmations: { scope: org(), writers: FIELD_STAFF },
  level_answers: { scope: parent('confirmation_id', 'level_confirmations'), writers: FIELD_STAFF },
  level_signatures: { scope: parent('confirmation_id', 'level_confirmations'), writers: FIELD_STAFF },
  certificates: { scope: parent('confirmation_id', 'level_confirmations'), writers: FIELD_STAFF },
  certificate_revocations: { scope: parent('certificate_id', 'certificates'), writers: FIELD_STAFF },
};

export const SYNC_TABLE_NAMES = Object.keys(SYNC_POLICY);

/** The records that refer to an attachment by its id: its bytes are needed while one of them is in view. */
export const ATTACHMENT_REFERENCES: readonly { tbl: string; column: string }[] = [
  { tbl: 'answer_evidence', column: 'attachment_id' },
  { tbl: 'visit_photos', column: 'attachment_id' },
  { tbl: 'project_photos', column: 'attachment_id' },
];

/** The records that refer to a file by its hash, with no attachment row (a signed certificate's PDF). */
export const FILE_HASH_REFERENCES: readonly { tbl: string; column: string }[] = [{ tbl: 'certificates', column: 'pdf_sha256' }];

/** Every column that names bytes by their hash: a file's description, and the records of FILE_HASH_REFERENCES. */
export const HASH_REFERENCES: readonly { tbl: string; column: string }[] = [{ tbl: 'attachments', column: 'sha256' }, ...FILE_HASH_REFERENCES];

/** The field that ties a record to its organisation (or parent), if any: it must be set when the record is created. */
export function scopeField(tbl: string): string | null {
  const s = SYNC_POLICY[tbl]?.scope;
  return s && (s.kind === 'org' || s.kind === 'parent') ? s.field : null;
}

/**
 * Tables whose deleted records are never purged (server/sync/purge.ts): archives people restore (companies,
 * suppliers, mentors), and rows whose id is made from their content (the desktop's natural keys), which the
 * same content brings back under the same id — a purged id would refuse it for ever.
 */
export const NEVER_PURGED: ReadonlySet<string> = new Set([
  'organizations',
  'mentors',
  'financials',
  'assessment_answers',
  'assessment_kpis',
  'diagnosis_answers',
  'level_answers',
  'certificate_revocations',
  'postbuild_answers',
  'usage_imports',
  'usage_days',
  'red_flag_findings',
]);
