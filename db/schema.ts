/**
 * The local database schema. Every synced table carries the same bookkeeping columns (text UUIDv7 id,
 * created/updated/deleted timestamps and the creating device) and is written only through the
 * mutation layer (electron/services/mutations.ts), which logs each changed field for sync.
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

const synced = {
  id: text('id').primaryKey(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  /** Tombstone: rows are archived, never hard-deleted. */
  deletedAt: text('deleted_at'),
  originDevice: text('origin_device').notNull(),
};

/** Device-local settings and clocks; never synced. */
export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/** One entry per changed field, in the same transaction as the change. Sync ships this log. */
export const changeLog = sqliteTable(
  'change_log',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    opId: text('op_id').notNull().unique(),
    tbl: text('tbl').notNull(),
    rowId: text('row_id').notNull(),
    field: text('field').notNull(),
    /** JSON-encoded new value (null for a cleared field). */
    value: text('value'),
    hlc: text('hlc').notNull(),
    deviceId: text('device_id').notNull(),
    userId: text('user_id').notNull(),
    /** The field's clock as this device saw it before the change (null: first write). */
    base: text('base'),
    /** The server sequence this device had pulled up to when it made the change (its own ops only; see the protocol). */
    seenSeq: integer('seen_seq'),
    /** The server's sequence number once the server has committed the op (pushed or pulled); null: not yet sent. */
    serverSeq: integer('server_seq'),
    /** Why the server refused the op (kept on the device, shown to the user); null unless refused. */
    rejectedReason: text('rejected_reason'),
    rejectedKey: text('rejected_key'),
    /** The record's company when the op was refused: still shown after the company has left this laptop. */
    rejectedLabel: text('rejected_label'),
    /** 0 for a pulled op this app version could not apply (a table or field it does not know yet). */
    applied: integer('applied').notNull().default(1),
  },
  (t) => [
    index('change_log_row').on(t.tbl, t.rowId, t.field),
    index('change_log_outbox').on(t.serverSeq, t.rejectedReason, t.seq),
    // Pulled ops still waiting (for a parent, or for an upgrade): few, looked up on every pull.
    index('change_log_waiting').on(t.tbl, t.rowId).where(sql`applied = 0`),
  ],
);

/** Attachment bytes this laptop has handed to the server (complete and verified there): sent once. */
export const blobUploads = sqliteTable('blob_uploads', {
  sha256: text('sha256').primaryKey(),
  uploadedAt: text('uploaded_at').notNull(),
});

/** Conflicts the server recorded: two concurrent edits of one field with different values, both kept. */
export const syncConflicts = sqliteTable('sync_conflicts', {
  id: text('id').primaryKey(),
  tbl: text('tbl').notNull(),
  rowId: text('row_id').notNull(),
  field: text('field').notNull(),
  /** JSON {opId, value, hlc, deviceId, userId} of the value the merge kept and of the other one. */
  kept: text('kept').notNull(),
  other: text('other').notNull(),
  seq: integer('seq').notNull(),
  resolvedSeq: integer('resolved_seq'),
  /** The op this laptop made to resolve it (the server settles it when that op arrives). */
  resolvedOpId: text('resolved_op_id'),
});

/** Current clock of every field; decides per-field merges. (WITHOUT ROWID in the migration: the key is the row.) */
export const fieldClocks = sqliteTable(
  'field_clocks',
  {
    tbl: text('tbl').notNull(),
    rowId: text('row_id').notNull(),
    field: text('field').notNull(),
    hlc: text('hlc').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tbl, t.rowId, t.field] })],
);

/** SMEs (kind 'company') and technology suppliers (kind 'supplier') share one registry. */
export const organizations = sqliteTable(
  'organizations',
  {
    ...synced,
    kind: text('kind', { enum: ['company', 'supplier'] }).notNull(),
    brn: text('brn').notNull(),
    name: text('name').notNull(),
    representative: text('representative').notNull(),
    region: text('region').notNull(),
    address: text('address').notNull().default(''),
    ksicCode: text('ksic_code').notNull(),
    industryName: text('industry_name').notNull().default(''),
    employees: integer('employees'),
    foundedOn: text('founded_on'),
    notes: text('notes').notNull().default(''),
    /** Supplier only: JSON array of technology field codes. */
    techFields: text('tech_fields').notNull().default('[]'),
    /** Supplier only: number of completed smart-factory builds (구축실적). */
    buildRecordCount: integer('build_record_count'),
  },
  (t) => [
    uniqueIndex('organizations_kind_brn').on(t.kind, t.brn),
    index('organizations_kind_name').on(t.kind, t.deletedAt, t.name),
    index('organizations_kind_region').on(t.kind, t.region),
    index('organizations_kind_ksic').on(t.kind, t.ksicCode),
  ],
);

/** Revenue (매출액) and operating profit (영업이익) per fiscal year, integer KRW. */
export const financials = sqliteTable(
  'financials',
  {
    ...synced,
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    fiscalYear: integer('fiscal_year').notNull(),
    revenue: integer('revenue'),
    operatingProfit: integer('operating_profit'),
  },
  (t) => [uniqueIndex('financials_org_year').on(t.orgId, t.fiscalYear)],
);

export const contacts = sqliteTable(
  'contacts',
  {
    ...synced,
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    name: text('name').notNull(),
    role: text('role').notNull().default(''),
    phone: text('phone').notNull().default(''),
    email: text('email').notNull().default(''),
  },
  (t) => [index('contacts_org').on(t.orgId)],
);

/** VC investment a supplier received (for the VC-link rule: ≥ 5억원 in the last 3 years). */
export const vcInvestments = sqliteTable(
  'vc_investments',
  {
    ...synced,
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    amount: integer('amount').notNull(),
    investedOn: text('invested_on').notNull(),
    investor: text('investor').notNull().default(''),
  },
  (t) => [index('vc_investments_org').on(t.orgId)],
);

export const mentors = sqliteTable(
  'mentors',
  {
    ...synced,
    name: text('name').notNull(),
    affiliationType: text('affiliation_type', {
      enum: ['meister', 'kaist_institute', 'polytechnic', 'other'],
    }).notNull(),
    affiliationName: text('affiliation_name').notNull().default(''),
    expertise: text('expertise', { enum: ['process', 'ai'] }).notNull(),
    region: text('region').notNull(),
    phone: text('phone').notNull().default(''),
    email: text('email').notNull().default(''),
  },
  (t) => [index('mentors_name').on(t.deletedAt, t.name)],
);

/** One process expert and one AI expert who visit together (2인 1조). */
export const mentorPairs = sqliteTable(
  'mentor_pairs',
  {
    ...synced,
    processMentorId: text('process_mentor_id')
      .notNull()
      .references(() => mentors.id),
    aiMentorId: text('ai_mentor_id')
      .notNull()
      .references(() => mentors.id),
  },
  (t) => [index('mentor_pairs_process').on(t.processMentorId), index('mentor_pairs_ai').on(t.aiMentorId)],
);

/** A company matched 1:1 with a pair for the whole cycle; ended assignments keep their history. */
export const pairAssignments = sqliteTable(
  'pair_assignments',
  {
    ...synced,
    pairId: text('pair_id')
      .notNull()
      .references(() => mentorPairs.id),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    assignedOn: text('assigned_on').notNull(),
  },
  (t) => [
    index('pair_assignments_pair').on(t.pairId),
    uniqueIndex('pair_assignments_active_org')
      .on(t.orgId)
      .where(sql`deleted_at IS NULL`),
  ],
);

/** Maps search documents (integer rowids for FTS5) to entities. Derived data, rebuilt on demand. */
export const searchDocs = sqliteTable(
  'search_docs',
  {
    rowid: integer('rowid').primaryKey({ autoIncrement: true }),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull().unique(),
    /** 1 unless the entity is archived; lets a plain name-sorted search page without reading the entity rows. */
    active: integer('active').notNull().default(1),
    sortKey: text('sort_key').notNull().default(''),
    /** The indexed texts as last written: an unchanged entity is not re-indexed. */
    signature: text('signature').notNull().default(''),
  },
  (t) => [index('search_docs_sorted').on(t.entity, t.active, t.sortKey)],
);

/** A mentor pair's visit to a company (역량평가·컨설팅 → 구축지원 → 사후관리). */
export const visits = sqliteTable(
  'visits',
  {
    ...synced,
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    pairId: text('pair_id').references(() => mentorPairs.id),
    visitedOn: text('visited_on').notNull(),
    place: text('place').notNull().default(''),
    purpose: text('purpose', { enum: ['assessment', 'consulting', 'build_followup', 'postbuild_check'] }).notNull(),
    notes: text('notes').notNull().default(''),
  },
  (t) => [index('visits_org').on(t.orgId, t.visitedOn)],
);

/** Company-side attendees of a visit; rows of their own so two laptops' additions both survive. */
export const visitAttendees = sqliteTable(
  'visit_attendees',
  {
    ...synced,
    visitId: text('visit_id')
      .notNull()
      .references(() => visits.id),
    name: text('name').notNull(),
    role: text('role').notNull().default(''),
  },
  (t) => [index('visit_attendees_visit').on(t.visitId)],
);

/**
 * An assessment made with one instrument version. Finalising stores the computed result and locks it;
 * a correction is a new assessment pointing at the one it supersedes.
 */
export const assessments = sqliteTable(
  'assessments',
  {
    ...synced,
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    visitId: text('visit_id').references(() => visits.id),
    instrumentId: text('instrument_id').notNull(),
    instrumentVersion: integer('instrument_version').notNull(),
    /** Result JSON stored at finalisation (null while a draft: the live result is computed). */
    result: text('result'),
    typeOverride: text('type_override', { enum: ['excellent', 'average', 'weak'] }),
    overrideReason: text('override_reason').notNull().default(''),
    supersedesId: text('supersedes_id'),
    finalizedAt: text('finalized_at'),
    finalizedBy: text('finalized_by'),
    /** SHA-256 of the signed content (shared/sync/signing.ts), written just before the lock: the service checks it. */
    contentHash: text('content_hash'),
  },
  (t) => [index('assessments_org').on(t.orgId, t.createdAt)],
);

/** One answer per item: each answer is its own row, so each is its own field in the change log. */
export const assessmentAnswers = sqliteTable(
  'assessment_answers',
  {
    ...synced,
    assessmentId: text('assessment_id')
      .notNull()
      .references(() => assessments.id),
    itemId: text('item_id').notNull(),
    /** JSON of the answer (number, 'yes'/'partly'/'no', text, or {done, planned}). */
    value: text('value'),
    comment: text('comment').notNull().default(''),
  },
  (t) => [uniqueIndex('assessment_answers_item').on(t.assessmentId, t.itemId)],
);

/** The KPI baseline recorded at the assessment, compared after the build. */
export const assessmentKpis = sqliteTable(
  'assessment_kpis',
  {
    ...synced,
    assessmentId: text('assessment_id')
      .notNull()
      .references(() => assessments.id),
    kpiId: text('kpi_id').notNull(),
    value: real('value'),
  },
  (t) => [uniqueIndex('assessment_kpis_kpi').on(t.assessmentId, t.kpiId)],
);

/** The mentors' drawn signatures, made when the assessment is finalised (same transaction). */
export const assessmentSignatures = sqliteTable(
  'assessment_signatures',
  {
    ...synced,
    assessmentId: text('assessment_id')
      .notNull()
      .references(() => assessments.id),
    role: text('role', { enum: ['process', 'ai'] }).notNull(),
    signerName: text('signer_name').notNull(),
    /** PNG, base64. */
    image: text('image').notNull(),
    signedAt: text('signed_at').notNull(),
  },
  (t) => [index('assessment_signatures_assessment').on(t.assessmentId)],
);

/** Follow-up actions for a company (from low answers of an assessment, or added by the mentors). */
export const actionItems = sqliteTable(
  'action_items',
  {
    ...synced,
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    assessmentId: text('assessment_id').references(() => assessments.id),
    itemId: text('item_id'),
    title: text('title').notNull(),
    /** Who on the company side owns it. */
    owner: text('owner').notNull().default(''),
    dueOn: text('due_on'),
    severity: text('severity', { enum: ['high', 'medium', 'low'] }).notNull(),
    status: text('status', { enum: ['open', 'done'] }).notNull().default('open'),
  },
  (t) => [index('action_items_org').on(t.orgId, t.status, t.dueOn)],
);

/** Files (photos, documents) stored once by content hash; the bytes live in the attachments folder. */
export const attachments = sqliteTable(
  'attachments',
  {
    ...synced,
    /**
     * Not unique: the bytes are stored once by this hash, but two laptops that add the same file offline make a
     * description each, and both arrive here (records of either may show it).
     */
    sha256: text('sha256').notNull(),
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    fileName: text('file_name').notNull(),
    /** Perceptual hash (64-bit dHash, hex) of an image, to find near-duplicate evidence photos; null when undecodable. */
    phash: text('phash'),
  },
  (t) => [index('attachments_sha256').on(t.sha256)],
);

/** Evidence photos attached to an assessment item. */
export const answerEvidence = sqliteTable(
  'answer_evidence',
  {
    ...synced,
    assessmentId: text('assessment_id')
      .notNull()
      .references(() => assessments.id),
    itemId: text('item_id').notNull(),
    attachmentId: text('attachment_id')
      .notNull()
      .references(() => attachments.id),
  },
  (t) => [index('answer_evidence_item').on(t.assessmentId, t.itemId)],
);

/** Photos taken on a visit (the factory floor, boards, screens), stored by content like all attachments. */
export const visitPhotos = sqliteTable(
  'visit_photos',
  {
    ...synced,
    visitId: text('visit_id')
      .notNull()
      .references(() => visits.id),
    attachmentId: text('attachment_id')
      .notNull()
      .references(() => attachments.id),
  },
  (t) => [index('visit_photos_visit').on(t.visitId)],
);

/**
 * A supplier capability diagnosis (기술 공급기업 역량진단) on the basic or in-depth track. Finalising stores the
 * result and locks it; a re-diagnosis is a new row, compared with the last one.
 */
export const diagnoses = sqliteTable(
  'diagnoses',
  {
    ...synced,
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    track: text('track', { enum: ['basic', 'in_depth'] }).notNull(),
    instrumentId: text('instrument_id').notNull(),
    instrumentVersion: integer('instrument_version').notNull(),
    consultantName: text('consultant_name').notNull(),
    diagnosedOn: text('diagnosed_on').notNull(),
    /** In-depth track: the mid-term strategy (중기 전략) written with the supplier. */
    strategy: text('strategy').notNull().default(''),
    result: text('result'),
    finalizedAt: text('finalized_at'),
    finalizedBy: text('finalized_by'),
    /** SHA-256 of the signed content (shared/sync/signing.ts), written just before the lock: the service checks it. */
    contentHash: text('content_hash'),
  },
  (t) => [index('diagnoses_org').on(t.orgId, t.diagnosedOn)],
);

export const diagnosisAnswers = sqliteTable(
  'diagnosis_answers',
  {
    ...synced,
    diagnosisId: text('diagnosis_id')
      .notNull()
      .references(() => diagnoses.id),
    itemId: text('item_id').notNull(),
    /** 1–5, null when cleared. */
    score: integer('score'),
    comment: text('comment').notNull().default(''),
  },
  (t) => [uniqueIndex('diagnosis_answers_item').on(t.diagnosisId, t.itemId)],
);

/** The consulting plan: what to improve, how and by when — generated from the weakest items, then edited. */
export const diagnosisPlanItems = sqliteTable(
  'diagnosis_plan_items',
  {
    ...synced,
    diagnosisId: text('diagnosis_id')
      .notNull()
      .references(() => diagnoses.id),
    itemId: text('item_id'),
    what: text('what').notNull(),
    how: text('how').notNull().default(''),
    dueOn: text('due_on'),
    position: integer('position').notNull().default(0),
  },
  (t) => [index('diagnosis_plan_items_diagnosis').on(t.diagnosisId, t.position)],
);

export const diagnosisSignatures = sqliteTable(
  'diagnosis_signatures',
  {
    ...synced,
    diagnosisId: text('diagnosis_id')
      .notNull()
      .references(() => diagnoses.id),
    role: text('role', { enum: ['consultant', 'supplier'] }).notNull(),
    signerName: text('signer_name').notNull(),
    image: text('image').notNull(),
    signedAt: text('signed_at').notNull(),
  },
  (t) => [index('diagnosis_signatures_diagnosis').on(t.diagnosisId)],
);

/**
 * A fraud finding against an organisation (부정수급 제재): excluded from the programme for five years from the
 * decision, with the amount clawed back; a second finding bars it for good (Two Strike Out).
 */
export const sanctions = sqliteTable(
  'sanctions',
  {
    ...synced,
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    kind: text('kind', { enum: ['payback', 'shoddy_build', 'inflated_labour', 'false_documents', 'other'] }).notNull(),
    foundOn: text('found_on').notNull(),
    decidedOn: text('decided_on').notNull(),
    decision: text('decision').notNull(),
    clawbackKrw: integer('clawback_krw'),
    projectRef: text('project_ref').notNull().default(''),
  },
  (t) => [index('sanctions_org').on(t.orgId, t.decidedOn)],
);

/** The supplier's public profile for the DX portal, as approved by a consultant (one row per approval). */
export const portalProfiles = sqliteTable(
  'portal_profiles',
  {
    ...synced,
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    diagnosisId: text('diagnosis_id').references(() => diagnoses.id),
    /** The profile JSON exactly as approved (what is exported). */
    profile: text('profile').notNull(),
    approvedBy: text('approved_by').notNull(),
    approvedAt: text('approved_at').notNull(),
  },
  (t) => [index('portal_profiles_org').on(t.orgId, t.approvedAt)],
);

/**
 * A company's smart-factory build (구축 과제): the programme, budget split, dates and suppliers. The 6-month
 * stabilisation period is the last six months of the project period; free after-service runs a year from
 * completion (both computed, see shared/domain/projects.ts).
 */
export const projects = sqliteTable(
  'projects',
  {
    ...synced,
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    programme: text('programme').notNull(),
    title: text('title').notNull(),
    startsOn: text('starts_on').notNull(),
    endsOn: text('ends_on').notNull(),
    contractOn: text('contract_on'),
    finalInspectionOn: text('final_inspection_on'),
    budgetGov: integer('budget_gov').notNull(),
    budgetCompany: integer('budget_company').notNull(),
    budgetLarge: integer('budget_large').notNull().default(0),
    /** Software labour billed (KRW) and the delivered scope (modules / screens accepted), for the labour-cost check. */
    swLabourKrw: integer('sw_labour_krw'),
    scopeUnits: integer('scope_units'),
    /** JSON {special, senior, intermediate, junior}: engineers billed and engineers declared as working, by grade. */
    gradesBilled: text('grades_billed').notNull().default('{}'),
    gradesDeclared: text('grades_declared').notNull().default('{}'),
    notes: text('notes').notNull().default(''),
  },
  (t) => [index('projects_org').on(t.orgId, t.startsOn)],
);

export const projectSuppliers = sqliteTable(
  'project_suppliers',
  {
    ...synced,
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id),
    supplierId: text('supplier_id')
      .notNull()
      .references(() => organizations.id),
  },
  (t) => [index('project_suppliers_project').on(t.projectId), index('project_suppliers_supplier').on(t.supplierId)],
);

/** The post-build check of a project; signing locks it and everything under it. */
export const postbuildChecks = sqliteTable(
  'postbuild_checks',
  {
    ...synced,
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id),
    instrumentId: text('instrument_id').notNull(),
    instrumentVersion: integer('instrument_version').notNull(),
    checkedOn: text('checked_on').notNull(),
    signerName: text('signer_name'),
    /** Drawn signature (PNG, base64). */
    signature: text('signature'),
    signedAt: text('signed_at'),
    /** SHA-256 of the signed content (shared/sync/signing.ts), written just before the lock: the service checks it. */
    contentHash: text('content_hash'),
  },
  (t) => [index('postbuild_checks_project').on(t.projectId, t.checkedOn)],
);

export const postbuildAnswers = sqliteTable(
  'postbuild_answers',
  {
    ...synced,
    checkId: text('check_id')
      .notNull()
      .references(() => postbuildChecks.id),
    itemId: text('item_id').notNull(),
    /** JSON of the answer. */
    value: text('value'),
    comment: text('comment').notNull().default(''),
  },
  (t) => [uniqueIndex('postbuild_answers_item').on(t.checkId, t.itemId)],
);

/** An imported MES/ERP log-in export or material in/out record file (once per file content). */
export const usageImports = sqliteTable(
  'usage_imports',
  {
    ...synced,
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id),
    kind: text('kind', { enum: ['login', 'material'] }).notNull(),
    fileName: text('file_name').notNull(),
    sha256: text('sha256').notNull(),
    rows: integer('rows').notNull(),
    skipped: integer('skipped').notNull(),
    fromDay: text('from_day'),
    toDay: text('to_day'),
  },
  (t) => [uniqueIndex('usage_imports_file').on(t.projectId, t.kind, t.sha256)],
);

/** Daily use from imports: distinct users (JSON array) and events per day and kind. */
export const usageDays = sqliteTable(
  'usage_days',
  {
    ...synced,
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id),
    kind: text('kind', { enum: ['login', 'material'] }).notNull(),
    day: text('day').notNull(),
    users: text('users').notNull().default('[]'),
    events: integer('events').notNull(),
  },
  (t) => [uniqueIndex('usage_days_day').on(t.projectId, t.kind, t.day)],
);

/** Photos and screenshots of what was built (for the check and the red-flag rules). */
export const projectPhotos = sqliteTable(
  'project_photos',
  {
    ...synced,
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id),
    attachmentId: text('attachment_id')
      .notNull()
      .references(() => attachments.id),
    caption: text('caption').notNull().default(''),
    /** When the photo says it was taken (EXIF DateTimeOriginal), if it says. */
    takenAt: text('taken_at'),
  },
  (t) => [index('project_photos_project').on(t.projectId)],
);

/** Documents submitted for the project: their own date and the date they were submitted. */
export const projectDocuments = sqliteTable(
  'project_documents',
  {
    ...synced,
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id),
    title: text('title').notNull(),
    datedOn: text('dated_on').notNull(),
    submittedOn: text('submitted_on').notNull(),
  },
  (t) => [index('project_documents_project').on(t.projectId)],
);

/** The mentor's finding on a red flag: a flag is a prompt to look, never a verdict. */
export const redFlagFindings = sqliteTable(
  'red_flag_findings',
  {
    ...synced,
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id),
    ruleId: text('rule_id').notNull(),
    status: text('status', { enum: ['cleared', 'confirmed'] }).notNull(),
    note: text('note').notNull(),
    recordedBy: text('recorded_by').notNull(),
  },
  (t) => [uniqueIndex('red_flag_findings_rule').on(t.projectId, t.ruleId)],
);

/** A private level confirmation (민간 수준확인) of a company's self-built factory; finalising (both assessors sign) locks it. */
export const levelConfirmations = sqliteTable(
  'level_confirmations',
  {
    ...synced,
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id),
    projectId: text('project_id').references(() => projects.id),
    instrumentId: text('instrument_id').notNull(),
    instrumentVersion: integer('instrument_version').notNull(),
    assessedOn: text('assessed_on').notNull(),
    result: text('result'),
    finalizedAt: text('finalized_at'),
    /** SHA-256 of the signed content (shared/sync/signing.ts), written just before the lock: the service checks it. */
    contentHash: text('content_hash'),
  },
  (t) => [index('level_confirmations_org').on(t.orgId, t.assessedOn)],
);

export const levelAnswers = sqliteTable(
  'level_answers',
  {
    ...synced,
    confirmationId: text('confirmation_id')
      .notNull()
      .references(() => levelConfirmations.id),
    areaId: text('area_id').notNull(),
    step: integer('step'),
    /** The evidence seen for this area. */
    evidence: text('evidence').notNull().default(''),
  },
  (t) => [uniqueIndex('level_answers_area').on(t.confirmationId, t.areaId)],
);

/** The assessor pair's drawn signatures (the lead and the second assessor). */
export const levelSignatures = sqliteTable(
  'level_signatures',
  {
    ...synced,
    confirmationId: text('confirmation_id')
      .notNull()
      .references(() => levelConfirmations.id),
    role: text('role', { enum: ['lead', 'second'] }).notNull(),
    signerName: text('signer_name').notNull(),
    image: text('image').notNull(),
    signedAt: text('signed_at').notNull(),
  },
  (t) => [index('level_signatures_confirmation').on(t.confirmationId)],
);

/**
 * An issued certificate (수준확인서): immutable from the moment it is issued. The number is sequential per
 * issuing office and year; `dataHash` is the SHA-256 of the certificate's canonical data (also in its QR code).
 */
export const certificates = sqliteTable(
  'certificates',
  {
    ...synced,
    confirmationId: text('confirmation_id')
      .notNull()
      .references(() => levelConfirmations.id),
    number: text('number').notNull().unique(),
    office: text('office').notNull(),
    year: integer('year').notNull(),
    seq: integer('seq').notNull(),
    issuedOn: text('issued_on').notNull(),
    validUntil: text('valid_until').notNull(),
    /** Canonical JSON of what the certificate states. */
    data: text('data').notNull(),
    dataHash: text('data_hash').notNull(),
    /** SHA-256 of the signed PDF as issued. */
    pdfSha256: text('pdf_sha256').notNull(),
    signerCert: text('signer_cert').notNull(),
    issuedAt: text('issued_at').notNull(),
  },
  (t) => [uniqueIndex('certificates_office_year_seq').on(t.office, t.year, t.seq)],
);

/** Revoking keeps the certificate; the revocation is its own record. */
export const certificateRevocations = sqliteTable(
  'certificate_revocations',
  {
    ...synced,
    certificateId: text('certificate_id')
      .notNull()
      .references(() => certificates.id),
    reason: text('reason').notNull(),
    revokedAt: text('revoked_at').notNull(),
  },
  (t) => [uniqueIndex('certificate_revocations_certificate').on(t.certificateId)],
);
