/**
 * Supplier capability diagnoses (기술 공급기업 역량진단). Each score is saved the moment it changes, as its own
 * row (so two consultants' edits merge per item); the consulting plan is a collection of rows the
 * consultant edits; finalising stores the result with the instrument version and the drawn signatures and
 * locks the diagnosis, its scores, its plan and its signatures.
 */
import { contentHash } from './signing.ts';
import type Database from 'better-sqlite3';
import { AppError, notFound } from '#shared/contract/errors';
import { getDiagnosisInstrument, latestDiagnosisInstrument } from '#shared/instruments/index';
import type { DiagnosisInstrument } from '#shared/instruments/diagnosis-types';
import { scoreDiagnosis, suggestPlan, type DiagnosisResult, type Track } from '#shared/scoring/diagnosis';
import { diagnoses, diagnosisAnswers, diagnosisPlanItems, diagnosisSignatures, organizations } from '#db/schema';
import { saveCollection } from './collections.ts';
import type { MutationLayer, TableSpec, Tx } from './mutations.ts';

export interface DiagnosisHeader {
  track: Track;
  consultantName: string;
  diagnosedOn: string;
  strategy: string;
}

export interface PlanItem {
  id?: string | undefined;
  itemId: string | null;
  what: string;
  how: string;
  dueOn: string | null;
}

export interface DiagnosisView extends DiagnosisHeader {
  id: string;
  supplierId: string;
  supplierName: string;
  instrumentId: string;
  instrumentVersion: number;
  createdAt: string;
  updatedAt: string;
  finalizedAt: string | null;
  answers: Record<string, { score: number | null; comment: string }>;
  result: DiagnosisResult;
  plan: (PlanItem & { id: string })[];
  signatures: { role: 'consultant' | 'supplier'; signerName: string; signedAt: string }[];
  /** The supplier's previous finalised diagnosis, for the re-diagnosis comparison. */
  previous: { id: string; diagnosedOn: string; consultantName: string; result: DiagnosisResult; scores: Record<string, number | null> } | null;
}

export interface DiagnosisSignature {
  role: 'consultant' | 'supplier';
  name: string;
  png: string;
}

interface Row {
  id: string;
  org_id: string;
  track: Track;
  instrument_id: string;
  instrument_version: number;
  consultant_name: string;
  diagnosed_on: string;
  strategy: string;
  result: string | null;
  finalized_at: string | null;
  created_at: string;
  updated_at: string;
}

export class DiagnosisService {
  constructor(
    private readonly sqlite: Database.Database,
    private readonly mutations: MutationLayer,
    private readonly userId: () => string,
    private readonly language: () => 'ko' | 'en' = () => 'ko',
  ) {}

  create(supplierId: string, header: DiagnosisHeader): string {
    const instrument = latestDiagnosisInstrument();
    return this.mutations.transaction((tx) => {
      const org = tx.get(organizations, supplierId);
      if (!org || org.kind !== 'supplier') throw notFound('supplier');
      if (org.deleted_at !== null) throw new AppError({ code: 'conflict', messageKey: 'errors.archived' });
      return tx.insert(diagnoses, { orgId: supplierId, instrumentId: instrument.id, instrumentVersion: instrument.version, ...header });
    });
  }

  updateHeader(id: string, header: DiagnosisHeader): void {
    this.row(id);
    this.mutations.transaction((tx) => {
      tx.update(diagnoses, id, { ...header });
    });
  }

  get(id: string): DiagnosisView {
    const row = this.row(id);
    const instrument = this.instrumentOf(row);
    const answers = this.answersOf(id);
    const scores = Object.fromEntries(Object.entries(answers).map(([k, v]) => [k, v.score]));
    const supplier = this.sqlite.prepare('SELECT name FROM organizations WHERE id = ?').get(row.org_id) as { name: string };
    return {
      id: row.id,
      supplierId: row.org_id,
      supplierName: supplier.name,
      track: row.track,
      instrumentId: row.instrument_id,
      instrumentVersion: row.instrument_version,
      consultantName: row.consultant_name,
      diagnosedOn: row.diagnosed_on,
      strategy: row.strategy,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      finalizedAt: row.finalized_at,
      answers,
      result: row.result ? (JSON.parse(row.result) as DiagnosisResult) : scoreDiagnosis(instrument, scores, row.track),
      plan: (
        this.sqlite
          .prepare('SELECT id, item_id, what, how, due_on FROM diagnosis_plan_items WHERE diagnosis_id = ? AND deleted_at IS NULL ORDER BY position, created_at, id')
          .all(id) as { id: string; item_id: string | null; what: string; how: string; due_on: string | null }[]
      ).map((p) => ({ id: p.id, itemId: p.item_id, what: p.what, how: p.how, dueOn: p.due_on })),
      signatures: (
        this.sqlite
          .prepare("SELECT role, signer_name, signed_at FROM diagnosis_signatures WHERE diagnosis_id = ? AND deleted_at IS NULL ORDER BY CASE role WHEN 'consultant' THEN 0 ELSE 1 END")
          .all(id) as { role: 'consultant' | 'supplier'; signer_name: string; signed_at: string }[]
      ).map((s) => ({ role: s.role, signerName: s.signer_name, signedAt: s.signed_at })),
      previous: this.previousOf(row),
    };
  }

  private answersOf(id: string): DiagnosisView['answers'] {
    const out: DiagnosisView['answers'] = {};
    for (const a of this.sqlite.prepare('SELECT item_id, score, comment FROM diagnosis_answers WHERE diagnosis_id = ? AND deleted_at IS NULL').all(id) as {
      item_id: string;
      score: number | null;
      comment: string;
    }[]) {
      out[a.item_id] = { score: a.score, comment: a.comment };
    }
    return out;
  }

  private previousOf(row: Row): DiagnosisView['previous'] {
    const prev = this.sqlite
      .prepare(
        `SELECT id, diagnosed_on, consultant_name, result FROM diagnoses
         WHERE org_id = ? AND id <> ? AND deleted_at IS NULL AND finalized_at IS NOT NULL AND (diagnosed_on < ? OR (diagnosed_on = ? AND created_at < ?))
         ORDER BY diagnosed_on DESC, created_at DESC LIMIT 1`,
      )
      .get(row.org_id, row.id, row.diagnosed_on, row.diagnosed_on, row.created_at) as { id: string; diagnosed_on: string; consultant_name: string; result: string } | undefined;
    if (!prev) return null;
    const scores = Object.fromEntries(Object.entries(this.answersOf(prev.id)).map(([k, v]) => [k, v.score]));
    return { id: prev.id, diagnosedOn: prev.diagnosed_on, consultantName: prev.consultant_name, result: JSON.parse(prev.result) as DiagnosisResult, scores };
  }

  listForSupplier(supplierId: string) {
    return (
      this.sqlite
        .prepare('SELECT id FROM diagnoses WHERE org_id = ? AND deleted_at IS NULL ORDER BY diagnosed_on DESC, created_at DESC')
        .all(supplierId) as { id: string }[]
    ).map(({ id }) => {
      const d = this.get(id);
      return {
        id,
        track: d.track,
        consultantName: d.consultantName,
        diagnosedOn: d.diagnosedOn,
        finalizedAt: d.finalizedAt,
        points: d.result.points,
        grade: d.result.grade.label,
        excellent: d.result.grade.excellent === true,
        complete: d.result.complete,
      };
    });
  }

  /** Autosave of one item's score (1–5, or null to clear) and/or comment; returns the live result. */
  saveAnswer(id: string, itemId: string, score: number | null | undefined, comment: string | undefined): DiagnosisResult {
    const row = this.row(id);
    const instrument = this.instrumentOf(row);
    const item = instrument.items.find((i) => i.id === itemId);
    if (!item || (item.inDepthOnly && row.track !== 'in_depth')) throw new AppError({ code: 'validation', messageKey: 'errors.validation', fields: { itemId: { key: 'validation.choice' } } });
    this.mutations.transaction((tx) => {
      const [existing] = tx.all('SELECT id FROM diagnosis_answers WHERE diagnosis_id = ? AND item_id = ?', [id, itemId]) as { id: string }[];
      const fields = { ...(score === undefined ? {} : { score }), ...(comment === undefined ? {} : { comment }) };
      if (existing) tx.update(diagnosisAnswers, existing.id, fields);
      else tx.insert(diagnosisAnswers, { diagnosisId: id, itemId, ...fields });
    });
    return this.get(id).result;
  }

  /** Saves the edited consulting plan as a whole (rows keep their ids, so edits on two laptops merge). */
  savePlan(id: string, plan: PlanItem[]): void {
    const row = this.row(id);
    const instrument = this.instrumentOf(row);
    this.checkPlanItems(instrument, plan);
    this.mutations.transaction((tx) => {
      this.requireDraft(tx, id);
      saveCollection(tx, diagnosisPlanItems, { column: 'diagnosis_id', prop: 'diagnosisId', id }, plan.map((p, position) => ({ ...p, position })), (p) => ({
        itemId: p.itemId,
        what: p.what,
        how: p.how,
        dueOn: p.dueOn,
        position: p.position,
      }));
    });
  }

  /** Adds the suggested steps for the weakest items not already in the plan. */
  suggestPlan(id: string): number {
    const view = this.get(id);
    const instrument = this.instrumentOf(this.row(id));
    const scores = Object.fromEntries(Object.entries(view.answers).map(([k, v]) => [k, v.score]));
    const have = new Set(view.plan.map((p) => p.itemId));
    const added = suggestPlan(instrument, view.result, scores, this.language(), view.diagnosedOn).filter((s) => !have.has(s.itemId));
    this.savePlan(id, [...view.plan, ...added]);
    return added.length;
  }

  private checkPlanItems(instrument: DiagnosisInstrument, plan: PlanItem[]): void {
    const ids = new Set(instrument.items.map((i) => i.id));
    const bad = plan.findIndex((p) => p.itemId !== null && !ids.has(p.itemId));
    if (bad >= 0) throw new AppError({ code: 'validation', messageKey: 'errors.validation', fields: { [`plan.${bad}.itemId`]: { key: 'validation.choice' } } });
  }

  /**
   * Locks the diagnosis with its result and signatures. Every item of the track must be scored; the
   * in-depth track also needs its consulting plan and mid-term strategy.
   */
  finalize(id: string, signatures: DiagnosisSignature[]): DiagnosisResult {
    const view = this.get(id);
    if (view.finalizedAt) throw new AppError({ code: 'locked', messageKey: 'errors.locked' });
    if (!view.result.complete) {
      throw new AppError({
        code: 'validation',
        messageKey: 'errors.diagnosis.incomplete',
        params: { count: view.result.missing.length },
        fields: Object.fromEntries(view.result.missing.map((itemId) => [itemId, { key: 'validation.required' }])),
      });
    }
    if (view.track === 'in_depth' && (view.plan.length === 0 || view.strategy.trim().length === 0)) {
      throw new AppError({
        code: 'validation',
        messageKey: 'errors.diagnosis.inDepthNeedsPlan',
        fields: { ...(view.plan.length === 0 ? { plan: { key: 'validation.required' } } : {}), ...(view.strategy.trim() ? {} : { strategy: { key: 'validation.required' } }) },
      });
    }
    if (!signatures.some((s) => s.role === 'consultant')) {
      throw new AppError({ code: 'validation', messageKey: 'errors.diagnosis.consultantSignature', fields: { consultant: { key: 'validation.required' } } });
    }
    const now = new Date().toISOString();
    this.mutations.transaction((tx) => {
      for (const sig of signatures) tx.insert(diagnosisSignatures, { diagnosisId: id, role: sig.role, signerName: sig.name, image: sig.png, signedAt: now });
      tx.update(diagnoses, id, { result: JSON.stringify(view.result), finalizedBy: this.userId() });
      tx.update(diagnoses, id, { contentHash: contentHash(this.sqlite, 'diagnoses', id) });
      tx.update(diagnoses, id, { finalizedAt: now });
    });
    return view.result;
  }

  signatureImages(id: string): Map<'consultant' | 'supplier', Buffer> {
    const rows = this.sqlite.prepare('SELECT role, image FROM diagnosis_signatures WHERE diagnosis_id = ? AND deleted_at IS NULL').all(id) as { role: 'consultant' | 'supplier'; image: string }[];
    return new Map(rows.map((r) => [r.role, Buffer.from(r.image, 'base64')]));
  }

  /** The supplier's latest finalised diagnosis (its level), or null. */
  latestFinal(supplierId: string): DiagnosisView | null {
    const r = this.sqlite
      .prepare('SELECT id FROM diagnoses WHERE org_id = ? AND deleted_at IS NULL AND finalized_at IS NOT NULL ORDER BY diagnosed_on DESC, created_at DESC LIMIT 1')
      .get(supplierId) as { id: string } | undefined;
    return r ? this.get(r.id) : null;
  }

  instrumentFor(id: string): DiagnosisInstrument {
    return this.instrumentOf(this.row(id));
  }

  private requireDraft(tx: Tx, id: string): void {
    if (tx.get(diagnoses, id)?.finalized_at) throw new AppError({ code: 'locked', messageKey: 'errors.locked' });
  }

  private row(id: string): Row {
    const row = this.sqlite.prepare('SELECT * FROM diagnoses WHERE id = ? AND deleted_at IS NULL').get(id) as Row | undefined;
    if (!row) throw notFound('diagnosis');
    return row;
  }

  private instrumentOf(row: Row): DiagnosisInstrument {
    const instrument = getDiagnosisInstrument(row.instrument_id, row.instrument_version);
    if (!instrument) throw new AppError({ code: 'internal', messageKey: 'errors.assessment.unknownInstrument', params: { id: row.instrument_id, version: row.instrument_version } });
    return instrument;
  }
}

export const DIAGNOSIS_TABLES: TableSpec[] = [
  { table: diagnoses, lockColumn: 'finalizedAt' },
  { table: diagnosisAnswers, parent: { column: 'diagnosisId', table: diagnoses }, naturalKey: ['diagnosisId', 'itemId'] },
  { table: diagnosisPlanItems, parent: { column: 'diagnosisId', table: diagnoses } },
  { table: diagnosisSignatures, parent: { column: 'diagnosisId', table: diagnoses } },
];
