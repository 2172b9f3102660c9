import { z } from 'zod';
import { KPI_DEFINITIONS } from '../domain/programmes.ts';
import { id, isoDate, optionalText, requiredText } from './common.ts';

export const VISIT_PURPOSES = ['assessment', 'consulting', 'build_followup', 'postbuild_check'] as const;

export const visitInput = z.object({
  companyId: id,
  visitedOn: isoDate,
  place: optionalText(200),
  purpose: z.enum(VISIT_PURPOSES, { error: 'validation.required' }),
  notes: optionalText(5000),
  attendees: z.array(z.object({ id: id.optional(), name: requiredText(50), role: optionalText(50) })).max(30),
});
export type VisitInput = z.input<typeof visitInput>;

export const assessmentCreateInput = z.object({ companyId: id, visitId: id.nullable().default(null), instrumentId: z.string().min(1).max(50) });

/** One answer, saved the moment it changes (autosave). `value` is checked against the item in main. */
export const saveAnswerInput = z.object({
  assessmentId: id,
  itemId: z.string().min(1).max(64),
  value: z.unknown(),
  comment: optionalText(2000).optional(),
});

export const saveKpiInput = z.object({
  assessmentId: id,
  kpiId: z.enum(KPI_DEFINITIONS.map((k) => k.id) as [string, ...string[]]),
  value: z.number({ error: 'validation.number' }).min(-1e12).max(1e15).nullable(),
});

export const overrideInput = z.object({
  assessmentId: id,
  type: z.enum(['excellent', 'average', 'weak']).nullable(),
  /** A written reason is required to override the computed type; it is kept and shown. */
  reason: z.string().trim().max(2000, { error: 'validation.tooLong' }),
}).refine((v) => v.type === null || v.reason.length >= 10, { error: 'validation.overrideReason', path: ['reason'] });

export const answerHistoryEntry = z.object({
  field: z.enum(['value', 'comment']),
  oldValue: z.unknown(),
  newValue: z.unknown(),
  at: z.string(),
  userId: z.string(),
  deviceId: z.string(),
});

/** A drawn signature: a PNG (base64, at most ~300 KB) and the signer. */
export const signaturePng = z
  .string()
  .max(400_000, { error: 'validation.signatureTooLarge' })
  .refine((b64) => b64.startsWith('iVBORw0KGgo'), { error: 'validation.signature' });

export const signatureInput = z.object({
  role: z.enum(['process', 'ai']),
  name: requiredText(50),
  png: signaturePng,
});

export const finalizeInput = z.object({
  id,
  signatures: z
    .array(signatureInput)
    .max(2)
    .refine((list) => new Set(list.map((s) => s.role)).size === list.length, { error: 'validation.signatureTwice' })
    .default([]),
});

export const SEVERITIES = ['high', 'medium', 'low'] as const;

const actionFields = {
  title: requiredText(200),
  owner: optionalText(100),
  dueOn: isoDate.nullable(),
  severity: z.enum(SEVERITIES, { error: 'validation.required' }),
};
export const actionCreateInput = z.object({ companyId: id, ...actionFields });
export const actionUpdateInput = z.object({ id, ...actionFields, status: z.enum(['open', 'done']) });
export const actionRow = z.object({
  id: z.string(),
  orgId: z.string(),
  assessmentId: z.string().nullable(),
  itemId: z.string().nullable(),
  title: z.string(),
  owner: z.string(),
  dueOn: z.string().nullable(),
  severity: z.enum(SEVERITIES),
  status: z.enum(['open', 'done']),
  createdAt: z.string(),
});
