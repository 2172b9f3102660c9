/**
 * After the build: the post-build check (versioned checklist, signed and then immutable), real utilisation
 * from imported MES/ERP log-in exports and material in/out records, photos and documents of what was
 * built, the fraud red flags over all of it with the mentor's findings, and a supplier's track record.
 */
import { contentHash } from './signing.ts';
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import type Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import exifr from 'exifr';
import { AppError, notFound } from '#shared/contract/errors';
import { localToday } from '#shared/domain/dates';
import { KPI_DEFINITIONS } from '#shared/domain/programmes';
import { isNearDuplicate } from '#shared/domain/image-hash';
import { redFlags, type PhotoElsewhere, type RedFlag, type RedFlagRule } from '#shared/domain/red-flags';
import { aggregate, summariseUsage, type UsageDay, type UsageKind, type UsageSummary } from '#shared/domain/utilisation';
import { LOWER_IS_BETTER, postbuildV1, type CheckItem } from '#shared/instruments/postbuild-v1';
import { isoDate } from '#shared/schemas/common';
import { postbuildAnswers, postbuildChecks, projectDocuments, projectPhotos, redFlagFindings, usageDays, usageImports } from '#db/schema';
import type { AttachmentStore } from './attachments.ts';
import { saveCollection } from './collections.ts';
import type { MutationLayer, TableSpec } from './mutations.ts';
import type { ProjectService } from './projects.ts';

export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

type Value = string | number | null;

export interface CheckView {
  id: string;
  projectId: string;
  checkedOn: string;
  instrumentVersion: number;
  answers: Record<string, { value: Value; comment: string }>;
  signerName: string | null;
  signedAt: string | null;
  missing: string[];
  /** What the checklist itself flags (use, after-service, supplier closed, KPIs behind). */
  flags: { key: string; params: Record<string, string | number> }[];
}

export class PostbuildService {
  constructor(
    private readonly sqlite: Database.Database,
    private readonly mutations: MutationLayer,
    private readonly projects: ProjectService,
    private readonly files: AttachmentStore,
    private readonly today: () => string = () => localToday(),
  ) {}

  // ---- the check ----

  createCheck(projectId: string, checkedOn: string): string {
    this.projects.get(projectId);
    const recent = this.usage(projectId).recent;
    return this.mutations.transaction((tx) => {
      const id = tx.insert(postbuildChecks, { projectId, instrumentId: postbuildV1.id, instrumentVersion: postbuildV1.version, checkedOn });
      // Figures from imported records start the utilisation answers (the mentor can correct them).
      if (recent.login.events > 0) {
        tx.insert(postbuildAnswers, { checkId: id, itemId: 'use_active_users', value: JSON.stringify(recent.login.activeUsers) });
        tx.insert(postbuildAnswers, { checkId: id, itemId: 'use_logins_week', value: JSON.stringify(Math.round((recent.login.events / 30) * 7 * 10) / 10) });
        tx.insert(postbuildAnswers, { checkId: id, itemId: 'use_material_tx_month', value: JSON.stringify(recent.material.events) });
      }
      return id;
    });
  }

  getCheck(id: string): CheckView {
    const r = this.sqlite.prepare('SELECT * FROM postbuild_checks WHERE id = ? AND deleted_at IS NULL').get(id) as
      | { id: string; project_id: string; checked_on: string; instrument_version: number; signer_name: string | null; signed_at: string | null }
      | undefined;
    if (!r) throw notFound('check');
    const answers: CheckView['answers'] = {};
    for (const a of this.sqlite.prepare('SELECT item_id, value, comment FROM postbuild_answers WHERE check_id = ? AND deleted_at IS NULL').all(id) as { item_id: string; value: string | null; comment: string }[]) {
      answers[a.item_id] = { value: a.value === null ? null : (JSON.parse(a.value) as Value), comment: a.comment };
    }
    const v = (item: string) => answers[item]?.value ?? null;
    const visible = (i: CheckItem) => !i.showIf || i.showIf.in.includes(String(v(i.showIf.item)));
    return {
      id: r.id,
      projectId: r.project_id,
      checkedOn: r.checked_on,
      instrumentVersion: r.instrument_version,
      answers,
      signerName: r.signer_name,
      signedAt: r.signed_at,
      missing: postbuildV1.items.filter((i) => i.required && visible(i) && (v(i.id) === null || v(i.id) === '')).map((i) => i.id),
      flags: checklistFlags(v, this.baseline(r.project_id)),
    };
  }

  listChecks(projectId: string): CheckView[] {
    return (this.sqlite.prepare('SELECT id FROM postbuild_checks WHERE project_id = ? AND deleted_at IS NULL ORDER BY checked_on DESC, created_at DESC').all(projectId) as { id: string }[]).map((r) =>
      this.getCheck(r.id),
    );
  }

  saveAnswer(checkId: string, itemId: string, value: unknown, comment: string | undefined): CheckView {
    const check = this.getCheck(checkId);
    const item = postbuildV1.items.find((i) => i.id === itemId);
    if (!item) throw new AppError({ code: 'validation', messageKey: 'errors.validation', fields: { itemId: { key: 'validation.choice' } } });
    const err = checkValue(item, value);
    if (err) throw new AppError({ code: 'validation', messageKey: 'errors.validation', fields: { value: { key: err } } });
    this.mutations.transaction((tx) => {
      const [existing] = tx.all('SELECT id FROM postbuild_answers WHERE check_id = ? AND item_id = ?', [checkId, itemId]) as { id: string }[];
      const fields = { ...(value === undefined ? {} : { value: value === null || value === '' ? null : JSON.stringify(value) }), ...(comment === undefined ? {} : { comment }) };
      if (existing) tx.update(postbuildAnswers, existing.id, fields);
      else tx.insert(postbuildAnswers, { checkId, itemId, ...fields });
    });
    return this.getCheck(check.id);
  }

  /** The mentor signs the completed check; from then on nothing in it can change. */
  signCheck(id: string, signerName: string, png: string): CheckView {
    const check = this.getCheck(id);
    if (check.signedAt) throw new AppError({ code: 'locked', messageKey: 'errors.locked' });
    if (check.missing.length) {
      throw new AppError({
        code: 'validation',
        messageKey: 'errors.postbuild.incomplete',
        params: { count: check.missing.length },
        fields: Object.fromEntries(check.missing.map((m) => [m, { key: 'validation.required' }])),
      });
    }
    this.mutations.transaction((tx) => {
      tx.update(postbuildChecks, id, { signerName, signature: png });
      tx.update(postbuildChecks, id, { contentHash: contentHash(this.sqlite, 'postbuild_checks', id) });
      tx.update(postbuildChecks, id, { signedAt: new Date().toISOString() });
    });
    return this.getCheck(id);
  }

  /** KPI baseline recorded at the company's latest finalised assessment. */
  private baseline(projectId: string): Record<string, number | null> {
    const rows = this.sqlite
      .prepare(
        `SELECT k.kpi_id, k.value FROM assessment_kpis k
         WHERE k.deleted_at IS NULL AND k.assessment_id = (
           SELECT a.id FROM assessments a JOIN projects p ON p.org_id = a.org_id
           WHERE p.id = ? AND a.deleted_at IS NULL AND a.finalized_at IS NOT NULL ORDER BY a.finalized_at DESC LIMIT 1)`,
      )
      .all(projectId) as { kpi_id: string; value: number | null }[];
    return Object.fromEntries(rows.map((r) => [r.kpi_id, r.value]));
  }

  // ---- utilisation ----

  /** Imports a CSV or XLSX export; the newest import wins for the days it covers. The same file twice is refused. */
  async importUsage(projectId: string, kind: UsageKind, fileName: string, bytes: Buffer): Promise<{ days: number; rows: number; skipped: number; from: string | null; to: string | null }> {
    this.projects.get(projectId);
    if (bytes.length === 0 || bytes.length > MAX_IMPORT_BYTES) throw new AppError({ code: 'validation', messageKey: 'errors.validation', fields: { data: { key: 'validation.importSize', params: { max: 20 } } } });
    const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
    const table = await readTable(fileName, bytes);
    if (!table || table.rows.length === 0) throw new AppError({ code: 'validation', messageKey: 'errors.usage.empty' });
    const agg = aggregate(kind, table.headers, table.rows);
    if (!agg) throw new AppError({ code: 'validation', messageKey: 'errors.usage.noDateColumn', params: { headers: table.headers.filter(Boolean).join(', ') } });
    if (agg.days.length === 0) throw new AppError({ code: 'validation', messageKey: 'errors.usage.noDates', params: { rows: table.rows.length } });
    const from = agg.days[0]?.day ?? null;
    const to = agg.days.at(-1)?.day ?? null;
    this.mutations.transaction((tx) => {
      const [dup] = tx.all('SELECT id FROM usage_imports WHERE project_id = ? AND kind = ? AND sha256 = ? AND deleted_at IS NULL', [projectId, kind, sha256]);
      if (dup) throw new AppError({ code: 'conflict', messageKey: 'errors.usage.duplicate', params: { file: fileName } });
      tx.insert(usageImports, { projectId, kind, fileName, sha256, rows: table.rows.length, skipped: agg.skipped, fromDay: from, toDay: to });
      for (const d of agg.days) {
        const [existing] = tx.all('SELECT id FROM usage_days WHERE project_id = ? AND kind = ? AND day = ?', [projectId, kind, d.day]) as { id: string }[];
        const values = { users: JSON.stringify(d.users), events: d.events };
        if (existing) tx.update(usageDays, existing.id, values);
        else tx.insert(usageDays, { projectId, kind, day: d.day, ...values });
      }
    });
    return { days: agg.days.length, rows: table.rows.length, skipped: agg.skipped, from, to };
  }

  usageDays(projectId: string): UsageDay[] {
    return (
      this.sqlite.prepare('SELECT kind, day, users, events FROM usage_days WHERE project_id = ? AND deleted_at IS NULL ORDER BY day').all(projectId) as {
        kind: UsageKind;
        day: string;
        users: string;
        events: number;
      }[]
    ).map((r) => ({ kind: r.kind, day: r.day, users: JSON.parse(r.users) as string[], events: r.events }));
  }

  usage(projectId: string): UsageSummary & { imports: { id: string; kind: UsageKind; fileName: string; rows: number; skipped: number; from: string | null; to: string | null; importedAt: string }[] } {
    const p = this.projects.get(projectId);
    const imports = (
      this.sqlite
        .prepare('SELECT id, kind, file_name, rows, skipped, from_day, to_day, created_at FROM usage_imports WHERE project_id = ? AND deleted_at IS NULL ORDER BY created_at DESC, rowid DESC')
        .all(projectId) as { id: string; kind: UsageKind; file_name: string; rows: number; skipped: number; from_day: string | null; to_day: string | null; created_at: string }[]
    ).map((r) => ({ id: r.id, kind: r.kind, fileName: r.file_name, rows: r.rows, skipped: r.skipped, from: r.from_day, to: r.to_day, importedAt: r.created_at }));
    return { ...summariseUsage(this.usageDays(projectId), p.windows, this.today()), imports };
  }

  // ---- photos and documents ----

  async addPhoto(projectId: string, fileName: string, bytes: Buffer, caption: string): Promise<string> {
    this.projects.get(projectId);
    let takenAt: string | null = null;
    try {
      const exif = (await exifr.parse(bytes, ['DateTimeOriginal'])) as { DateTimeOriginal?: Date } | undefined;
      if (exif?.DateTimeOriginal instanceof Date && !Number.isNaN(exif.DateTimeOriginal.getTime())) takenAt = exif.DateTimeOriginal.toISOString();
    } catch {
      // No readable metadata: the photo simply has no taken-at date.
    }
    return this.mutations.transaction((tx) => tx.insert(projectPhotos, { projectId, attachmentId: this.files.put(tx, bytes, fileName), caption, takenAt }));
  }

  photos(projectId: string) {
    return (
      this.sqlite
        .prepare(
          `SELECT p.id, p.caption, p.taken_at, a.file_name, a.sha256, a.mime FROM project_photos p JOIN attachments a ON a.id = p.attachment_id
           WHERE p.project_id = ? AND p.deleted_at IS NULL ORDER BY p.created_at, p.id`,
        )
        .all(projectId) as { id: string; caption: string; taken_at: string | null; file_name: string; sha256: string; mime: string }[]
    ).map((r) => ({ id: r.id, caption: r.caption, takenAt: r.taken_at, fileName: r.file_name, sha256: r.sha256, mime: r.mime }));
  }

  saveDocuments(projectId: string, docs: { id?: string | undefined; title: string; datedOn: string; submittedOn: string }[]): void {
    this.projects.get(projectId);
    this.mutations.transaction((tx) => {
      saveCollection(tx, projectDocuments, { column: 'project_id', prop: 'projectId', id: projectId }, docs, (d) => ({ title: d.title, datedOn: d.datedOn, submittedOn: d.submittedOn }));
    });
  }

  documents(projectId: string) {
    return (
      this.sqlite.prepare('SELECT id, title, dated_on, submitted_on FROM project_documents WHERE project_id = ? AND deleted_at IS NULL ORDER BY submitted_on, created_at').all(projectId) as {
        id: string;
        title: string;
        dated_on: string;
        submitted_on: string;
      }[]
    ).map((r) => ({ id: r.id, title: r.title, datedOn: r.dated_on, submittedOn: r.submitted_on }));
  }

  // ---- red flags ----

  redFlags(projectId: string): { flags: (RedFlag & { finding: { status: 'cleared' | 'confirmed'; note: string; recordedBy: string; at: string } | null })[] } {
    const p = this.projects.get(projectId);
    const photos = this.photos(projectId);
    const photoElsewhere = this.photoUses(projectId, p.companyId, p.suppliers.map((s) => s.id));
    const peers = (
      this.sqlite
        .prepare('SELECT sw_labour_krw * 1.0 / scope_units AS r FROM projects WHERE id <> ? AND deleted_at IS NULL AND sw_labour_krw > 0 AND scope_units > 0')
        .all(projectId) as { r: number }[]
    ).map((x) => x.r);
    const flags = redFlags({
      today: this.today(),
      project: p,
      usage: this.usageDays(projectId),
      photos,
      documents: this.documents(projectId),
      photoElsewhere,
      peerLabourPerUnit: peers,
    });
    const findings = new Map(
      (
        this.sqlite.prepare('SELECT rule_id, status, note, recorded_by, updated_at FROM red_flag_findings WHERE project_id = ? AND deleted_at IS NULL').all(projectId) as {
          rule_id: string;
          status: 'cleared' | 'confirmed';
          note: string;
          recorded_by: string;
          updated_at: string;
        }[]
      ).map((f) => [f.rule_id, { status: f.status, note: f.note, recordedBy: f.recorded_by, at: f.updated_at }]),
    );
    return { flags: flags.map((f) => ({ ...f, finding: findings.get(f.rule) ?? null })) };
  }

  /**
   * Where else this project's photos appear: the same bytes, or a near-duplicate image (perceptual hash),
   * in another company's records or in another project of a shared supplier.
   */
  private photoUses(projectId: string, companyId: string, supplierIds: string[]): PhotoElsewhere[] {
    const own = this.sqlite
      .prepare(
        `SELECT DISTINCT a.sha256, a.phash FROM project_photos pp JOIN attachments a ON a.id = pp.attachment_id
         WHERE pp.project_id = ? AND pp.deleted_at IS NULL`,
      )
      .all(projectId) as { sha256: string; phash: string | null }[];
    if (own.length === 0) return [];
    const marks = own.map(() => '?').join(',');
    const hashes = own.map((o) => o.sha256);
    // Candidates: the same bytes, or any other image with a perceptual hash (compared below).
    const match = `(a.sha256 IN (${marks}) OR a.phash IS NOT NULL)`;
    const rows = this.sqlite
      .prepare(
        `SELECT a.sha256, a.phash, o.id AS org_id, o.name, pp.project_id AS project_id FROM project_photos pp
           JOIN attachments a ON a.id = pp.attachment_id JOIN projects p ON p.id = pp.project_id JOIN organizations o ON o.id = p.org_id
           WHERE ${match} AND pp.deleted_at IS NULL AND pp.project_id <> ?
         UNION ALL
         SELECT a.sha256, a.phash, o.id, o.name, NULL FROM visit_photos vp
           JOIN attachments a ON a.id = vp.attachment_id JOIN visits v ON v.id = vp.visit_id JOIN organizations o ON o.id = v.org_id
           WHERE ${match} AND vp.deleted_at IS NULL
         UNION ALL
         SELECT a.sha256, a.phash, o.id, o.name, NULL FROM answer_evidence e
           JOIN attachments a ON a.id = e.attachment_id JOIN assessments s ON s.id = e.assessment_id JOIN organizations o ON o.id = s.org_id
           WHERE ${match} AND e.deleted_at IS NULL`,
      )
      .all(...hashes, projectId, ...hashes, ...hashes) as { sha256: string; phash: string | null; org_id: string; name: string; project_id: string | null }[];
    const supplierOf = this.sqlite.prepare(
      `SELECT o.name FROM project_suppliers ps JOIN organizations o ON o.id = ps.supplier_id WHERE ps.project_id = ? AND ps.deleted_at IS NULL AND ps.supplier_id IN (${supplierIds.map(() => '?').join(',') || "''"}) LIMIT 1`,
    );
    const out: PhotoElsewhere[] = [];
    for (const r of rows) {
      for (const o of own) {
        const kind = r.sha256 === o.sha256 ? 'same' : o.phash && r.phash && isNearDuplicate(o.phash, r.phash) ? 'near' : null;
        if (!kind) continue;
        const shared = r.project_id && supplierIds.length ? (supplierOf.get(r.project_id, ...supplierIds) as { name: string } | undefined) : undefined;
        out.push({ sha256: o.sha256, match: kind, companyName: r.name, otherCompany: r.org_id !== companyId, sharedSupplier: shared?.name ?? null });
      }
    }
    // Exact copies first: they are the stronger evidence.
    return out.sort((x, y) => (x.match === y.match ? 0 : x.match === 'same' ? -1 : 1));
  }

  recordFinding(projectId: string, rule: RedFlagRule, status: 'cleared' | 'confirmed', note: string, recordedBy: string): void {
    this.projects.get(projectId);
    this.mutations.transaction((tx) => {
      const [existing] = tx.all('SELECT id FROM red_flag_findings WHERE project_id = ? AND rule_id = ?', [projectId, rule]) as { id: string }[];
      if (existing) {
        tx.update(redFlagFindings, existing.id, { status, note, recordedBy });
        tx.restore(redFlagFindings, existing.id);
      } else tx.insert(redFlagFindings, { projectId, ruleId: rule, status, note, recordedBy });
    });
  }

  // ---- a supplier's track record ----

  /** How the supplier's builds actually went: per project, the latest check's use, after-service, KPI outcomes and red flags. */
  trackRecord(supplierId: string) {
    return this.projects.listForSupplier(supplierId).map((p) => {
      const check = this.listChecks(p.id).find((c) => c.signedAt) ?? this.listChecks(p.id)[0] ?? null;
      const usage = this.usage(p.id);
      const num = (id: string) => {
        const v = check?.answers[id]?.value;
        return typeof v === 'number' ? v : null;
      };
      const kpis = KPI_DEFINITIONS.map((k) => ({ target: num(`kpi_${k.id}_target`), achieved: num(`kpi_${k.id}_achieved`), lower: LOWER_IS_BETTER.has(k.id) })).filter((k) => k.target !== null && k.achieved !== null);
      const flags = this.redFlags(p.id).flags;
      return {
        projectId: p.id,
        companyName: p.companyName,
        title: p.title,
        endsOn: p.endsOn,
        checkedOn: check?.checkedOn ?? null,
        signed: check?.signedAt != null,
        activeUsers: num('use_active_users'),
        loginDaysRecent: usage.recent.login.activeDays,
        asRequests: num('as_requests'),
        asResolved: num('as_resolved'),
        kpisMet: kpis.filter((k) => (k.lower ? (k.achieved as number) <= (k.target as number) : (k.achieved as number) >= (k.target as number))).length,
        kpisTotal: kpis.length,
        warnings: [...usage.warnings, ...(check?.flags.map((f) => f.key) ?? [])],
        openFlags: flags.filter((f) => f.finding?.status !== 'cleared').length,
      };
    });
  }
}

/** What the checklist answers themselves flag. */
export function checklistFlags(v: (item: string) => Value, baseline: Record<string, number | null>): CheckView['flags'] {
  const flags: CheckView['flags'] = [];
  const n = (id: string) => {
    const x = v(id);
    return typeof x === 'number' ? x : null;
  };
  const logins = n('use_logins_week');
  const material = n('use_material_tx_month');
  if (logins !== null && logins > 0 && material !== null && material === 0) flags.push({ key: 'postbuild.flags.loggedInNotUsed', params: { logins } });
  const req = n('as_requests');
  const res = n('as_resolved');
  if (req !== null && res !== null && res < req) flags.push({ key: 'postbuild.flags.asOpen', params: { open: req - res } });
  if (v('supplier_in_business') === 'no') flags.push({ key: 'postbuild.flags.supplierClosed', params: {} });
  if (v('stab_completed') === 'no') flags.push({ key: 'postbuild.flags.notStabilised', params: {} });
  if (v('pledge_on_file') === 'no') flags.push({ key: 'postbuild.flags.noPledge', params: {} });
  for (const k of KPI_DEFINITIONS) {
    const target = n(`kpi_${k.id}_target`);
    const achieved = n(`kpi_${k.id}_achieved`);
    if (target === null || achieved === null) continue;
    const behind = LOWER_IS_BETTER.has(k.id) ? achieved > target : achieved < target;
    if (behind) flags.push({ key: 'postbuild.flags.kpiBehind', params: { kpi: k.id, target, achieved, baseline: baseline[k.id] ?? '—' } });
  }
  return flags;
}

function checkValue(item: CheckItem, value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  switch (item.type) {
    case 'ypn':
      return value === 'yes' || value === 'partly' || value === 'no' ? null : 'validation.choice';
    case 'yn':
      return value === 'yes' || value === 'no' ? null : 'validation.choice';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1e15 ? null : 'validation.number';
    case 'date':
      return isoDate.safeParse(value).success ? null : 'validation.date';
    case 'text':
      return typeof value === 'string' && value.length <= 5000 ? null : 'validation.tooLong';
  }
}

/** The first sheet of an XLSX, or a CSV (UTF-8 with or without BOM), as headers and rows. */
async function readTable(fileName: string, bytes: Buffer): Promise<{ headers: string[]; rows: unknown[][] } | null> {
  const wb = new ExcelJS.Workbook();
  const isXlsx = bytes.subarray(0, 2).toString('latin1') === 'PK';
  try {
    if (isXlsx) await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    else {
      const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
      // Cells stay text (`map`): exceljs would otherwise turn dates into local-time Date objects.
      await wb.csv.read(Readable.from([text]), { map: (v: unknown) => v, parserOptions: { delimiter: text.split('\n')[0]?.includes('\t') ? '\t' : ',' } });
    }
  } catch {
    throw new AppError({ code: 'validation', messageKey: 'errors.usage.unreadable', params: { file: fileName } });
  }
  const sheet = wb.worksheets[0];
  if (!sheet) return null;
  const all: unknown[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    // Rich text and formula cells carry their shown value in `text` / `result`.
    const plain = (c: unknown): unknown => (c && typeof c === 'object' && !(c instanceof Date) ? ('text' in c ? c.text : 'result' in c ? c.result : null) : c);
    all.push((row.values as unknown[]).slice(1).map(plain));
  });
  const [head, ...rows] = all;
  if (!head) return null;
  return { headers: head.map((h) => (typeof h === 'string' || typeof h === 'number' ? String(h) : '')), rows };
}

export const POSTBUILD_TABLES: TableSpec[] = [
  { table: postbuildChecks, lockColumn: 'signedAt' },
  { table: postbuildAnswers, parent: { column: 'checkId', table: postbuildChecks }, naturalKey: ['checkId', 'itemId'] },
  { table: usageImports, naturalKey: ['projectId', 'kind', 'sha256'] },
  { table: usageDays, naturalKey: ['projectId', 'kind', 'day'] },
  { table: projectPhotos },
  { table: projectDocuments },
  { table: redFlagFindings, naturalKey: ['projectId', 'ruleId'] },
];
