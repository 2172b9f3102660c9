/**
 * Visits and company DX assessments. Every answer is saved the moment it changes (autosave), as its own
 * row, so each answer is its own field in the change log: two mentors filling different sections on two
 * laptops merge per answer, and each answer's history is read back from the log. Finalising stores the
 * computed result with the instrument version and locks the assessment and its answers.
 */
import { contentHash } from './signing.ts';
import type Database from 'better-sqlite3';
import { AppError, notFound } from '#shared/contract/errors';
import { validationError } from '#shared/contract/validation';
import { answerSchema, findItem, getInstrument, latestInstrument } from '#shared/instruments/index';
import type { Answer, Answers, CompanyType, Instrument } from '#shared/instruments/types';
import { scoreAssessment, type AssessmentResult } from '#shared/scoring/assessment';
import { actionItems, answerEvidence, assessmentAnswers, assessmentKpis, assessmentSignatures, assessments, attachments, organizations, visitAttendees, visitPhotos, visits } from '#db/schema';
import type { AttachmentStore } from './attachments.ts';
import { actionsFromResult } from './action-items.ts';
import { saveCollection } from './collections.ts';
import type { MutationLayer, TableSpec, Tx } from './mutations.ts';

export interface VisitData {
  companyId: string;
  visitedOn: string;
  place: string;
  purpose: 'assessment' | 'consulting' | 'build_followup' | 'postbuild_check';
  notes: string;
  attendees: { id?: string | undefined; name: string; role: string }[];
}

export interface AssessmentView {
  id: string;
  companyId: string;
  companyName: string;
  visitId: string | null;
  instrumentId: string;
  instrumentVersion: number;
  createdAt: string;
  updatedAt: string;
  finalizedAt: string | null;
  supersedesId: string | null;
  typeOverride: CompanyType | null;
  overrideReason: string;
  answers: Record<string, { value: Answer | null; comment: string; updatedAt: string }>;
  kpis: Record<string, number | null>;
  /** Stored at finalisation; computed live while a draft. */
  result: AssessmentResult;
  /** The company's previous finalised assessment (T0) for before/after charts. */
  previous: { id: string; finalizedAt: string; result: AssessmentResult } | null;
  signatures: { role: 'process' | 'ai'; signerName: string; signedAt: string }[];
  /** Evidence photos per item. */
  evidence: Record<string, number>;
}

export interface SignatureData {
  role: 'process' | 'ai';
  name: string;
  png: string;
}

interface AssessmentRow {
  id: string;
  org_id: string;
  visit_id: string | null;
  instrument_id: string;
  instrument_version: number;
  result: string | null;
  type_override: CompanyType | null;
  override_reason: string;
  supersedes_id: string | null;
  finalized_at: string | null;
  created_at: string;
  updated_at: string;
}

export class AssessmentService {
  constructor(
    private readonly sqlite: Database.Database,
    private readonly mutations: MutationLayer,
    private readonly userId: () => string,
    private readonly language: () => 'ko' | 'en' = () => 'ko',
    private readonly onFinalize?: (tx: Tx, orgId: string, assessmentId: string, actions: ReturnType<typeof actionsFromResult>) => void,
    private readonly files?: AttachmentStore,
  ) {}

  // ---- evidence photos ----

  addEvidence(assessmentId: string, itemId: string, fileName: string, bytes: Buffer): string {
    const row = this.row(assessmentId);
    if (!findItem(this.instrumentOf(row), itemId)) throw new AppError({ code: 'validation', messageKey: 'errors.validation', fields: { itemId: { key: 'validation.choice' } } });
    if (!this.files) throw new AppError({ code: 'internal', messageKey: 'errors.internal' });
    const files = this.files;
    return this.mutations.transaction((tx) => {
      if (row.finalized_at) throw new AppError({ code: 'locked', messageKey: 'errors.locked' });
      const attachmentId = files.put(tx, bytes, fileName);
      return tx.insert(answerEvidence, { assessmentId, itemId, attachmentId });
    });
  }

  listEvidence(assessmentId: string) {
    return (
      this.sqlite
        .prepare(
          `SELECT e.id, e.item_id, a.id AS attachment_id, a.file_name, a.mime, a.size, a.sha256, e.created_at
           FROM answer_evidence e JOIN attachments a ON a.id = e.attachment_id
           WHERE e.assessment_id = ? AND e.deleted_at IS NULL ORDER BY e.created_at, e.id`,
        )
        .all(assessmentId) as { id: string; item_id: string; attachment_id: string; file_name: string; mime: string; size: number; sha256: string; created_at: string }[]
    ).map((r) => ({ id: r.id, itemId: r.item_id, attachmentId: r.attachment_id, fileName: r.file_name, mime: r.mime, size: r.size, sha256: r.sha256, createdAt: r.created_at }));
  }

  evidenceImage(id: string): { mime: string; data: string } {
    const r = this.sqlite
      .prepare('SELECT a.mime, a.sha256 FROM answer_evidence e JOIN attachments a ON a.id = e.attachment_id WHERE e.id = ?')
      .get(id) as { mime: string; sha256: string } | undefined;
    if (!r || !this.files) throw notFound('evidence');
    return { mime: r.mime, data: this.files.read(r.sha256).toString('base64') };
  }

  removeEvidence(id: string): void {
    this.mutations.transaction((tx) => {
      tx.archive(answerEvidence, id);
    });
  }

  // ---- visits ----

  createVisit(data: VisitData): string {
    return this.mutations.transaction((tx) => {
      this.requireActiveCompany(tx, data.companyId);
      const [pair] = tx.all('SELECT pair_id FROM pair_assignments WHERE org_id = ? AND deleted_at IS NULL', [data.companyId]) as { pair_id: string }[];
      const id = tx.insert(visits, {
        orgId: data.companyId,
        pairId: pair?.pair_id ?? null,
        visitedOn: data.visitedOn,
        place: data.place,
        purpose: data.purpose,
        notes: data.notes,
      });
      saveCollection(tx, visitAttendees, { column: 'visit_id', prop: 'visitId', id }, data.attendees, (a) => ({ name: a.name, role: a.role }));
      return id;
    });
  }

  addVisitPhoto(visitId: string, fileName: string, bytes: Buffer): string {
    const files = this.files;
    if (!files) throw new AppError({ code: 'internal', messageKey: 'errors.internal' });
    return this.mutations.transaction((tx) => {
      const visit = tx.get(visits, visitId);
      if (!visit || visit.deleted_at !== null) throw notFound('visit');
      return tx.insert(visitPhotos, { visitId, attachmentId: files.put(tx, bytes, fileName) });
    });
  }

  visitPhotos(visitId: string) {
    return (
      this.sqlite
        .prepare(
          `SELECT p.id, a.file_name, a.mime, a.sha256 FROM visit_photos p JOIN attachments a ON a.id = p.attachment_id
           WHERE p.visit_id = ? AND p.deleted_at IS NULL ORDER BY p.created_at, p.id`,
        )
        .all(visitId) as { id: string; file_name: string; mime: string; sha256: string }[]
    ).map((r) => ({ id: r.id, fileName: r.file_name, mime: r.mime, sha256: r.sha256 }));
  }

  visitPhoto(id: string): { mime: string; data: string } {
    const r = this.sqlite.prepare('SELECT a.mime, a.sha256 FROM visit_photos p JOIN attachments a ON a.id = p.attachment_id WHERE p.id = ?').get(id) as
      | { mime: string; sha256: string }
      | undefined;
    if (!r || !this.files) throw notFound('photo');
    return { mime: r.mime, data: this.files.read(r.sha256).toString('base64') };
  }

  listVisits(companyId: string) {
    const rows = this.sqlite
      .prepare(
        `SELECT v.id, v.visited_on, v.place, v.purpose, v.notes, v.pair_id,
                (SELECT group_concat(a.name, ', ') FROM visit_attendees a WHERE a.visit_id = v.id AND a.deleted_at IS NULL) AS attendees,
                (SELECT count(*) FROM visit_photos p WHERE p.visit_id = v.id AND p.deleted_at IS NULL) AS photos
         FROM visits v WHERE v.org_id = ? AND v.deleted_at IS NULL ORDER BY v.visited_on DESC, v.created_at DESC`,
      )
      .all(companyId) as { id: string; visited_on: string; place: string; purpose: VisitData['purpose']; notes: string; pair_id: string | null; attendees: string | null; photos: number }[];
    return rows.map((r) => ({ id: r.id, visitedOn: r.visited_on, place: r.place, purpose: r.purpose, notes: r.notes, pairId: r.pair_id, attendees: r.attendees ?? '', photos: r.photos }));
  }

  // ---- assessments ----

  create(companyId: string, visitId: string | null, instrumentId: string): string {
    const instrument = latestInstrument(instrumentId);
    if (!instrument) throw new AppError({ code: 'validation', messageKey: 'errors.validation', fields: { instrumentId: { key: 'validation.choice' } } });
    return this.mutations.transaction((tx) => {
      this.requireActiveCompany(tx, companyId);
      if (visitId && !tx.get(visits, visitId)) throw notFound('visit');
      const id = tx.insert(assessments, { orgId: companyId, visitId, instrumentId: instrument.id, instrumentVersion: instrument.version });
      // Investment capacity starts from the company record (editable like any answer).
      for (const [itemId, value] of Object.entries(this.fromFinancials(tx, companyId))) {
        if (findItem(instrument, itemId)) tx.insert(assessmentAnswers, { assessmentId: id, itemId, value: JSON.stringify(value) });
      }
      return id;
    });
  }

  /** Revenue, operating margin and growth from the two latest fiscal years on record. */
  private fromFinancials(tx: Tx, companyId: string): Record<string, number> {
    const years = tx.all(
      'SELECT fiscal_year, revenue, operating_profit FROM financials WHERE org_id = ? AND deleted_at IS NULL ORDER BY fiscal_year DESC LIMIT 2',
      [companyId],
    ) as { fiscal_year: number; revenue: number | null; operating_profit: number | null }[];
    const [last, previous] = years;
    const out: Record<string, number> = {};
    if (last?.revenue != null) {
      out.inv_revenue = last.revenue;
      if (last.operating_profit != null && last.revenue > 0) out.inv_margin = Math.round((last.operating_profit / last.revenue) * 1000) / 10;
      if (previous?.revenue && previous.fiscal_year === last.fiscal_year - 1) {
        out.inv_growth = Math.round(((last.revenue - previous.revenue) / previous.revenue) * 1000) / 10;
      }
    }
    return out;
  }

  get(id: string): AssessmentView {
    const row = this.row(id);
    const instrument = this.instrumentOf(row);
    const answers: AssessmentView['answers'] = {};
    for (const a of this.sqlite
      .prepare('SELECT item_id, value, comment, updated_at FROM assessment_answers WHERE assessment_id = ? AND deleted_at IS NULL')
      .all(id) as { item_id: string; value: string | null; comment: string; updated_at: string }[]) {
      answers[a.item_id] = { value: a.value === null ? null : (JSON.parse(a.value) as Answer), comment: a.comment, updatedAt: a.updated_at };
    }
    const kpis: Record<string, number | null> = {};
    for (const k of this.sqlite.prepare('SELECT kpi_id, value FROM assessment_kpis WHERE assessment_id = ? AND deleted_at IS NULL').all(id) as { kpi_id: string; value: number | null }[]) {
      kpis[k.kpi_id] = k.value;
    }
    const company = this.sqlite.prepare('SELECT name FROM organizations WHERE id = ?').get(row.org_id) as { name: string };
    const values: Answers = Object.fromEntries(Object.entries(answers).map(([k, v]) => [k, v.value]));
    return {
      id: row.id,
      companyId: row.org_id,
      companyName: company.name,
      visitId: row.visit_id,
      instrumentId: row.instrument_id,
      instrumentVersion: row.instrument_version,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      finalizedAt: row.finalized_at,
      supersedesId: row.supersedes_id,
      typeOverride: row.type_override,
      overrideReason: row.override_reason,
      answers,
      kpis,
      result: row.result ? (JSON.parse(row.result) as AssessmentResult) : scoreAssessment(instrument, values),
      previous: this.previousOf(row),
      signatures: (
        this.sqlite
          .prepare("SELECT role, signer_name, signed_at FROM assessment_signatures WHERE assessment_id = ? AND deleted_at IS NULL ORDER BY CASE role WHEN 'process' THEN 0 ELSE 1 END")
          .all(id) as { role: 'process' | 'ai'; signer_name: string; signed_at: string }[]
      ).map((r) => ({ role: r.role, signerName: r.signer_name, signedAt: r.signed_at })),
      evidence: Object.fromEntries(
        (this.sqlite.prepare('SELECT item_id, count(*) AS n FROM answer_evidence WHERE assessment_id = ? AND deleted_at IS NULL GROUP BY item_id').all(id) as { item_id: string; n: number }[]).map((r) => [r.item_id, r.n]),
      ),
    };
  }

  /**
   * Where the company stands among peers of the same industry (KSIC division) and size band, by the latest
   * finalised assessment of each peer. Shown only with at least {@link MIN_PEERS} peers.
   */
  peers(id: string): { division: string; band: string; peerCount: number; minPeers: number; dimensions: { id: string; percentile: number }[] | null } {
    const view = this.get(id);
    const company = this.sqlite.prepare('SELECT ksic_code, employees FROM organizations WHERE id = ?').get(view.companyId) as { ksic_code: string; employees: number | null };
    const band = sizeBand(company.employees);
    const division = company.ksic_code.slice(0, 2);
    const rows = this.sqlite
      .prepare(
        `SELECT o.employees, a.result FROM assessments a JOIN organizations o ON o.id = a.org_id
         WHERE a.org_id <> ? AND o.deleted_at IS NULL AND a.deleted_at IS NULL AND a.finalized_at IS NOT NULL
           AND a.instrument_id = ? AND substr(o.ksic_code, 1, 2) = ?
           AND a.finalized_at = (SELECT max(b.finalized_at) FROM assessments b WHERE b.org_id = a.org_id AND b.deleted_at IS NULL AND b.finalized_at IS NOT NULL)`,
      )
      .all(view.companyId, view.instrumentId, division) as { employees: number | null; result: string }[];
    const peers = rows.filter((r) => sizeBand(r.employees) === band).map((r) => JSON.parse(r.result) as AssessmentResult);
    if (peers.length < MIN_PEERS) return { division, band, peerCount: peers.length, minPeers: MIN_PEERS, dimensions: null };
    const dimensions = view.result.dimensions
      .filter((d) => d.score !== null)
      .map((d) => {
        const scores = peers.map((p) => p.dimensions.find((x) => x.id === d.id)?.score).filter((x): x is number => x !== null && x !== undefined);
        const below = scores.filter((x) => x < (d.score as number)).length;
        const equal = scores.filter((x) => x === d.score).length;
        return { id: d.id, percentile: scores.length ? Math.round(((below + equal / 2) / scores.length) * 100) : 50 };
      });
    return { division, band, peerCount: peers.length, minPeers: MIN_PEERS, dimensions };
  }

  /** Signature images for the report. */
  signatureImages(id: string): Map<'process' | 'ai', Buffer> {
    const rows = this.sqlite.prepare('SELECT role, image FROM assessment_signatures WHERE assessment_id = ? AND deleted_at IS NULL').all(id) as { role: 'process' | 'ai'; image: string }[];
    return new Map(rows.map((r) => [r.role, Buffer.from(r.image, 'base64')]));
  }

  private previousOf(row: AssessmentRow): AssessmentView['previous'] {
    const prev = this.sqlite
      .prepare(
        `SELECT id, finalized_at, result FROM assessments
         WHERE org_id = ? AND id <> ? AND deleted_at IS NULL AND finalized_at IS NOT NULL AND instrument_id = ? AND created_at < ?
         ORDER BY finalized_at DESC LIMIT 1`,
      )
      .get(row.org_id, row.id, row.instrument_id, row.created_at) as { id: string; finalized_at: string; result: string } | undefined;
    return prev ? { id: prev.id, finalizedAt: prev.finalized_at, result: JSON.parse(prev.result) as AssessmentResult } : null;
  }

  listForCompany(companyId: string) {
    return (
      this.sqlite
        .prepare('SELECT id FROM assessments WHERE org_id = ? AND deleted_at IS NULL ORDER BY created_at DESC')
        .all(companyId) as { id: string }[]
    ).map(({ id }) => {
      const a = this.get(id);
      return {
        id,
        createdAt: a.createdAt,
        finalizedAt: a.finalizedAt,
        instrumentVersion: a.instrumentVersion,
        supersedesId: a.supersedesId,
        capability: a.result.capability,
        investment: a.result.investment,
        type: a.typeOverride ?? a.result.type,
        complete: a.result.complete,
      };
    });
  }

  listRecent(limit: number) {
    // An assessment changes when any of its answers does.
    const ids = this.sqlite
      .prepare(
        `SELECT a.id FROM assessments a WHERE a.deleted_at IS NULL
         ORDER BY max(a.updated_at, coalesce((SELECT max(x.updated_at) FROM assessment_answers x WHERE x.assessment_id = a.id), '')) DESC
         LIMIT ?`,
      )
      .all(limit) as { id: string }[];
    return ids.map(({ id }) => {
      const a = this.get(id);
      return {
        id,
        companyId: a.companyId,
        companyName: a.companyName,
        updatedAt: a.updatedAt,
        finalizedAt: a.finalizedAt,
        type: a.typeOverride ?? a.result.type,
        complete: a.result.complete,
        capability: a.result.capability,
        investment: a.result.investment,
      };
    });
  }

  /** Autosave of one answer (and/or its comment). Invalid values are refused with a field error. */
  saveAnswer(assessmentId: string, itemId: string, value: unknown, comment: string | undefined): AssessmentResult {
    const row = this.row(assessmentId);
    const instrument = this.instrumentOf(row);
    const item = findItem(instrument, itemId);
    if (!item) throw new AppError({ code: 'validation', messageKey: 'errors.validation', fields: { itemId: { key: 'validation.choice' } } });
    const parsed = answerSchema(item).safeParse(value === undefined ? null : value, { reportInput: true });
    if (!parsed.success) {
      const err = validationError(parsed.error);
      throw new AppError({ ...err, fields: { value: Object.values(err.fields ?? {})[0] ?? { key: 'validation.invalid' } } });
    }
    this.mutations.transaction((tx) => {
      const [existing] = tx.all('SELECT id FROM assessment_answers WHERE assessment_id = ? AND item_id = ?', [assessmentId, itemId]) as { id: string }[];
      const fields = { value: parsed.data === null ? null : JSON.stringify(parsed.data), ...(comment === undefined ? {} : { comment }) };
      if (existing) tx.update(assessmentAnswers, existing.id, fields);
      else tx.insert(assessmentAnswers, { assessmentId, itemId, ...fields });
    });
    return this.get(assessmentId).result;
  }

  saveKpi(assessmentId: string, kpiId: string, value: number | null): void {
    this.mutations.transaction((tx) => {
      const [existing] = tx.all('SELECT id FROM assessment_kpis WHERE assessment_id = ? AND kpi_id = ?', [assessmentId, kpiId]) as { id: string }[];
      if (existing) tx.update(assessmentKpis, existing.id, { value });
      else tx.insert(assessmentKpis, { assessmentId, kpiId, value });
    });
  }

  setOverride(assessmentId: string, type: CompanyType | null, reason: string): void {
    this.mutations.transaction((tx) => {
      tx.update(assessments, assessmentId, { typeOverride: type, overrideReason: type === null ? '' : reason });
    });
  }

  /** Old and new value, who and when, for one item's answer and comment — read from the change log. */
  history(assessmentId: string, itemId: string) {
    const answer = this.sqlite.prepare('SELECT id FROM assessment_answers WHERE assessment_id = ? AND item_id = ?').get(assessmentId, itemId) as { id: string } | undefined;
    if (!answer) return [];
    const entries = this.sqlite
      .prepare(`SELECT field, value, hlc, user_id, device_id FROM change_log WHERE tbl = 'assessment_answers' AND row_id = ? AND field IN ('value', 'comment') ORDER BY hlc`)
      .all(answer.id) as { field: 'value' | 'comment'; value: string | null; hlc: string; user_id: string; device_id: string }[];
    const last = new Map<string, unknown>();
    const decode = (field: string, v: string | null): unknown => {
      if (v === null) return null;
      const stored = JSON.parse(v) as unknown;
      // `value` holds the answer as JSON text inside the logged column value.
      return field === 'value' && typeof stored === 'string' ? (JSON.parse(stored) as unknown) : stored;
    };
    return entries.map((e) => {
      const newValue = decode(e.field, e.value);
      const oldValue = last.has(e.field) ? last.get(e.field) : null;
      last.set(e.field, newValue);
      return { field: e.field, oldValue, newValue, at: e.hlc.slice(0, 24), userId: e.user_id, deviceId: e.device_id };
    });
  }

  /** Stores the result with the instrument version and the signatures, and locks the assessment and its answers. */
  finalize(id: string, signatures: SignatureData[] = []): AssessmentResult {
    const view = this.get(id);
    if (view.finalizedAt) throw new AppError({ code: 'locked', messageKey: 'errors.locked' });
    if (!view.result.complete) {
      throw new AppError({
        code: 'validation',
        messageKey: 'errors.assessment.incomplete',
        params: { count: view.result.missingRequired.length },
        fields: Object.fromEntries(view.result.missingRequired.map((itemId) => [itemId, { key: 'validation.required' }])),
      });
    }
    const now = new Date().toISOString();
    this.mutations.transaction((tx) => {
      // Signatures first: once finalised, the assessment and everything under it are locked.
      for (const sig of signatures) tx.insert(assessmentSignatures, { assessmentId: id, role: sig.role, signerName: sig.name, image: sig.png, signedAt: now });
      tx.update(assessments, id, { result: JSON.stringify(view.result), finalizedBy: this.userId() });
      // The content hash goes just before the lock: the service accepts the lock only if its state matches.
      tx.update(assessments, id, { contentHash: contentHash(this.sqlite, 'assessments', id) });
      tx.update(assessments, id, { finalizedAt: now });
      // The weakest answers become the company's follow-up actions.
      const instrument = getInstrument(view.instrumentId, view.instrumentVersion);
      if (instrument && this.onFinalize) this.onFinalize(tx, view.companyId, id, actionsFromResult(instrument, view.result, this.language(), new Date(now)));
    });
    return view.result;
  }

  /** A correction of a finalised assessment: a new draft with the same answers, pointing at the old one. */
  revise(id: string): string {
    const old = this.get(id);
    if (!old.finalizedAt) throw new AppError({ code: 'conflict', messageKey: 'errors.assessment.notFinal' });
    return this.mutations.transaction((tx) => {
      const newId = tx.insert(assessments, {
        orgId: old.companyId,
        visitId: old.visitId,
        instrumentId: old.instrumentId,
        instrumentVersion: old.instrumentVersion,
        supersedesId: old.id,
        typeOverride: old.typeOverride,
        overrideReason: old.overrideReason,
      });
      for (const [itemId, a] of Object.entries(old.answers)) {
        tx.insert(assessmentAnswers, { assessmentId: newId, itemId, value: a.value === null ? null : JSON.stringify(a.value), comment: a.comment });
      }
      for (const [kpiId, value] of Object.entries(old.kpis)) tx.insert(assessmentKpis, { assessmentId: newId, kpiId, value });
      return newId;
    });
  }

  private row(id: string): AssessmentRow {
    const row = this.sqlite.prepare('SELECT * FROM assessments WHERE id = ? AND deleted_at IS NULL').get(id) as AssessmentRow | undefined;
    if (!row) throw notFound('assessment');
    return row;
  }

  private instrumentOf(row: AssessmentRow): Instrument {
    const instrument = getInstrument(row.instrument_id, row.instrument_version);
    if (!instrument) throw new AppError({ code: 'internal', messageKey: 'errors.assessment.unknownInstrument', params: { id: row.instrument_id, version: row.instrument_version } });
    return instrument;
  }

  private requireActiveCompany(tx: Tx, companyId: string): void {
    const org = tx.get(organizations, companyId);
    if (!org || org.kind !== 'company') throw notFound('company');
    if (org.deleted_at !== null) throw new AppError({ code: 'conflict', messageKey: 'errors.archived' });
  }
}

/** Fewer peers than this would identify them (and mean little): no comparison is shown. */
export const MIN_PEERS = 5;

/** Size bands by employees, as SME statistics group them. */
export function sizeBand(employees: number | null): string {
  if (employees === null) return 'unknown';
  if (employees < 10) return '1-9';
  if (employees < 50) return '10-49';
  if (employees < 100) return '50-99';
  if (employees < 300) return '100-299';
  return '300+';
}

/** The assessment tables as the mutation layer must know them (locks included). */
export const ASSESSMENT_TABLES: TableSpec[] = [
  { table: visits },
  { table: visitAttendees },
  { table: assessments, lockColumn: 'finalizedAt' },
  { table: assessmentAnswers, parent: { column: 'assessmentId', table: assessments }, naturalKey: ['assessmentId', 'itemId'] },
  { table: assessmentKpis, parent: { column: 'assessmentId', table: assessments }, naturalKey: ['assessmentId', 'kpiId'] },
  { table: assessmentSignatures, parent: { column: 'assessmentId', table: assessments } },
  { table: actionItems },
  { table: attachments },
  { table: answerEvidence, parent: { column: 'assessmentId', table: assessments } },
  { table: visitPhotos },
];

