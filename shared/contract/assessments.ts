import { z } from 'zod';
import type { AssessmentResult } from '../scoring/assessment.ts';
import { id } from '../schemas/common.ts';
import { actionCreateInput, actionRow, actionUpdateInput, answerHistoryEntry, assessmentCreateInput, finalizeInput, overrideInput, saveAnswerInput, saveKpiInput, VISIT_PURPOSES, visitInput } from '../schemas/assessments.ts';
import { op } from './op.ts';

const result = z.custom<AssessmentResult>((v) => typeof v === 'object' && v !== null);
const byId = z.object({ id });
const companyTypes = z.enum(['excellent', 'average', 'weak']);

/** Visits and company DX capability assessments (중소기업 DX 역량평가). */
export const assessmentsContract = {
  'visits.create': op(visitInput, z.object({ id: z.string() })),
  'visits.list': op(
    z.object({ companyId: id }),
    z.object({ rows: z.array(z.object({ id: z.string(), visitedOn: z.string(), place: z.string(), purpose: z.enum(VISIT_PURPOSES), notes: z.string(), pairId: z.string().nullable(), attendees: z.string(), photos: z.number() })) }),
  ),
  /** A photo taken on the visit (JPEG, PNG or WebP, ≤ 15 MB, base64). */
  'visits.addPhoto': op(z.object({ visitId: id, fileName: z.string().trim().min(1).max(200), data: z.string().max(21_000_000, { error: 'validation.fileSize' }) }), z.object({ id: z.string() })),
  'visits.photos': op(z.object({ visitId: id }), z.object({ rows: z.array(z.object({ id: z.string(), fileName: z.string(), mime: z.string(), sha256: z.string() })) })),
  'visits.photo': op(byId, z.object({ mime: z.string(), data: z.string() })),
  'assessments.create': op(assessmentCreateInput, z.object({ id: z.string() })),
  /** The assessment with its answers and its result (stored once final, live while a draft). */
  'assessments.get': op(
    byId,
    z.object({
      id: z.string(),
      companyId: z.string(),
      companyName: z.string(),
      visitId: z.string().nullable(),
      instrumentId: z.string(),
      instrumentVersion: z.number(),
      createdAt: z.string(),
      updatedAt: z.string(),
      finalizedAt: z.string().nullable(),
      supersedesId: z.string().nullable(),
      typeOverride: companyTypes.nullable(),
      overrideReason: z.string(),
      answers: z.record(z.string(), z.object({ value: z.unknown(), comment: z.string(), updatedAt: z.string() })),
      kpis: z.record(z.string(), z.number().nullable()),
      result,
      /** The company's previous finalised assessment (T0), for before/after charts. */
      previous: z.object({ id: z.string(), finalizedAt: z.string(), result }).nullable(),
      signatures: z.array(z.object({ role: z.enum(['process', 'ai']), signerName: z.string(), signedAt: z.string() })),
      evidence: z.record(z.string(), z.number()),
    }),
  ),
  'assessments.listForCompany': op(
    z.object({ companyId: id }),
    z.object({
      rows: z.array(
        z.object({
          id: z.string(),
          createdAt: z.string(),
          finalizedAt: z.string().nullable(),
          instrumentVersion: z.number(),
          supersedesId: z.string().nullable(),
          capability: z.number(),
          investment: z.number(),
          type: companyTypes,
          complete: z.boolean(),
        }),
      ),
    }),
  ),
  /** The most recently changed assessments across companies (the Assessments screen). */
  'assessments.listRecent': op(
    z.object({ limit: z.number().int().min(1).max(200).default(50) }),
    z.object({
      rows: z.array(
        z.object({ id: z.string(), companyId: z.string(), companyName: z.string(), updatedAt: z.string(), finalizedAt: z.string().nullable(), type: companyTypes, complete: z.boolean(), capability: z.number(), investment: z.number() }),
      ),
    }),
  ),
  /** Autosave of one answer; returns the live result. */
  'assessments.saveAnswer': op(saveAnswerInput, z.object({ result })),
  'assessments.saveKpi': op(saveKpiInput, z.object({ ok: z.literal(true) })),
  'assessments.setOverride': op(overrideInput, z.object({ ok: z.literal(true) })),
  'assessments.history': op(z.object({ assessmentId: id, itemId: z.string().min(1).max(64) }), z.object({ rows: z.array(answerHistoryEntry) })),
  /** Locks the assessment, storing its result with the instrument version and the mentors' drawn signatures. */
  'assessments.finalize': op(finalizeInput, z.object({ result })),
  /** Renders the assessment report (PDF) and saves it where the user chooses; null when cancelled. */
  'reports.exportAssessment': op(z.object({ id, language: z.enum(['ko', 'en']) }), z.object({ path: z.string().nullable() })),
  /** The assessment and its results as CSV or XLSX for the central office; null when cancelled. */
  'reports.exportAssessmentData': op(z.object({ id, language: z.enum(['ko', 'en']), format: z.enum(['csv', 'xlsx']) }), z.object({ path: z.string().nullable() })),
  /** Opens a file this app exported, with the system's viewer. */
  'files.open': op(z.object({ path: z.string().min(1).max(1000) }), z.object({ ok: z.literal(true) })),
  /** Percentile per dimension among peers (same KSIC division and size band); null dimensions below the minimum. */
  'assessments.peers': op(
    byId,
    z.object({ division: z.string(), band: z.string(), peerCount: z.number(), minPeers: z.number(), dimensions: z.array(z.object({ id: z.string(), percentile: z.number() })).nullable() }),
  ),
    /** Attaches an evidence photo (JPEG, PNG or WebP, ≤ 15 MB, base64) to an item of a draft assessment. */
  'evidence.add': op(
    z.object({ assessmentId: id, itemId: z.string().min(1).max(64), fileName: z.string().trim().min(1).max(200), data: z.string().max(21_000_000, { error: 'validation.fileSize' }) }),
    z.object({ id: z.string() }),
  ),
  'evidence.list': op(
    z.object({ assessmentId: id }),
    z.object({ rows: z.array(z.object({ id: z.string(), itemId: z.string(), attachmentId: z.string(), fileName: z.string(), mime: z.string(), size: z.number(), sha256: z.string(), createdAt: z.string() })) }),
  ),
  /** The photo itself (base64). */
  'evidence.image': op(byId, z.object({ mime: z.string(), data: z.string() })),
  'evidence.remove': op(byId, z.object({ ok: z.literal(true) })),
  /** The company's follow-up actions, open ones first by due date. */
  'actions.list': op(z.object({ companyId: id }), z.object({ rows: z.array(actionRow) })),
  'actions.create': op(actionCreateInput, z.object({ id: z.string() })),
  'actions.update': op(actionUpdateInput, z.object({ id: z.string() })),
  /** A correction of a finalised assessment: a new draft linked to it. */
  'assessments.revise': op(byId, z.object({ id: z.string() })),
} as const;
