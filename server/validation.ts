/**
 * zod schemas of every request the service accepts. Built from shared/schemas/common (same `validation.*`
 * message keys as the desktop forms). Candidates for shared/contract once the desktop client calls them.
 */
import { z } from 'zod';
import { isValidBrn, normalizeBrn } from '#shared/domain/brn';
import { REGION_CODES } from '#shared/domain/regions';
import { isoDate, requiredText } from '#shared/schemas/common';
import { BUILT_LEVELS, ORGANIZATION_KINDS, USER_ROLES } from './db/schema.ts';
import { invalid } from './errors.ts';

export const MIN_PASSWORD = 12;

const email = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, { error: 'validation.required' })
  .max(100, { error: 'validation.tooLong' })
  .refine((s) => /^[^\s@]+@[^\s@]+$/.test(s), { error: 'validation.email' });
const password = z.string().min(1, { error: 'validation.required' }).max(200, { error: 'validation.tooLong' });
const newPassword = z.string().min(MIN_PASSWORD, { error: 'validation.passwordTooShort' }).max(200, { error: 'validation.tooLong' });
const region = z.enum(REGION_CODES, { error: 'validation.choice' });
const entityId = z.string().min(1, { error: 'validation.required' }).max(64, { error: 'validation.tooLong' });

export const loginBody = z.strictObject({ email, password });

export const organizationBody = z.strictObject({
  name: requiredText(100),
  kind: z.enum(ORGANIZATION_KINDS, { error: 'validation.choice' }),
  region: region.nullable().optional(),
});

export const userBody = z.strictObject({
  organizationId: entityId,
  email,
  displayName: requiredText(50),
  role: z.enum(USER_ROLES, { error: 'validation.choice' }),
  region: region.nullable().optional(),
  /** Optional: a mentor may work only through enrolled devices and never log in with a password. */
  password: newPassword.optional(),
  /** The desktop's mentors.id this account is: which pair's companies it syncs. */
  mentorId: entityId.nullable().optional(),
});

export const userPatchBody = z
  .strictObject({ mentorId: entityId.nullable().optional(), region: region.nullable().optional() })
  .refine((b) => b.mentorId !== undefined || b.region !== undefined, { error: 'validation.required' });

export const enrolBody = z.strictObject({
  code: z.string().trim().min(1, { error: 'validation.required' }).max(40, { error: 'validation.tooLong' }),
  deviceName: requiredText(100),
});

export const deviceTokenBody = z.strictObject({
  deviceId: entityId,
  deviceSecret: z.string().min(1, { error: 'validation.required' }).max(200, { error: 'validation.tooLong' }),
});

export const idParams = z.strictObject({ id: entityId });

/** `DXM-2027-00001`: the issuing office (settings.issuing_office in the app, `DXM` by default), year, sequence. */
export const CERTIFICATE_NUMBER = /^([A-Z0-9]{1,16})-(\d{4})-(\d{5,6})$/;
export const certificateNumber = z
  .string()
  .trim()
  .toUpperCase()
  .max(40, { error: 'validation.tooLong' })
  .regex(CERTIFICATE_NUMBER, { error: 'validation.certificateNumber' });
export const dataHash = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[0-9a-f]{64}$/, { error: 'validation.sha256' });

export const certificateBody = z
  .strictObject({
    number: certificateNumber,
    companyName: requiredText(200),
    brn: z
      .string()
      .trim()
      .refine((s) => isValidBrn(s), { error: 'validation.brn' })
      .transform(normalizeBrn)
      .nullable()
      .optional(),
    /** 역량 수준 1–5 and 구축 수준, as the desktop's certificate data has them (capabilityLevel, builtLevel). */
    capabilityLevel: z.number({ error: 'validation.number' }).int({ error: 'validation.integer' }).min(1, { error: 'validation.tooSmall' }).max(5, { error: 'validation.tooLarge' }),
    builtLevel: z.enum(BUILT_LEVELS, { error: 'validation.choice' }),
    issuedOn: isoDate,
    validUntil: isoDate,
    dataHash,
    issuingOffice: z.string().trim().toUpperCase().regex(/^[A-Z0-9]{1,16}$/, { error: 'validation.issuingOffice' }),
    signerName: requiredText(50),
  })
  .superRefine((c, ctx) => {
    const m = CERTIFICATE_NUMBER.exec(c.number);
    if (m && m[1] !== c.issuingOffice) ctx.addIssue({ code: 'custom', path: ['number'], message: 'validation.certificateOffice' });
    if (m && m[2] !== c.issuedOn.slice(0, 4)) ctx.addIssue({ code: 'custom', path: ['number'], message: 'validation.certificateYear' });
    if (c.validUntil < c.issuedOn) ctx.addIssue({ code: 'custom', path: ['validUntil'], message: 'validation.dateOrder' });
  });
export type CertificateInput = z.infer<typeof certificateBody>;

export const revokeBody = z.strictObject({
  reason: requiredText(500),
  revokedAt: z.iso.datetime({ offset: true, error: 'validation.dateTime' }),
});

export const numberParams = z.strictObject({ number: certificateNumber });

/** Parses or throws the 400 with field errors; the handler never sees an unvalidated value. */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw invalid(result.error);
  return result.data;
}
