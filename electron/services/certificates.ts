/**
 * Private level confirmation (민간 수준확인) and its certificate (수준확인서). The assessor pair scores each
 * area with the evidence seen and both sign on screen, which locks the confirmation. A certificate is then
 * issued once: a sequential number per issuing office and year, a QR code with the number and the SHA-256
 * of the certificate's canonical data, the drawn signatures, and a detached CMS digital signature made with
 * the assessor's key. Issued certificates never change; revoking one adds a revocation record.
 */
import { contentHash } from './signing.ts';
import crypto from 'node:crypto';
import type Database from 'better-sqlite3';
import QRCode from 'qrcode';
import { AppError, notFound } from '#shared/contract/errors';
import { addMonths, localToday } from '#shared/domain/dates';
import { formatBrn } from '#shared/domain/brn';
import { formatDate } from '#shared/domain/format';
import { levelConfirmationV1, scoreLevel, type LevelResult } from '#shared/instruments/level-confirmation-v1';
import { certificateRevocations, certificates, levelAnswers, levelConfirmations, levelSignatures, organizations } from '#db/schema';
import type { AttachmentStore } from './attachments.ts';
import type { KeyStore } from './keystore.ts';
import type { MutationLayer, TableSpec } from './mutations.ts';
import { signPdf, verifyPdfSignature, type SignatureCheck } from './pdf-signing.ts';
import { Report } from './reports/engine.ts';

export interface ConfirmationView {
  id: string;
  companyId: string;
  companyName: string;
  projectId: string | null;
  assessedOn: string;
  finalizedAt: string | null;
  steps: Record<string, { step: number | null; evidence: string }>;
  result: LevelResult;
  signatures: { role: 'lead' | 'second'; signerName: string; signedAt: string }[];
  certificate: { id: string; number: string; revoked: boolean } | null;
}

/** What a certificate states; its canonical JSON is hashed into the QR code. */
export interface CertificateData {
  number: string;
  company: { name: string; brn: string };
  capabilityLevel: number;
  builtLevel: string;
  points: number;
  assessedOn: string;
  issuedOn: string;
  validUntil: string;
  assessors: string[];
  instrument: string;
}

export interface RegisterRow {
  id: string;
  number: string;
  companyName: string;
  capabilityLevel: number;
  builtLevel: string;
  issuedOn: string;
  validUntil: string;
  status: 'valid' | 'expired' | 'revoked';
  revokedReason: string | null;
  revokedAt: string | null;
}

export interface VerifyResult {
  signature: SignatureCheck;
  number: string | null;
  data: CertificateData | null;
  /** The data printed in the PDF hashes to the hash it carries (and the register's, if known here). */
  hashMatches: boolean;
  register: RegisterRow | null;
}

/** Keys sorted at every level: the same data always gives the same text and hash. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A document-information string (pdfkit writes them as indirect objects: `/Key 13 0 R` … `13 0 obj (value) endobj`). */
function infoString(pdf: string, key: string): string | undefined {
  const m = new RegExp(`/${key} (?:\\(([^)]*)\\)|(\\d+) 0 R)`).exec(pdf);
  if (!m) return undefined;
  if (m[1] !== undefined) return m[1];
  return new RegExp(`(?:^|\\n)${m[2]} 0 obj\\s*\\(([^)]*)\\)\\s*endobj`).exec(pdf)?.[1];
}

/** What a certificate PDF says about itself: its signature, its data and whether the data hashes to the hash it carries. */
export function inspectCertificatePdf(pdf: Buffer): { signature: SignatureCheck; data: CertificateData | null; hash: string | null; hashMatches: boolean } {
  const signature = verifyPdfSignature(pdf);
  const text = pdf.toString('latin1');
  const dataB64 = infoString(text, 'DXCertificate');
  const hash = infoString(text, 'DXCertificateHash') ?? null;
  let data: CertificateData | null;
  try {
    data = dataB64 ? (JSON.parse(Buffer.from(dataB64, 'base64').toString('utf8')) as CertificateData) : null;
  } catch {
    data = null;
  }
  return { signature, data, hash, hashMatches: data !== null && hash !== null && sha256Hex(canonicalJson(data)) === hash };
}

export const sha256Hex = (s: string | Buffer) => crypto.createHash('sha256').update(s).digest('hex');

const BUILT_TEXT = { basic: ['기초', 'Basic'], intermediate1: ['중간1', 'Intermediate 1'], intermediate2: ['중간2', 'Intermediate 2'], advanced: ['고도화', 'Advanced'] } as const;

export class CertificateService {
  constructor(
    private readonly sqlite: Database.Database,
    private readonly mutations: MutationLayer,
    private readonly files: AttachmentStore,
    private readonly keys: KeyStore,
    private readonly fontsDir: string,
    private readonly office: () => string,
    private readonly today: () => string = () => localToday(),
  ) {}

  // ---- the confirmation ----

  create(companyId: string, projectId: string | null, assessedOn: string): string {
    return this.mutations.transaction((tx) => {
      const org = tx.get(organizations, companyId);
      if (!org || org.kind !== 'company' || org.deleted_at !== null) throw notFound('company');
      if (projectId) {
        const [p] = tx.all('SELECT id FROM projects WHERE id = ? AND org_id = ? AND deleted_at IS NULL', [projectId, companyId]);
        if (!p) throw notFound('project');
      }
      return tx.insert(levelConfirmations, { orgId: companyId, projectId, instrumentId: levelConfirmationV1.id, instrumentVersion: levelConfirmationV1.version, assessedOn });
    });
  }

  get(id: string): ConfirmationView {
    const r = this.sqlite.prepare('SELECT * FROM level_confirmations WHERE id = ? AND deleted_at IS NULL').get(id) as
      | { id: string; org_id: string; project_id: string | null; assessed_on: string; result: string | null; finalized_at: string | null }
      | undefined;
    if (!r) throw notFound('confirmation');
    const steps: ConfirmationView['steps'] = {};
    for (const a of this.sqlite.prepare('SELECT area_id, step, evidence FROM level_answers WHERE confirmation_id = ? AND deleted_at IS NULL').all(id) as { area_id: string; step: number | null; evidence: string }[]) {
      steps[a.area_id] = { step: a.step, evidence: a.evidence };
    }
    const cert = this.sqlite.prepare('SELECT c.id, c.number, (SELECT count(*) FROM certificate_revocations v WHERE v.certificate_id = c.id AND v.deleted_at IS NULL) AS revoked FROM certificates c WHERE c.confirmation_id = ? AND c.deleted_at IS NULL').get(id) as
      | { id: string; number: string; revoked: number }
      | undefined;
    return {
      id: r.id,
      companyId: r.org_id,
      companyName: (this.sqlite.prepare('SELECT name FROM organizations WHERE id = ?').get(r.org_id) as { name: string }).name,
      projectId: r.project_id,
      assessedOn: r.assessed_on,
      finalizedAt: r.finalized_at,
      steps,
      result: r.result ? (JSON.parse(r.result) as LevelResult) : scoreLevel(levelConfirmationV1, Object.fromEntries(Object.entries(steps).map(([k, v]) => [k, v.step]))),
      signatures: (
        this.sqlite.prepare("SELECT role, signer_name, signed_at FROM level_signatures WHERE confirmation_id = ? AND deleted_at IS NULL ORDER BY CASE role WHEN 'lead' THEN 0 ELSE 1 END").all(id) as {
          role: 'lead' | 'second';
          signer_name: string;
          signed_at: string;
        }[]
      ).map((s) => ({ role: s.role, signerName: s.signer_name, signedAt: s.signed_at })),
      certificate: cert ? { id: cert.id, number: cert.number, revoked: cert.revoked > 0 } : null,
    };
  }

  listForCompany(companyId: string): ConfirmationView[] {
    return (this.sqlite.prepare('SELECT id FROM level_confirmations WHERE org_id = ? AND deleted_at IS NULL ORDER BY assessed_on DESC, created_at DESC').all(companyId) as { id: string }[]).map((r) => this.get(r.id));
  }

  saveStep(id: string, areaId: string, step: number | null | undefined, evidence: string | undefined): LevelResult {
    if (!levelConfirmationV1.areas.some((a) => a.id === areaId)) throw new AppError({ code: 'validation', messageKey: 'errors.validation', fields: { areaId: { key: 'validation.choice' } } });
    this.get(id);
    this.mutations.transaction((tx) => {
      const [existing] = tx.all('SELECT id FROM level_answers WHERE confirmation_id = ? AND area_id = ?', [id, areaId]) as { id: string }[];
      const fields = { ...(step === undefined ? {} : { step }), ...(evidence === undefined ? {} : { evidence }) };
      if (existing) tx.update(levelAnswers, existing.id, fields);
      else tx.insert(levelAnswers, { confirmationId: id, areaId, ...fields });
    });
    return this.get(id).result;
  }

  /** Both assessors sign on screen; the result is stored and the confirmation locked. */
  finalize(id: string, signatures: { role: 'lead' | 'second'; name: string; png: string }[]): LevelResult {
    const view = this.get(id);
    if (view.finalizedAt) throw new AppError({ code: 'locked', messageKey: 'errors.locked' });
    if (!view.result.complete) {
      throw new AppError({ code: 'validation', messageKey: 'errors.level.incomplete', params: { count: view.result.missing.length }, fields: Object.fromEntries(view.result.missing.map((a) => [a, { key: 'validation.required' }])) });
    }
    if (!(['lead', 'second'] as const).every((role) => signatures.some((s) => s.role === role))) {
      throw new AppError({ code: 'validation', messageKey: 'errors.level.bothSign', fields: { signatures: { key: 'errors.level.bothSign' } } });
    }
    const now = new Date().toISOString();
    this.mutations.transaction((tx) => {
      for (const s of signatures) tx.insert(levelSignatures, { confirmationId: id, role: s.role, signerName: s.name, image: s.png, signedAt: now });
      tx.update(levelConfirmations, id, { result: JSON.stringify(view.result) });
      tx.update(levelConfirmations, id, { contentHash: contentHash(this.sqlite, 'level_confirmations', id) });
      tx.update(levelConfirmations, id, { finalizedAt: now });
    });
    return view.result;
  }

  // ---- certificates ----

  /** Issues the certificate of a finalised confirmation: numbered, rendered, signed, registered. */
  async issue(confirmationId: string, passphrase: string | undefined): Promise<{ id: string; number: string }> {
    const view = this.get(confirmationId);
    if (!view.finalizedAt) throw new AppError({ code: 'conflict', messageKey: 'errors.level.notFinal' });
    if (view.certificate) throw new AppError({ code: 'conflict', messageKey: 'errors.certificate.alreadyIssued', params: { number: view.certificate.number } });
    const lead = view.signatures.find((s) => s.role === 'lead') as { signerName: string };
    const key = this.keys.unlock(lead.signerName, passphrase);
    const company = this.sqlite.prepare('SELECT name, brn FROM organizations WHERE id = ?').get(view.companyId) as { name: string; brn: string };
    const issuedOn = this.today();
    const office = this.office();
    const year = Number(issuedOn.slice(0, 4));
    // The number is taken inside the write transaction below; render with the number it will get.
    const seq = (this.sqlite.prepare('SELECT coalesce(max(seq), 0) + 1 AS n FROM certificates WHERE office = ? AND year = ?').get(office, year) as { n: number }).n;
    const number = `${office}-${year}-${String(seq).padStart(5, '0')}`;
    const data: CertificateData = {
      number,
      company: { name: company.name, brn: company.brn },
      capabilityLevel: view.result.capabilityLevel,
      builtLevel: view.result.builtLevel,
      points: view.result.points,
      assessedOn: view.assessedOn,
      issuedOn,
      validUntil: addMonths(issuedOn, levelConfirmationV1.validityMonths),
      assessors: view.signatures.map((s) => s.signerName),
      instrument: `${levelConfirmationV1.id}@${levelConfirmationV1.version}`,
    };
    const canonical = canonicalJson(data);
    const dataHash = sha256Hex(canonical);
    const images = new Map(
      (this.sqlite.prepare('SELECT role, image FROM level_signatures WHERE confirmation_id = ? AND deleted_at IS NULL').all(confirmationId) as { role: string; image: string }[]).map((r) => [r.role, Buffer.from(r.image, 'base64')]),
    );
    const pdf = await this.render(data, canonical, dataHash, view, images);
    const signed = await signPdf(pdf, key.p12, key.password, { reason: `Level confirmation certificate ${number}`, name: lead.signerName, location: 'KR', contactInfo: '' });
    const pdfSha256 = this.files.putPdf(signed);
    const id = this.mutations.transaction((tx) => {
      const [taken] = tx.all('SELECT id FROM certificates WHERE office = ? AND year = ? AND seq = ?', [office, year, seq]);
      if (taken) throw new AppError({ code: 'conflict', messageKey: 'errors.certificate.numberTaken' });
      return tx.insert(certificates, { confirmationId, number, office, year, seq, issuedOn, validUntil: data.validUntil, data: canonical, dataHash, pdfSha256, signerCert: key.certPem, issuedAt: new Date().toISOString() });
    });
    return { id, number };
  }

  pdf(certificateId: string): { fileName: string; pdf: Buffer } {
    const r = this.sqlite.prepare('SELECT number, pdf_sha256 FROM certificates WHERE id = ?').get(certificateId) as { number: string; pdf_sha256: string } | undefined;
    if (!r) throw notFound('certificate');
    return { fileName: `수준확인서_${r.number}.pdf`, pdf: this.files.read(r.pdf_sha256) };
  }

  revoke(certificateId: string, reason: string): void {
    this.mutations.transaction((tx) => {
      const cert = tx.get(certificates, certificateId);
      if (!cert) throw notFound('certificate');
      const [done] = tx.all('SELECT id FROM certificate_revocations WHERE certificate_id = ? AND deleted_at IS NULL', [certificateId]);
      if (done) throw new AppError({ code: 'conflict', messageKey: 'errors.certificate.alreadyRevoked' });
      tx.insert(certificateRevocations, { certificateId, reason, revokedAt: new Date().toISOString() });
    });
  }

  register(): RegisterRow[] {
    const rows = this.sqlite
      .prepare(
        `SELECT c.id, c.number, c.issued_on, c.valid_until, c.data, v.reason, v.revoked_at
         FROM certificates c LEFT JOIN certificate_revocations v ON v.certificate_id = c.id AND v.deleted_at IS NULL
         WHERE c.deleted_at IS NULL ORDER BY c.issued_on DESC, c.number DESC`,
      )
      .all() as { id: string; number: string; issued_on: string; valid_until: string; data: string; reason: string | null; revoked_at: string | null }[];
    const today = this.today();
    return rows.map((r) => {
      const d = JSON.parse(r.data) as CertificateData;
      return {
        id: r.id,
        number: r.number,
        companyName: d.company.name,
        capabilityLevel: d.capabilityLevel,
        builtLevel: d.builtLevel,
        issuedOn: r.issued_on,
        validUntil: r.valid_until,
        status: r.revoked_at ? 'revoked' : today > r.valid_until ? 'expired' : 'valid',
        revokedReason: r.reason,
        revokedAt: r.revoked_at,
      };
    });
  }

  /** Checks a certificate PDF offline: signature, data hash and (when known here) register status. */
  verify(pdf: Buffer): VerifyResult {
    const inspected = inspectCertificatePdf(pdf);
    const data = inspected.data;
    const register = data ? (this.register().find((r) => r.number === data.number) ?? null) : null;
    const stored = register ? (this.sqlite.prepare('SELECT data_hash FROM certificates WHERE id = ?').get(register.id) as { data_hash: string }).data_hash : null;
    return { signature: inspected.signature, number: data?.number ?? null, data, hashMatches: inspected.hashMatches && (stored === null || stored === inspected.hash), register };
  }

  private async render(data: CertificateData, canonical: string, hash: string, view: ConfirmationView, signatures: Map<string, Buffer>): Promise<Buffer> {
    const qr = await QRCode.toBuffer(`DXCERT|${data.number}|${hash}`, { errorCorrectionLevel: 'M', margin: 1, width: 220 });
    const r = new Report({
      fontsDir: this.fontsDir,
      title: `수준확인서 ${data.number}`,
      header: 'DX Mentor · 스마트공장 민간 수준확인서 (Level confirmation certificate)',
      footer: data.number,
      pageLabel: (p, n) => `${p} / ${n}`,
      info: { Subject: 'Level confirmation certificate', Keywords: data.number },
    });
    // The canonical data and its hash ride in the document information (inside the signed bytes).
    const info = r.doc.info as Record<string, unknown>;
    info.DXCertificate = Buffer.from(canonical, 'utf8').toString('base64');
    info.DXCertificateHash = hash;
    r.title('스마트공장 수준확인서', 'Smart-factory level confirmation certificate');
    r.keyValues(
      [
        ['확인서 번호 / No.', data.number],
        ['기업명 / Company', data.company.name],
        ['사업자등록번호 / BRN', formatBrn(data.company.brn)],
        ['역량 수준 / Capability level', `Level ${data.capabilityLevel}`],
        ['구축 수준 / Built-system level', `${BUILT_TEXT[data.builtLevel as keyof typeof BUILT_TEXT][0]} (${BUILT_TEXT[data.builtLevel as keyof typeof BUILT_TEXT][1]})`],
        ['점수 / Points', `${data.points.toFixed(1)} / 1,000`],
        ['확인일 / Assessed on', formatDate(data.assessedOn, 'ko')],
        ['발급일 / Issued on', formatDate(data.issuedOn, 'ko')],
        ['유효기간 / Valid until', formatDate(data.validUntil, 'ko')],
      ],
      3,
    );
    r.heading('분야별 점수 / Points by field');
    r.table(
      [
        { header: '분야 / Field', width: 4 },
        { header: '점수 / Points', width: 2, align: 'right' },
      ],
      view.result.fields.map((f) => {
        const field = levelConfirmationV1.fields.find((x) => x.id === f.id);
        return [`${field?.text.ko ?? f.id} / ${field?.text.en ?? ''}`, `${f.points.toFixed(1)} / ${f.max}`];
      }),
    );
    r.paragraph('위 기업의 스마트공장 수준을 확인하였음을 증명합니다. This certifies the smart-factory level of the company above.', { size: 10 });
    r.signatures(
      view.signatures.map((s) => ({ role: s.role === 'lead' ? '책임 평가위원 / Lead assessor' : '공동 평가위원 / Co-assessor', name: s.signerName, png: signatures.get(s.role) ?? null, signedAt: formatDate(s.signedAt, 'ko') })),
    );
    r.ensure(140);
    const y = r.doc.y + 6;
    r.doc.image(qr, r.left, y, { width: 110 });
    r.doc
      .font('regular')
      .fontSize(8)
      .fillColor('#5b6067')
      .text(`검증 / Verification: 확인서 번호와 데이터 해시(SHA-256)로 진위를 확인할 수 있습니다. The number and the data hash verify this certificate.`, r.left + 124, y + 4, { width: r.width - 124 })
      .moveDown(0.4)
      .font('regular')
      .fontSize(7)
      .text(`SHA-256: ${hash}`, { width: r.width - 124 });
    r.doc.y = y + 120;
    r.doc.x = r.left;
    return r.finish();
  }
}

export const CERTIFICATE_TABLES: TableSpec[] = [
  { table: levelConfirmations, lockColumn: 'finalizedAt' },
  { table: levelAnswers, parent: { column: 'confirmationId', table: levelConfirmations }, naturalKey: ['confirmationId', 'areaId'] },
  { table: levelSignatures, parent: { column: 'confirmationId', table: levelConfirmations } },
  // Issued certificates are immutable from the start (issuedAt is always set), revocations too.
  { table: certificates, lockColumn: 'issuedAt' },
  { table: certificateRevocations, lockColumn: 'revokedAt', naturalKey: ['certificateId'] },
];
