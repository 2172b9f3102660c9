import { z } from 'zod';
import { GRADES } from '../domain/projects.ts';
import { RED_FLAG_RULES } from '../domain/red-flags.ts';
import { signaturePng } from '../schemas/assessments.ts';
import { id, isoDate, optionalText, requiredText } from '../schemas/common.ts';
import { projectInput } from '../schemas/projects.ts';
import { standingSchema } from './diagnoses.ts';
import { op } from './op.ts';

const window = z.object({ from: z.string(), to: z.string() });
const grades = z.object(Object.fromEntries(GRADES.map((g) => [g, z.number().optional()])));

export const projectView = z.object({
  id: z.string(),
  companyId: z.string(),
  companyName: z.string(),
  programme: z.string(),
  title: z.string(),
  startsOn: z.string(),
  endsOn: z.string(),
  contractOn: z.string().nullable(),
  finalInspectionOn: z.string().nullable(),
  budgetGov: z.number(),
  budgetCompany: z.number(),
  budgetLarge: z.number(),
  swLabourKrw: z.number().nullable(),
  scopeUnits: z.number().nullable(),
  gradesBilled: grades,
  gradesDeclared: grades,
  notes: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  windows: z.object({ stabilisation: window, freeAs: window }),
  budget: z.object({ total: z.number(), shares: z.object({ gov: z.number(), company: z.number(), large: z.number() }), problems: z.array(z.string()) }),
  suppliers: z.array(z.object({ id: z.string(), name: z.string(), standing: standingSchema })),
  specialInspection: z.boolean(),
});

/** Build projects (구축 과제) of a company, with their suppliers. */
export const projectsContract = {
  'projects.create': op(projectInput, z.object({ id: z.string() })),
  'projects.update': op(projectInput.and(z.object({ id })), z.object({ id: z.string() })),
  'projects.get': op(z.object({ id }), projectView),
  'projects.listForCompany': op(z.object({ companyId: id }), z.object({ rows: z.array(projectView) })),
  'projects.listForSupplier': op(z.object({ supplierId: id }), z.object({ rows: z.array(projectView) })),
} as const;

const value = z.union([z.string(), z.number(), z.null()]);
const checkView = z.object({
  id: z.string(),
  projectId: z.string(),
  checkedOn: z.string(),
  instrumentVersion: z.number(),
  answers: z.record(z.string(), z.object({ value, comment: z.string() })),
  signerName: z.string().nullable(),
  signedAt: z.string().nullable(),
  missing: z.array(z.string()),
  flags: z.array(z.object({ key: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])) })),
});
const windowUsage = z.object({ activeDays: z.number(), activeUsers: z.number(), events: z.number(), eventsPer30Days: z.number() });
const perKind = z.object({ login: windowUsage, material: windowUsage });
const base64File = (maxBytes: number) => z.string().max(Math.ceil((maxBytes * 4) / 3) + 4, { error: 'validation.fileSize' });

/** After the build: post-build checks, utilisation imports, photos, documents, red flags, track record. */
export const postbuildContract = {
  'postbuild.create': op(z.object({ projectId: id, checkedOn: isoDate }), z.object({ id: z.string() })),
  'postbuild.get': op(z.object({ id }), checkView),
  'postbuild.list': op(z.object({ projectId: id }), z.object({ rows: z.array(checkView) })),
  'postbuild.saveAnswer': op(z.object({ checkId: id, itemId: z.string().min(1).max(64), value: z.unknown(), comment: optionalText(2000).optional() }), checkView),
  'postbuild.sign': op(z.object({ id, name: requiredText(50), png: signaturePng }), checkView),
  /** A MES/ERP log-in export or material in/out records, CSV or XLSX (≤ 20 MB, base64). */
  'usage.import': op(
    z.object({ projectId: id, kind: z.enum(['login', 'material']), fileName: requiredText(200), data: base64File(20 * 1024 * 1024) }),
    z.object({ days: z.number(), rows: z.number(), skipped: z.number(), from: z.string().nullable(), to: z.string().nullable() }),
  ),
  'usage.get': op(
    z.object({ projectId: id }),
    z.object({
      stabilisation: perKind,
      freeAs: perKind,
      recent: perKind,
      months: z.array(z.object({ month: z.string(), loginDays: z.number(), materialEvents: z.number() })),
      warnings: z.array(z.string()),
      imports: z.array(z.object({ id: z.string(), kind: z.enum(['login', 'material']), fileName: z.string(), rows: z.number(), skipped: z.number(), from: z.string().nullable(), to: z.string().nullable(), importedAt: z.string() })),
    }),
  ),
  'projects.addPhoto': op(z.object({ projectId: id, fileName: requiredText(200), caption: optionalText(200), data: base64File(15 * 1024 * 1024) }), z.object({ id: z.string() })),
  'projects.photos': op(z.object({ projectId: id }), z.object({ rows: z.array(z.object({ id: z.string(), caption: z.string(), takenAt: z.string().nullable(), fileName: z.string(), sha256: z.string(), mime: z.string() })) })),
  'projects.saveDocuments': op(
    z.object({ projectId: id, documents: z.array(z.object({ id: id.optional(), title: requiredText(200), datedOn: isoDate, submittedOn: isoDate })).max(100) }),
    z.object({ ok: z.literal(true) }),
  ),
  'projects.documents': op(z.object({ projectId: id }), z.object({ rows: z.array(z.object({ id: z.string(), title: z.string(), datedOn: z.string(), submittedOn: z.string() })) })),
  'flags.list': op(
    z.object({ projectId: id }),
    z.object({
      flags: z.array(
        z.object({
          rule: z.enum(RED_FLAG_RULES),
          params: z.record(z.string(), z.union([z.string(), z.number()])),
          finding: z.object({ status: z.enum(['cleared', 'confirmed']), note: z.string(), recordedBy: z.string(), at: z.string() }).nullable(),
        }),
      ),
    }),
  ),
  'flags.record': op(z.object({ projectId: id, rule: z.enum(RED_FLAG_RULES), status: z.enum(['cleared', 'confirmed']), note: requiredText(2000), recordedBy: requiredText(50) }), z.object({ ok: z.literal(true) })),
  /** How the supplier's builds went after completion, project by project. */
  'suppliers.trackRecord': op(
    z.object({ id }),
    z.object({
      rows: z.array(
        z.object({
          projectId: z.string(),
          companyName: z.string(),
          title: z.string(),
          endsOn: z.string(),
          checkedOn: z.string().nullable(),
          signed: z.boolean(),
          activeUsers: z.number().nullable(),
          loginDaysRecent: z.number(),
          asRequests: z.number().nullable(),
          asResolved: z.number().nullable(),
          kpisMet: z.number(),
          kpisTotal: z.number(),
          warnings: z.array(z.string()),
          openFlags: z.number(),
        }),
      ),
    }),
  ),
} as const;
