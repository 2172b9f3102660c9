/**
 * Build projects: a company's smart-factory project with its programme, budget split, dates, labour
 * figures and suppliers. A supplier that is excluded or barred by a fraud sanction cannot be picked.
 */
import type Database from 'better-sqlite3';
import { AppError, notFound } from '#shared/contract/errors';
import { localToday } from '#shared/domain/dates';
import { checkBudget, projectWindows, type BudgetCheck, type GradeCounts, type Windows } from '#shared/domain/projects';
import { standing, type FraudKind, type Standing } from '#shared/domain/supplier-standing';
import type { ProjectData } from '#shared/schemas/projects';
import { organizations, projects, projectSuppliers } from '#db/schema';
import { saveCollection } from './collections.ts';
import type { MutationLayer, TableSpec, Tx } from './mutations.ts';

export interface ProjectView extends Omit<ProjectData, 'supplierIds'> {
  id: string;
  companyName: string;
  createdAt: string;
  updatedAt: string;
  windows: Windows;
  budget: BudgetCheck;
  suppliers: { id: string; name: string; standing: Standing }[];
  /** The company has a fraud finding: all its projects are under special inspection. */
  specialInspection: boolean;
}

interface Row {
  id: string;
  org_id: string;
  programme: string;
  title: string;
  starts_on: string;
  ends_on: string;
  contract_on: string | null;
  final_inspection_on: string | null;
  budget_gov: number;
  budget_company: number;
  budget_large: number;
  sw_labour_krw: number | null;
  scope_units: number | null;
  grades_billed: string;
  grades_declared: string;
  notes: string;
  created_at: string;
  updated_at: string;
}

export class ProjectService {
  constructor(
    private readonly sqlite: Database.Database,
    private readonly mutations: MutationLayer,
    private readonly today: () => string = () => localToday(),
  ) {}

  create(data: ProjectData): string {
    return this.mutations.transaction((tx) => {
      this.requireCompany(tx, data.companyId);
      this.requirePickable(tx, data.supplierIds, []);
      const id = tx.insert(projects, this.values(data));
      this.saveSuppliers(tx, id, data.supplierIds);
      return id;
    });
  }

  update(id: string, data: ProjectData): string {
    return this.mutations.transaction((tx) => {
      const row = tx.get(projects, id);
      if (!row || row.deleted_at !== null) throw notFound('project');
      if (row.org_id !== data.companyId) throw notFound('project');
      const current = (tx.all('SELECT supplier_id FROM project_suppliers WHERE project_id = ? AND deleted_at IS NULL', [id]) as { supplier_id: string }[]).map((r) => r.supplier_id);
      // A supplier sanctioned after it was picked stays on the project (under inspection); a new pick must be clear.
      this.requirePickable(tx, data.supplierIds, current);
      tx.update(projects, id, this.values(data));
      this.saveSuppliers(tx, id, data.supplierIds);
      return id;
    });
  }

  get(id: string): ProjectView {
    const r = this.sqlite.prepare('SELECT * FROM projects WHERE id = ? AND deleted_at IS NULL').get(id) as Row | undefined;
    if (!r) throw notFound('project');
    const company = this.sqlite.prepare('SELECT name FROM organizations WHERE id = ?').get(r.org_id) as { name: string };
    const suppliers = this.sqlite
      .prepare(
        `SELECT o.id, o.name FROM project_suppliers ps JOIN organizations o ON o.id = ps.supplier_id
         WHERE ps.project_id = ? AND ps.deleted_at IS NULL ORDER BY ps.created_at, ps.id`,
      )
      .all(id) as { id: string; name: string }[];
    return {
      id: r.id,
      companyId: r.org_id,
      companyName: company.name,
      programme: r.programme,
      title: r.title,
      startsOn: r.starts_on,
      endsOn: r.ends_on,
      contractOn: r.contract_on,
      finalInspectionOn: r.final_inspection_on,
      budgetGov: r.budget_gov,
      budgetCompany: r.budget_company,
      budgetLarge: r.budget_large,
      swLabourKrw: r.sw_labour_krw,
      scopeUnits: r.scope_units,
      gradesBilled: JSON.parse(r.grades_billed) as GradeCounts,
      gradesDeclared: JSON.parse(r.grades_declared) as GradeCounts,
      notes: r.notes,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      windows: projectWindows(r.starts_on, r.ends_on),
      budget: checkBudget(r.programme, r.budget_gov, r.budget_company, r.budget_large),
      suppliers: suppliers.map((s) => ({ ...s, standing: this.standingOf(s.id) })),
      specialInspection: this.standingOf(r.org_id).specialInspection,
    };
  }

  listForCompany(companyId: string): ProjectView[] {
    return (this.sqlite.prepare('SELECT id FROM projects WHERE org_id = ? AND deleted_at IS NULL ORDER BY starts_on DESC, created_at DESC').all(companyId) as { id: string }[]).map((r) => this.get(r.id));
  }

  listForSupplier(supplierId: string): ProjectView[] {
    return (
      this.sqlite
        .prepare(
          `SELECT DISTINCT p.id, p.starts_on FROM projects p JOIN project_suppliers ps ON ps.project_id = p.id
           WHERE ps.supplier_id = ? AND ps.deleted_at IS NULL AND p.deleted_at IS NULL ORDER BY p.starts_on DESC`,
        )
        .all(supplierId) as { id: string }[]
    ).map((r) => this.get(r.id));
  }

  standingOf(orgId: string): Standing {
    const rows = this.sqlite.prepare('SELECT kind, decided_on FROM sanctions WHERE org_id = ? AND deleted_at IS NULL').all(orgId) as { kind: FraudKind; decided_on: string }[];
    return standing(rows.map((r) => ({ kind: r.kind, decidedOn: r.decided_on })), this.today());
  }

  private requireCompany(tx: Tx, companyId: string): void {
    const org = tx.get(organizations, companyId);
    if (!org || org.kind !== 'company') throw notFound('company');
    if (org.deleted_at !== null) throw new AppError({ code: 'conflict', messageKey: 'errors.archived' });
  }

  private requirePickable(tx: Tx, supplierIds: string[], alreadyOn: string[]): void {
    for (const [i, supplierId] of supplierIds.entries()) {
      const org = tx.get(organizations, supplierId);
      if (!org || org.kind !== 'supplier' || org.deleted_at !== null) {
        throw new AppError({ code: 'validation', messageKey: 'errors.validation', fields: { [`supplierIds.${i}`]: { key: 'validation.choice' } } });
      }
      if (alreadyOn.includes(supplierId)) continue;
      const name = String(org.name);
      const s = this.standingOf(supplierId);
      if (s.state === 'barred') throw new AppError({ code: 'conflict', messageKey: 'errors.project.supplierBarred', params: { name }, fields: { supplierIds: { key: 'errors.project.supplierBarred', params: { name } } } });
      if (s.state === 'excluded') {
        throw new AppError({ code: 'conflict', messageKey: 'errors.project.supplierExcluded', params: { name, until: s.until }, fields: { supplierIds: { key: 'errors.project.supplierExcluded', params: { name, until: s.until } } } });
      }
    }
  }

  private saveSuppliers(tx: Tx, projectId: string, supplierIds: string[]): void {
    saveCollection(tx, projectSuppliers, { column: 'project_id', prop: 'projectId', id: projectId }, supplierIds.map((supplierId) => ({ supplierId })), (s) => ({ supplierId: s.supplierId }), {
      column: 'supplier_id',
      of: (s) => s.supplierId,
    });
  }

  private values(d: ProjectData) {
    return {
      orgId: d.companyId,
      programme: d.programme,
      title: d.title,
      startsOn: d.startsOn,
      endsOn: d.endsOn,
      contractOn: d.contractOn,
      finalInspectionOn: d.finalInspectionOn,
      budgetGov: d.budgetGov,
      budgetCompany: d.budgetCompany,
      budgetLarge: d.budgetLarge,
      swLabourKrw: d.swLabourKrw,
      scopeUnits: d.scopeUnits,
      gradesBilled: JSON.stringify(d.gradesBilled),
      gradesDeclared: JSON.stringify(d.gradesDeclared),
      notes: d.notes,
    };
  }
}

export const PROJECT_TABLES: TableSpec[] = [{ table: projects }, { table: projectSuppliers }];
