import { z } from 'zod';
import { isValidBrn, normalizeBrn } from '../domain/brn.ts';
import { ksicDivisionOf, KSIC_DIVISION_CODES } from '../domain/ksic.ts';
import { REGION_CODES } from '../domain/regions.ts';
import { TECH_FIELD_CODES } from '../domain/tech-fields.ts';
import {
  archivedFilter,
  count,
  email,
  id,
  isoDate,
  krw,
  MAX_NOTES,
  MAX_TEXT,
  optionalText,
  page,
  pageSize,
  phone,
  requiredText,
  searchQuery,
  sortDir,
} from './common.ts';

/** 사업자등록번호: accepts "123-45-67890" or digits; stored as 10 digits. */
export const brn = z
  .string()
  .trim()
  .min(1, { error: 'validation.required' })
  .transform(normalizeBrn)
  .refine((s) => s.length === 10, { error: 'validation.brn.length', abort: true })
  .refine(isValidBrn, { error: 'validation.brn.checksum' });

export const ksicCode = z
  .string()
  .trim()
  .regex(/^\d{2,5}$/, { error: 'validation.ksic' })
  .refine((c) => ksicDivisionOf(c) !== undefined, { error: 'validation.ksic' });

const currentYear = new Date().getUTCFullYear();

export const financialInput = z.object({
  fiscalYear: z
    .number({ error: 'validation.number' })
    .int({ error: 'validation.integer' })
    .min(1950, { error: 'validation.tooSmall' })
    .max(currentYear + 1, { error: 'validation.tooLarge' }),
  revenue: krw.min(0, { error: 'validation.tooSmall' }).nullable(),
  /** Negative when the company made a loss. */
  operatingProfit: krw.nullable(),
});

export const contactInput = z.object({
  id: id.optional(),
  name: requiredText(),
  role: optionalText(100),
  phone,
  email,
});

export const vcInvestmentInput = z.object({
  id: id.optional(),
  amount: krw.min(1, { error: 'validation.tooSmall' }),
  investedOn: isoDate,
  investor: optionalText(100),
});

const orgBase = {
  brn,
  name: requiredText(),
  representative: requiredText(50),
  region: z.enum(REGION_CODES, { error: 'validation.required' }),
  address: optionalText(MAX_TEXT),
  ksicCode,
  industryName: optionalText(100),
  employees: count(1_000_000).nullable(),
  foundedOn: isoDate.nullable(),
  notes: optionalText(MAX_NOTES),
  financials: z
    .array(financialInput)
    .max(50)
    .superRefine((rows, ctx) => {
      const seen = new Set<number>();
      rows.forEach((r, i) => {
        if (seen.has(r.fiscalYear)) {
          ctx.addIssue({ code: 'custom', message: 'validation.duplicateYear', path: [i, 'fiscalYear'] });
        }
        seen.add(r.fiscalYear);
      });
    }),
  contacts: z.array(contactInput).max(50),
};

export const companyInput = z.object(orgBase);
export type CompanyInput = z.input<typeof companyInput>;
export type CompanyData = z.output<typeof companyInput>;

export const supplierInput = z.object({
  ...orgBase,
  techFields: z.array(z.enum(TECH_FIELD_CODES)).max(TECH_FIELD_CODES.length),
  buildRecordCount: count(100_000).nullable(),
  vcInvestments: z.array(vcInvestmentInput).max(100),
});
export type SupplierInput = z.input<typeof supplierInput>;
export type SupplierData = z.output<typeof supplierInput>;

/** `level` sorts suppliers by their latest finalised diagnosis (best first when descending). */
export const orgSortField = z.enum(['name', 'region', 'employees', 'revenue', 'updatedAt', 'level']);

export const orgListInput = z.object({
  query: searchQuery.default(''),
  regions: z.array(z.enum(REGION_CODES)).max(17).default([]),
  ksic: z.array(z.enum(KSIC_DIVISION_CODES)).max(KSIC_DIVISION_CODES.length).default([]),
  techFields: z.array(z.enum(TECH_FIELD_CODES)).max(TECH_FIELD_CODES.length).default([]),
  archived: archivedFilter.default('active'),
  sort: z.object({ field: orgSortField, dir: sortDir }).default({ field: 'name', dir: 'asc' }),
  page: page.default(1),
  pageSize: pageSize.default(50),
});
export type OrgListInput = z.input<typeof orgListInput>;

export const orgRow = z.object({
  id: z.string(),
  brn: z.string(),
  name: z.string(),
  representative: z.string(),
  region: z.string(),
  ksicCode: z.string(),
  industryName: z.string(),
  employees: z.number().nullable(),
  latestRevenue: z.number().nullable(),
  latestFiscalYear: z.number().nullable(),
  techFields: z.array(z.string()),
  pairId: z.string().nullable(),
  /** Supplier: grade of the latest finalised diagnosis. */
  level: z.object({ grade: z.string(), points: z.number(), excellent: z.boolean() }).nullable(),
  /** Fraud sanctions: excluded (5 years) or barred (Two Strike Out) organisations are flagged wherever listed. */
  standing: z.enum(['clear', 'excluded', 'barred']),
  updatedAt: z.string(),
  deletedAt: z.string().nullable(),
});
export type OrgRow = z.infer<typeof orgRow>;

export const orgListOutput = z.object({ rows: z.array(orgRow), total: z.number() });

const stored = {
  id: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  deletedAt: z.string().nullable(),
};

export const orgDetail = z.object({
  ...stored,
  kind: z.enum(['company', 'supplier']),
  brn: z.string(),
  name: z.string(),
  representative: z.string(),
  region: z.string(),
  address: z.string(),
  ksicCode: z.string(),
  industryName: z.string(),
  employees: z.number().nullable(),
  foundedOn: z.string().nullable(),
  notes: z.string(),
  techFields: z.array(z.string()),
  buildRecordCount: z.number().nullable(),
  financials: z.array(z.object({ id: z.string(), fiscalYear: z.number(), revenue: z.number().nullable(), operatingProfit: z.number().nullable() })),
  contacts: z.array(z.object({ id: z.string(), name: z.string(), role: z.string(), phone: z.string(), email: z.string() })),
  vcInvestments: z.array(z.object({ id: z.string(), amount: z.number(), investedOn: z.string(), investor: z.string() })),
  pair: z
    .object({ id: z.string(), processMentor: z.string(), aiMentor: z.string(), assignedOn: z.string() })
    .nullable(),
});
export type OrgDetail = z.infer<typeof orgDetail>;
