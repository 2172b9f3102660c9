import { z } from 'zod';
import { addMonths } from '../domain/dates.ts';
import { checkBudget, GRADES, PROGRAMME_IDS, STABILISATION_MONTHS } from '../domain/projects.ts';
import { count, id, isoDate, krw, optionalText, requiredText } from './common.ts';

const money = krw.min(0, { error: 'validation.tooSmall' });
const grades = z.object(Object.fromEntries(GRADES.map((g) => [g, count(1000).optional()])) as Record<(typeof GRADES)[number], z.ZodOptional<ReturnType<typeof count>>>);

export const projectInput = z
  .object({
    companyId: id,
    programme: z.enum(PROGRAMME_IDS, { error: 'validation.required' }),
    title: requiredText(200),
    startsOn: isoDate,
    endsOn: isoDate,
    contractOn: isoDate.nullable(),
    finalInspectionOn: isoDate.nullable(),
    budgetGov: money,
    budgetCompany: money,
    budgetLarge: money,
    swLabourKrw: money.nullable(),
    scopeUnits: count(100_000).nullable(),
    gradesBilled: grades,
    gradesDeclared: grades,
    supplierIds: z.array(id).min(1, { error: 'validation.supplierRequired' }).max(5, { error: 'validation.tooMany' }),
    notes: optionalText(5000),
  })
  // The project period holds the 6-month stabilisation period.
  .refine((p) => p.endsOn >= addMonths(p.startsOn, STABILISATION_MONTHS), { error: 'validation.projectTooShort', path: ['endsOn'] })
  .refine((p) => p.finalInspectionOn === null || p.finalInspectionOn >= p.startsOn, { error: 'validation.beforeStart', path: ['finalInspectionOn'] })
  .superRefine((p, ctx) => {
    for (const problem of checkBudget(p.programme, p.budgetGov, p.budgetCompany, p.budgetLarge).problems) ctx.addIssue({ code: 'custom', message: problem, path: ['budgetGov'] });
  })
  .refine((p) => new Set(p.supplierIds).size === p.supplierIds.length, { error: 'validation.duplicateSupplier', path: ['supplierIds'] });
export type ProjectInput = z.input<typeof projectInput>;
export type ProjectData = z.output<typeof projectInput>;
