/**
 * What the programme needs to know about an organisation beyond its registry record: fraud sanctions and
 * the standing they give (excluded for five years, barred after a second finding), the VC link, and the
 * public profile the DX portal publishes once a consultant approves it.
 */
import type Database from 'better-sqlite3';
import { AppError, notFound } from '#shared/contract/errors';
import { localToday } from '#shared/domain/dates';
import { exclusionEnds, standing, vcLink, type FraudKind, type Standing, type VcLink } from '#shared/domain/supplier-standing';
import { portalProfiles, sanctions } from '#db/schema';
import type { DiagnosisService } from './diagnoses.ts';
import type { MutationLayer, TableSpec } from './mutations.ts';

export interface SanctionData {
  kind: FraudKind;
  foundOn: string;
  decidedOn: string;
  decision: string;
  clawbackKrw: number | null;
  projectRef: string;
}

export interface SanctionRow extends SanctionData {
  id: string;
  exclusionEnds: string;
  createdAt: string;
}

/** The profile the DX portal publishes (the central service takes exactly this JSON). */
export interface PortalProfile {
  schema: 'dx-mentor/supplier-profile@1';
  brn: string;
  name: string;
  region: string;
  techFields: string[];
  buildRecordCount: number | null;
  /** Customer satisfaction from the latest diagnosis (item p_satisfaction, 1–5). */
  satisfaction: number | null;
  revenue: { fiscalYear: number; krw: number } | null;
  level: { grade: string; points: number; excellent: boolean; diagnosedOn: string; track: string } | null;
  vcLinked: boolean;
}

export class SupplierService {
  constructor(
    private readonly sqlite: Database.Database,
    private readonly mutations: MutationLayer,
    private readonly diagnoses: DiagnosisService,
    private readonly today: () => string = () => localToday(),
  ) {}

  // ---- sanctions ----

  listSanctions(orgId: string): SanctionRow[] {
    return (
      this.sqlite
        .prepare('SELECT * FROM sanctions WHERE org_id = ? AND deleted_at IS NULL ORDER BY decided_on DESC, created_at DESC')
        .all(orgId) as { id: string; kind: FraudKind; found_on: string; decided_on: string; decision: string; clawback_krw: number | null; project_ref: string; created_at: string }[]
    ).map((r) => ({
      id: r.id,
      kind: r.kind,
      foundOn: r.found_on,
      decidedOn: r.decided_on,
      decision: r.decision,
      clawbackKrw: r.clawback_krw,
      projectRef: r.project_ref,
      exclusionEnds: exclusionEnds(r.decided_on),
      createdAt: r.created_at,
    }));
  }

  saveSanction(orgId: string, id: string | null, data: SanctionData): string {
    if (data.decidedOn < data.foundOn) {
      throw new AppError({ code: 'validation', messageKey: 'errors.validation', fields: { decidedOn: { key: 'validation.decidedBeforeFound' } } });
    }
    return this.mutations.transaction((tx) => {
      const [org] = tx.all('SELECT id FROM organizations WHERE id = ?', [orgId]);
      if (!org) throw notFound('organization');
      if (id === null) return tx.insert(sanctions, { orgId, ...data });
      const row = tx.get(sanctions, id);
      if (!row || row.deleted_at !== null || row.org_id !== orgId) throw notFound('sanction');
      tx.update(sanctions, id, { ...data });
      return id;
    });
  }

  /** Withdraws a record entered in error (the change log keeps it). */
  withdrawSanction(id: string): void {
    this.mutations.transaction((tx) => {
      const row = tx.get(sanctions, id);
      if (!row || row.deleted_at !== null) throw notFound('sanction');
      tx.archive(sanctions, id);
    });
  }

  standing(orgId: string): Standing {
    return standing(this.listSanctions(orgId), this.today());
  }

  // ---- VC link ----

  vcLink(orgId: string): VcLink {
    const org = this.sqlite.prepare("SELECT tech_fields FROM organizations WHERE id = ? AND kind = 'supplier'").get(orgId) as { tech_fields: string } | undefined;
    if (!org) throw notFound('supplier');
    const investments = this.sqlite.prepare('SELECT amount, invested_on AS investedOn FROM vc_investments WHERE org_id = ? AND deleted_at IS NULL').all(orgId) as {
      amount: number;
      investedOn: string;
    }[];
    return vcLink(investments, JSON.parse(org.tech_fields) as string[], this.today());
  }

  // ---- portal profile ----

  /** The profile as it would be published now, and the last approved one (with whether they still agree). */
  portal(orgId: string): { current: PortalProfile; approved: { profile: PortalProfile; approvedBy: string; approvedAt: string } | null; upToDate: boolean; standing: Standing } {
    const current = this.buildProfile(orgId);
    const last = this.sqlite
      .prepare('SELECT profile, approved_by, approved_at FROM portal_profiles WHERE org_id = ? AND deleted_at IS NULL ORDER BY approved_at DESC LIMIT 1')
      .get(orgId) as { profile: string; approved_by: string; approved_at: string } | undefined;
    const approved = last ? { profile: JSON.parse(last.profile) as PortalProfile, approvedBy: last.approved_by, approvedAt: last.approved_at } : null;
    return { current, approved, upToDate: approved !== null && JSON.stringify(approved.profile) === JSON.stringify(current), standing: this.standing(orgId) };
  }

  /** A consultant approves the profile as it stands; an excluded or barred supplier is not published. */
  approvePortal(orgId: string, approvedBy: string): void {
    const s = this.standing(orgId);
    if (s.state !== 'clear') throw new AppError({ code: 'conflict', messageKey: s.state === 'barred' ? 'errors.supplier.barred' : 'errors.supplier.excluded', params: s.state === 'excluded' ? { until: s.until } : {} });
    const profile = this.buildProfile(orgId);
    if (!profile.level) throw new AppError({ code: 'conflict', messageKey: 'errors.supplier.noDiagnosis' });
    const latest = this.diagnoses.latestFinal(orgId);
    this.mutations.transaction((tx) => {
      tx.insert(portalProfiles, { orgId, diagnosisId: latest?.id ?? null, profile: JSON.stringify(profile), approvedBy, approvedAt: new Date().toISOString() });
    });
  }

  /** The approved profile as the JSON file the central service takes; refused if none is approved or it is out of date. */
  portalExport(orgId: string): { fileName: string; json: Buffer } {
    const p = this.portal(orgId);
    if (!p.approved) throw new AppError({ code: 'conflict', messageKey: 'errors.supplier.notApproved' });
    if (!p.upToDate) throw new AppError({ code: 'conflict', messageKey: 'errors.supplier.approvalOutdated' });
    const body = { ...p.approved.profile, approvedBy: p.approved.approvedBy, approvedAt: p.approved.approvedAt };
    return { fileName: `portal-profile-${p.approved.profile.brn}.json`, json: Buffer.from(`${JSON.stringify(body, null, 2)}\n`, 'utf8') };
  }

  private buildProfile(orgId: string): PortalProfile {
    const org = this.sqlite.prepare("SELECT brn, name, region, tech_fields, build_record_count FROM organizations WHERE id = ? AND kind = 'supplier' AND deleted_at IS NULL").get(orgId) as
      | { brn: string; name: string; region: string; tech_fields: string; build_record_count: number | null }
      | undefined;
    if (!org) throw notFound('supplier');
    const fin = this.sqlite.prepare('SELECT fiscal_year, revenue FROM financials WHERE org_id = ? AND deleted_at IS NULL AND revenue IS NOT NULL ORDER BY fiscal_year DESC LIMIT 1').get(orgId) as
      | { fiscal_year: number; revenue: number }
      | undefined;
    const latest = this.diagnoses.latestFinal(orgId);
    return {
      schema: 'dx-mentor/supplier-profile@1',
      brn: org.brn,
      name: org.name,
      region: org.region,
      techFields: JSON.parse(org.tech_fields) as string[],
      buildRecordCount: org.build_record_count,
      satisfaction: latest?.answers.p_satisfaction?.score ?? null,
      revenue: fin ? { fiscalYear: fin.fiscal_year, krw: fin.revenue } : null,
      level: latest
        ? { grade: latest.result.grade.label, points: latest.result.points, excellent: latest.result.grade.excellent === true, diagnosedOn: latest.diagnosedOn, track: latest.track }
        : null,
      vcLinked: this.vcLink(orgId).eligible,
    };
  }
}

/** An approval is a record of what was approved: it never changes (a new approval is a new row). */
export const SUPPLIER_TABLES: TableSpec[] = [{ table: sanctions }, { table: portalProfiles, lockColumn: 'approvedAt' }];
