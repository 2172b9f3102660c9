import { z } from 'zod';
import type { LevelResult } from '../instruments/level-confirmation-v1.ts';
import { signaturePng } from '../schemas/assessments.ts';
import { id, isoDate, optionalText, requiredText } from '../schemas/common.ts';
import { op } from './op.ts';

const result = z.custom<LevelResult>((v) => typeof v === 'object' && v !== null);
const ok = z.object({ ok: z.literal(true) });
const confirmation = z.object({
  id: z.string(),
  companyId: z.string(),
  companyName: z.string(),
  projectId: z.string().nullable(),
  assessedOn: z.string(),
  finalizedAt: z.string().nullable(),
  steps: z.record(z.string(), z.object({ step: z.number().nullable(), evidence: z.string() })),
  result,
  signatures: z.array(z.object({ role: z.enum(['lead', 'second']), signerName: z.string(), signedAt: z.string() })),
  certificate: z.object({ id: z.string(), number: z.string(), revoked: z.boolean() }).nullable(),
});
const registerRow = z.object({
  id: z.string(),
  number: z.string(),
  companyName: z.string(),
  capabilityLevel: z.number(),
  builtLevel: z.string(),
  issuedOn: z.string(),
  validUntil: z.string(),
  status: z.enum(['valid', 'expired', 'revoked']),
  revokedReason: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

/** Private level confirmation (민간 수준확인) and signed certificates (수준확인서). */
export const certificatesContract = {
  'levels.create': op(z.object({ companyId: id, projectId: id.nullable(), assessedOn: isoDate }), z.object({ id: z.string() })),
  'levels.get': op(z.object({ id }), confirmation),
  'levels.listForCompany': op(z.object({ companyId: id }), z.object({ rows: z.array(confirmation) })),
  'levels.saveStep': op(
    z.object({
      confirmationId: id,
      areaId: z.string().min(1).max(64),
      step: z.number({ error: 'validation.number' }).int({ error: 'validation.integer' }).min(0, { error: 'validation.tooSmall' }).max(5, { error: 'validation.tooLarge' }).nullable().optional(),
      evidence: optionalText(2000).optional(),
    }),
    z.object({ result }),
  ),
  /** Both assessors sign on screen; the confirmation is locked. */
  'levels.finalize': op(
    z.object({
      id,
      signatures: z
        .array(z.object({ role: z.enum(['lead', 'second']), name: requiredText(50), png: signaturePng }))
        .max(2)
        .refine((l) => new Set(l.map((s) => s.role)).size === l.length, { error: 'validation.signatureTwice' }),
    }),
    z.object({ result }),
  ),
  /** Numbers, renders and digitally signs the certificate of a finalised confirmation. */
  'certificates.issue': op(z.object({ confirmationId: id, passphrase: z.string().max(200).optional() }), z.object({ id: z.string(), number: z.string() })),
  /** Saves the signed PDF where the user chooses; null when cancelled. */
  'certificates.export': op(z.object({ id }), z.object({ path: z.string().nullable() })),
  'certificates.revoke': op(z.object({ id, reason: requiredText(500) }), ok),
  'certificates.register': op(z.object({}), z.object({ rows: z.array(registerRow) })),
  /** Checks a certificate PDF: signature, data hash, register status. */
  'certificates.verify': op(
    z.object({ fileName: requiredText(200), data: z.string().max(14_000_000, { error: 'validation.fileSize' }) }),
    z.object({
      signature: z.object({ valid: z.boolean(), problem: z.string().nullable(), signer: z.string().nullable(), certFingerprint: z.string().nullable(), signedAt: z.string().nullable() }),
      number: z.string().nullable(),
      data: z.record(z.string(), z.unknown()).nullable(),
      hashMatches: z.boolean(),
      register: registerRow.nullable(),
    }),
  ),
  'certificates.keyInfo': op(
    z.object({}),
    z.object({ exists: z.boolean(), mode: z.enum(['os', 'passphrase']), subject: z.string().nullable(), fingerprint: z.string().nullable(), validTo: z.string().nullable() }),
  ),
} as const;
