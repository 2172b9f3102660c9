import { z } from 'zod';
import type { DiagnosisResult } from '../scoring/diagnosis.ts';
import { id } from '../schemas/common.ts';
import { diagnosisAnswerInput, diagnosisCreateInput, diagnosisFinalizeInput, diagnosisHeader, planItemInput, sanctionInput, TRACKS } from '../schemas/diagnoses.ts';
import { FRAUD_KINDS } from '../domain/supplier-standing.ts';
import { op } from './op.ts';

const result = z.custom<DiagnosisResult>((v) => typeof v === 'object' && v !== null);
const byId = z.object({ id });
const ok = z.object({ ok: z.literal(true) });
const track = z.enum(TRACKS);

export const standingSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('clear'), findings: z.number(), specialInspection: z.boolean() }),
  z.object({ state: z.literal('excluded'), findings: z.number(), until: z.string(), specialInspection: z.boolean() }),
  z.object({ state: z.literal('barred'), findings: z.number(), specialInspection: z.literal(true) }),
]);

const portalProfile = z.object({
  schema: z.literal('dx-mentor/supplier-profile@1'),
  brn: z.string(),
  name: z.string(),
  region: z.string(),
  techFields: z.array(z.string()),
  buildRecordCount: z.number().nullable(),
  satisfaction: z.number().nullable(),
  revenue: z.object({ fiscalYear: z.number(), krw: z.number() }).nullable(),
  level: z.object({ grade: z.string(), points: z.number(), excellent: z.boolean(), diagnosedOn: z.string(), track: z.string() }).nullable(),
  vcLinked: z.boolean(),
});

export const diagnosisListRow = z.object({
  id: z.string(),
  track,
  consultantName: z.string(),
  diagnosedOn: z.string(),
  finalizedAt: z.string().nullable(),
  points: z.number(),
  grade: z.string(),
  excellent: z.boolean(),
  complete: z.boolean(),
});

/** Supplier capability diagnoses (기술 공급기업 역량진단), sanctions, VC link and the portal profile. */
export const diagnosesContract = {
  'diagnoses.create': op(diagnosisCreateInput, z.object({ id: z.string() })),
  'diagnoses.get': op(
    byId,
    z.object({
      id: z.string(),
      supplierId: z.string(),
      supplierName: z.string(),
      track,
      instrumentId: z.string(),
      instrumentVersion: z.number(),
      consultantName: z.string(),
      diagnosedOn: z.string(),
      strategy: z.string(),
      createdAt: z.string(),
      updatedAt: z.string(),
      finalizedAt: z.string().nullable(),
      answers: z.record(z.string(), z.object({ score: z.number().nullable(), comment: z.string() })),
      result,
      plan: z.array(z.object({ id: z.string(), itemId: z.string().nullable(), what: z.string(), how: z.string(), dueOn: z.string().nullable() })),
      signatures: z.array(z.object({ role: z.enum(['consultant', 'supplier']), signerName: z.string(), signedAt: z.string() })),
      previous: z.object({ id: z.string(), diagnosedOn: z.string(), consultantName: z.string(), result, scores: z.record(z.string(), z.number().nullable()) }).nullable(),
    }),
  ),
  'diagnoses.listForSupplier': op(z.object({ supplierId: id }), z.object({ rows: z.array(diagnosisListRow) })),
  'diagnoses.updateHeader': op(diagnosisHeader.extend({ id }), ok),
  /** Autosave of one item's score and/or comment; returns the live result. */
  'diagnoses.saveAnswer': op(diagnosisAnswerInput, z.object({ result })),
  'diagnoses.savePlan': op(z.object({ id, plan: z.array(planItemInput).max(40) }), ok),
  /** Adds suggested steps for the weakest items not yet in the plan; returns how many were added. */
  'diagnoses.suggestPlan': op(byId, z.object({ added: z.number() })),
  'diagnoses.finalize': op(diagnosisFinalizeInput, z.object({ result })),
  'reports.exportDiagnosis': op(z.object({ id, language: z.enum(['ko', 'en']) }), z.object({ path: z.string().nullable() })),

  'sanctions.list': op(
    z.object({ orgId: id }),
    z.object({
      rows: z.array(
        z.object({ id: z.string(), kind: z.enum(FRAUD_KINDS), foundOn: z.string(), decidedOn: z.string(), decision: z.string(), clawbackKrw: z.number().nullable(), projectRef: z.string(), exclusionEnds: z.string(), createdAt: z.string() }),
      ),
      standing: standingSchema,
    }),
  ),
  'sanctions.save': op(sanctionInput, z.object({ id: z.string() })),
  'sanctions.withdraw': op(byId, ok),
  /** The VC-link check with its reasons. */
  'suppliers.vcLink': op(
    byId,
    z.object({
      eligible: z.boolean(),
      recentKrw: z.number(),
      since: z.string(),
      intensiveFields: z.array(z.string()),
      reasons: z.array(z.object({ key: z.enum(['vcLink.amountOk', 'vcLink.amountShort', 'vcLink.fieldOk', 'vcLink.fieldMissing']), params: z.record(z.string(), z.union([z.string(), z.number()])) })),
    }),
  ),
  'portal.get': op(
    byId,
    z.object({ current: portalProfile, approved: z.object({ profile: portalProfile, approvedBy: z.string(), approvedAt: z.string() }).nullable(), upToDate: z.boolean(), standing: standingSchema }),
  ),
  'portal.approve': op(z.object({ id, approvedBy: z.string().trim().min(1, { error: 'validation.required' }).max(50, { error: 'validation.tooLong' }) }), ok),
  /** Saves the approved profile as JSON for the central service; null when cancelled. */
  'portal.export': op(byId, z.object({ path: z.string().nullable() })),
} as const;
