/**
 * The SME (company) and technology-supplier registries: one table, two kinds. Lists are paged and
 * searched in SQL; writes go through the mutation layer in one transaction with their child rows.
 */
import type Database from 'better-sqlite3';
import { AppError, fieldConflict, notFound } from '#shared/contract/errors';
import type { CompanyData, OrgDetail, OrgRow, SupplierData } from '#shared/schemas/organizations';
import type { z } from 'zod';
import type { orgListInput } from '#shared/schemas/organizations';
import { localToday } from '#shared/domain/dates';
import { standing, type FraudKind, type Standing } from '#shared/domain/supplier-standing';
import { contacts, financials, organizations, vcInvestments } from '#db/schema';
import { saveCollection } from './collections.ts';
import type { MutationLayer, Tx, Values } from './mutations.ts';
import type { SearchIndex } from './search.ts';

export type OrgKind = 'company' | 'supplier';
type ListInput = z.output<typeof orgListInput>;
type OrgData = CompanyData & Partial<Pick<SupplierData, 'techFields' | 'buildRecordCount' | 'vcInvestments'>>;

interface OrgSqlRow {
  id: string;
  kind: OrgKind;
  brn: string;
  name: string;
  representative: string;
  region: string;
  address: string;
  ksic_code: string;
  industry_name: string;
  employees: number | null;
  founded_on: string | null;
  notes: string;
  tech_fields: string;
  build_record_count: number | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

const SORT_SQL: Record<ListInput['sort']['field'], string> = {
  name: 'o.name',
  region: 'o.region',
  employees: 'o.employees',
  revenue: 'latest_revenue',
  updatedAt: 'o.updated_at',
  level: 'level_points',
};

const LATEST_DIAGNOSIS = `(SELECT d.result FROM diagnoses d WHERE d.org_id = o.id AND d.deleted_at IS NULL AND d.finalized_at IS NOT NULL ORDER BY d.diagnosed_on DESC, d.created_at DESC LIMIT 1)`;

const LATEST_FIN = `(SELECT f.%s FROM financials f WHERE f.org_id = o.id AND f.deleted_at IS NULL ORDER BY f.fiscal_year DESC LIMIT 1)`;

export class OrganizationService {
  constructor(
    private readonly sqlite: Database.Database,
    private readonly mutations: MutationLayer,
    private readonly search: SearchIndex,
    private readonly today: () => string = () => localToday(),
  ) {
    mutations.onWrite(organizations, (tx, _t, id) => {
      const row = tx.get(organizations, id) as unknown as OrgSqlRow;
      search.index(row.kind, id, [row.name, row.representative, row.brn], { active: row.deleted_at === null, sortKey: row.name });
    });
    mutations.onRemove(organizations, (_t, id) => search.remove(id));
  }

  list(kind: OrgKind, input: ListInput): { rows: OrgRow[]; total: number } {
    const onlySearch = !input.regions.length && !input.ksic.length && !input.techFields.length && input.sort.field === 'name';
    const fromIndex = onlySearch
      ? this.search.namePage(kind, input.query, {
          archived: input.archived,
          dir: input.sort.dir,
          limit: input.pageSize,
          offset: (input.page - 1) * input.pageSize,
        })
      : null;
    if (fromIndex) {
      const rows = this.rowsWhere(`o.id IN (${fromIndex.ids.map(() => '?').join(',')})`, fromIndex.ids, '', []);
      const byId = new Map(rows.map((r) => [r.id, r]));
      return { total: fromIndex.total, rows: fromIndex.ids.map((id) => byId.get(id)).filter((r): r is OrgRow => r !== undefined) };
    }
    const where: string[] = ['o.kind = ?'];
    const params: (string | number)[] = [kind];
    if (input.archived === 'active') where.push('o.deleted_at IS NULL');
    if (input.archived === 'archived') where.push('o.deleted_at IS NOT NULL');
    if (input.regions.length) {
      where.push(`o.region IN (${input.regions.map(() => '?').join(',')})`);
      params.push(...input.regions);
    }
    if (input.ksic.length) {
      where.push(`substr(o.ksic_code, 1, 2) IN (${input.ksic.map(() => '?').join(',')})`);
      params.push(...input.ksic);
    }
    for (const f of input.techFields) {
      where.push(`EXISTS (SELECT 1 FROM json_each(o.tech_fields) j WHERE j.value = ?)`);
      params.push(f);
    }
    // With a search, drive the query from the (usually small) set of matches: CROSS JOIN fixes the loop order.
    const match = this.search.matchClause(kind, input.query);
    const from = match ? `(${match.sql}) AS m CROSS JOIN organizations o ON o.id = m.entity_id` : 'organizations o';
    const fromParams = match ? match.params : [];
    const whereSql = where.join(' AND ');
    const total = (this.sqlite.prepare(`SELECT count(*) AS n FROM ${from} WHERE ${whereSql}`).get(...fromParams, ...params) as { n: number }).n;

    const dir = input.sort.dir === 'desc' ? 'DESC' : 'ASC';
    const sortCol = SORT_SQL[input.sort.field];
    const order: string[] = [];
    const orderParams: string[] = [];
    if (match) {
      // Names that start with the query come first.
      order.push(`CASE WHEN o.name LIKE ? ESCAPE '\\' THEN 0 ELSE 1 END`);
      orderParams.push(`${input.query.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
    // Empty numbers sort last; other columns are never null (and keep the name index usable).
    if (input.sort.field === 'employees' || input.sort.field === 'revenue' || input.sort.field === 'level') order.push(`${sortCol} IS NULL`);
    order.push(`${sortCol} ${dir}`);
    if (input.sort.field !== 'name') order.push('o.name ASC');
    order.push('o.id ASC');
    const rows = this.rowsWhere(`${whereSql} ORDER BY ${order.join(', ')} LIMIT ? OFFSET ?`, [...params, ...orderParams, input.pageSize, (input.page - 1) * input.pageSize], from, fromParams);
    return { total, rows };
  }

  /** List rows (with latest revenue and pair) for a WHERE … ORDER BY … tail. */
  private rowsWhere(tail: string, params: (string | number)[], from: string, fromParams: string[]): OrgRow[] {
    const rows = this.sqlite
      .prepare(
        `SELECT o.id, o.brn, o.name, o.representative, o.region, o.ksic_code, o.industry_name, o.employees,
                o.tech_fields, o.updated_at, o.deleted_at,
                ${LATEST_FIN.replace('%s', 'revenue')} AS latest_revenue,
                ${LATEST_FIN.replace('%s', 'fiscal_year')} AS latest_year,
                (SELECT a.pair_id FROM pair_assignments a WHERE a.org_id = o.id AND a.deleted_at IS NULL) AS pair_id,
                json_extract(${LATEST_DIAGNOSIS}, '$.points') AS level_points,
                json_extract(${LATEST_DIAGNOSIS}, '$.grade.label') AS level_grade,
                json_extract(${LATEST_DIAGNOSIS}, '$.grade.excellent') AS level_excellent
         FROM ${from || 'organizations o'} WHERE ${tail}`,
      )
      .all(...fromParams, ...params) as (OrgSqlRow & {
      latest_revenue: number | null;
      latest_year: number | null;
      pair_id: string | null;
      level_points: number | null;
      level_grade: string | null;
      level_excellent: number | null;
    })[];
    const standings = this.standings(rows.map((r) => r.id));
    return rows.map((r) => ({
        id: r.id,
        brn: r.brn,
        name: r.name,
        representative: r.representative,
        region: r.region,
        ksicCode: r.ksic_code,
        industryName: r.industry_name,
        employees: r.employees,
        latestRevenue: r.latest_revenue,
        latestFiscalYear: r.latest_year,
        techFields: JSON.parse(r.tech_fields) as string[],
        pairId: r.pair_id,
        level: r.level_points === null || r.level_grade === null ? null : { grade: r.level_grade, points: r.level_points, excellent: r.level_excellent === 1 },
        standing: standings.get(r.id)?.state ?? 'clear',
        updatedAt: r.updated_at,
        deletedAt: r.deleted_at,
      }));
  }

  /** Sanction standing of the listed organisations, today. */
  private standings(ids: string[]): Map<string, Standing> {
    const out = new Map<string, Standing>();
    if (ids.length === 0) return out;
    const rows = this.sqlite
      .prepare(`SELECT org_id, kind, decided_on FROM sanctions WHERE deleted_at IS NULL AND org_id IN (${ids.map(() => '?').join(',')})`)
      .all(...ids) as { org_id: string; kind: FraudKind; decided_on: string }[];
    const today = this.today();
    for (const id of new Set(rows.map((r) => r.org_id))) out.set(id, standing(rows.filter((r) => r.org_id === id).map((r) => ({ kind: r.kind, decidedOn: r.decided_on })), today));
    return out;
  }

  get(kind: OrgKind, id: string): OrgDetail {
    const r = this.sqlite.prepare('SELECT * FROM organizations WHERE id = ? AND kind = ?').get(id, kind) as OrgSqlRow | undefined;
    if (!r) throw notFound(kind);
    const fins = this.sqlite
      .prepare('SELECT id, fiscal_year, revenue, operating_profit FROM financials WHERE org_id = ? AND deleted_at IS NULL ORDER BY fiscal_year DESC')
      .all(id) as { id: string; fiscal_year: number; revenue: number | null; operating_profit: number | null }[];
    const cons = this.sqlite
      .prepare('SELECT id, name, role, phone, email FROM contacts WHERE org_id = ? AND deleted_at IS NULL ORDER BY created_at, id')
      .all(id) as OrgDetail['contacts'];
    const vcs = this.sqlite
      .prepare('SELECT id, amount, invested_on, investor FROM vc_investments WHERE org_id = ? AND deleted_at IS NULL ORDER BY invested_on DESC')
      .all(id) as { id: string; amount: number; invested_on: string; investor: string }[];
    const pair = this.sqlite
      .prepare(
        `SELECT p.id, pm.name AS process_mentor, am.name AS ai_mentor, a.assigned_on
         FROM pair_assignments a JOIN mentor_pairs p ON p.id = a.pair_id
         JOIN mentors pm ON pm.id = p.process_mentor_id JOIN mentors am ON am.id = p.ai_mentor_id
         WHERE a.org_id = ? AND a.deleted_at IS NULL`,
      )
      .get(id) as { id: string; process_mentor: string; ai_mentor: string; assigned_on: string } | undefined;
    return {
      id: r.id,
      kind: r.kind,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      deletedAt: r.deleted_at,
      brn: r.brn,
      name: r.name,
      representative: r.representative,
      region: r.region,
      address: r.address,
      ksicCode: r.ksic_code,
      industryName: r.industry_name,
      employees: r.employees,
      foundedOn: r.founded_on,
      notes: r.notes,
      techFields: JSON.parse(r.tech_fields) as string[],
      buildRecordCount: r.build_record_count,
      financials: fins.map((f) => ({ id: f.id, fiscalYear: f.fiscal_year, revenue: f.revenue, operatingProfit: f.operating_profit })),
      contacts: cons,
      vcInvestments: vcs.map((v) => ({ id: v.id, amount: v.amount, investedOn: v.invested_on, investor: v.investor })),
      pair: pair ? { id: pair.id, processMentor: pair.process_mentor, aiMentor: pair.ai_mentor, assignedOn: pair.assigned_on } : null,
    };
  }

  create(kind: OrgKind, data: OrgData): string {
    return this.mutations.transaction((tx) => {
      this.assertUniqueBrn(tx, kind, data.brn, null);
      const id = tx.insert(organizations, { kind, ...orgValues(kind, data) });
      this.saveChildren(tx, kind, id, data);
      return id;
    });
  }

  update(kind: OrgKind, id: string, data: OrgData): string {
    return this.mutations.transaction((tx) => {
      this.requireKind(tx, kind, id);
      // An archived record is read-only until it is restored.
      if (tx.get(organizations, id)?.deleted_at !== null) throw new AppError({ code: 'conflict', messageKey: 'errors.archived' });
      this.assertUniqueBrn(tx, kind, data.brn, id);
      tx.update(organizations, id, orgValues(kind, data));
      this.saveChildren(tx, kind, id, data);
      return id;
    });
  }

  archive(kind: OrgKind, id: string): string {
    return this.mutations.transaction((tx) => {
      this.requireKind(tx, kind, id);
      tx.archive(organizations, id);
      return id;
    });
  }

  restore(kind: OrgKind, id: string): string {
    return this.mutations.transaction((tx) => {
      this.requireKind(tx, kind, id);
      tx.restore(organizations, id);
      return id;
    });
  }

  private requireKind(tx: Tx, kind: OrgKind, id: string): void {
    const row = tx.get(organizations, id);
    if (!row || row.kind !== kind) throw notFound(kind);
  }

  private assertUniqueBrn(tx: Tx, kind: OrgKind, brn: string, selfId: string | null): void {
    const [other] = tx.all('SELECT id, name, deleted_at FROM organizations WHERE kind = ? AND brn = ? AND id IS NOT ?', [kind, brn, selfId]) as {
      id: string;
      name: string;
      deleted_at: string | null;
    }[];
    if (other) {
      throw fieldConflict('brn', other.deleted_at ? 'validation.brn.duplicateArchived' : 'validation.brn.duplicate', { name: other.name });
    }
  }

  private saveChildren(tx: Tx, kind: OrgKind, id: string, data: OrgData): void {
    const parent = { column: 'org_id', prop: 'orgId', id };
    saveCollection(
      tx,
      financials,
      parent,
      data.financials,
      (f) => ({ fiscalYear: f.fiscalYear, revenue: f.revenue, operatingProfit: f.operatingProfit }),
      { column: 'fiscal_year', of: (f) => f.fiscalYear },
    );
    saveCollection(tx, contacts, parent, data.contacts, (c) => ({ name: c.name, role: c.role, phone: c.phone, email: c.email }));
    if (kind === 'supplier') {
      saveCollection(tx, vcInvestments, parent, data.vcInvestments ?? [], (v) => ({
        amount: v.amount,
        investedOn: v.investedOn,
        investor: v.investor,
      }));
    }
  }
}

function orgValues(kind: OrgKind, d: OrgData): Values {
  return {
    brn: d.brn,
    name: d.name,
    representative: d.representative,
    region: d.region,
    address: d.address,
    ksicCode: d.ksicCode,
    industryName: d.industryName,
    employees: d.employees,
    foundedOn: d.foundedOn,
    notes: d.notes,
    ...(kind === 'supplier'
      ? { techFields: JSON.stringify([...(d.techFields ?? [])].sort()), buildRecordCount: d.buildRecordCount ?? null }
      : {}),
  };
}
