import { z } from 'zod';
import { id } from '../schemas/common.ts';
import { companyInput, orgDetail, orgListInput, orgListOutput, supplierInput } from '../schemas/organizations.ts';
import { op } from './op.ts';

const byId = z.object({ id });
const saved = z.object({ id: z.string() });

/** SME registry (중소기업). */
export const companiesContract = {
  /** Page of companies matching a search (any substring, 초성) and filters. */
  'companies.list': op(orgListInput, orgListOutput),
  'companies.get': op(byId, orgDetail),
  'companies.create': op(companyInput, saved),
  /** Saves the whole form; only changed fields reach the change log. */
  'companies.update': op(companyInput.extend({ id }), saved),
  /** Archives (tombstones) a company; it can be restored. */
  'companies.archive': op(byId, saved),
  'companies.restore': op(byId, saved),
} as const;

/** Technology supplier registry (기술 공급기업). */
export const suppliersContract = {
  'suppliers.list': op(orgListInput, orgListOutput),
  'suppliers.get': op(byId, orgDetail),
  'suppliers.create': op(supplierInput, saved),
  'suppliers.update': op(supplierInput.extend({ id }), saved),
  'suppliers.archive': op(byId, saved),
  'suppliers.restore': op(byId, saved),
} as const;
