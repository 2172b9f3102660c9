import { z } from 'zod';
import { FRAUD_KINDS } from '../domain/supplier-standing.ts';
import { id, isoDate, krw, optionalText, requiredText } from './common.ts';
import { signaturePng } from './assessments.ts';

export const TRACKS = ['basic', 'in_depth'] as const;

export const diagnosisHeader = z.object({
  track: z.enum(TRACKS, { error: 'validation.required' }),
  consultantName: requiredText(50),
  diagnosedOn: isoDate,
  strategy: optionalText(10_000),
});
export type DiagnosisHeaderInput = z.input<typeof diagnosisHeader>;

export const diagnosisCreateInput = diagnosisHeader.extend({ supplierId: id });

export const diagnosisAnswerInput = z.object({
  diagnosisId: id,
  itemId: z.string().min(1).max(64),
  score: z.number({ error: 'validation.number' }).int({ error: 'validation.integer' }).min(1, { error: 'validation.tooSmall' }).max(5, { error: 'validation.tooLarge' }).nullable().optional(),
  comment: optionalText(2000).optional(),
});

export const planItemInput = z.object({
  id: id.optional(),
  itemId: z.string().min(1).max(64).nullable(),
  what: requiredText(300),
  how: optionalText(2000),
  dueOn: isoDate.nullable(),
});
export type PlanItemInput = z.input<typeof planItemInput>;

export const diagnosisFinalizeInput = z.object({
  id,
  signatures: z
    .array(z.object({ role: z.enum(['consultant', 'supplier']), name: requiredText(50), png: signaturePng }))
    .max(2)
    .refine((list) => new Set(list.map((s) => s.role)).size === list.length, { error: 'validation.signatureTwice' }),
});

export const sanctionInput = z
  .object({
    orgId: id,
    id: id.nullable().default(null),
    kind: z.enum(FRAUD_KINDS, { error: 'validation.required' }),
    foundOn: isoDate,
    decidedOn: isoDate,
    decision: requiredText(2000),
    clawbackKrw: krw.min(0, { error: 'validation.tooSmall' }).nullable(),
    projectRef: optionalText(200),
  })
  .refine((v) => v.decidedOn >= v.foundOn, { error: 'validation.decidedBeforeFound', path: ['decidedOn'] });
export type SanctionInput = z.input<typeof sanctionInput>;
