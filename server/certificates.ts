/**
 * The certificate register: desktop apps publish the certificates they issue and their revocations; anyone
 * can check a number. Publishing is idempotent so an app can retry after a lost answer: the same certificate
 * again is accepted, a different one under a number already taken is a conflict (409), never an overwrite.
 */
import { eq } from 'drizzle-orm';
import type { Principal } from './auth/service.ts';
import type { Db } from './db/index.ts';
import { certificateRevocations, certificates, users, type UserRole } from './db/schema.ts';
import { apiError, fieldsError, forbidden, notFound } from './errors.ts';
import type { CertificateInput } from './validation.ts';

/**
 * Who may publish and revoke. The programme's assessors (평가위원) are not a role of their own yet: level
 * confirmations are done by mentors in the app today, so mentors publish. Supplier consultants never issue.
 */
export const PUBLISHER_ROLES: readonly UserRole[] = ['admin', 'mentor'];

export type CertificateStatus = 'valid' | 'revoked' | 'expired';

/** What the public verification endpoint and page show; the BRN and who published are not public. */
export interface PublicCertificate {
  number: string;
  status: CertificateStatus;
  dataHash: string;
  capabilityLevel: number;
  builtLevel: string;
  companyName: string;
  issuingOffice: string;
  issuedOn: string;
  validUntil: string;
  revokedAt?: string;
  reason?: string;
}

/** The calendar day in Korea: certificates are valid through their `validUntil` date, Korean time. */
export function koreanToday(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Seoul', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

const COMPARED = ['dataHash', 'companyName', 'brn', 'capabilityLevel', 'builtLevel', 'issuedOn', 'validUntil', 'issuingOffice', 'signerName'] as const;

export class CertificateService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  private requirePublisher(principal: Principal): void {
    if (!PUBLISHER_ROLES.includes(principal.role)) throw forbidden();
    // The register is written by the app that issued the certificate, not by a browser session.
    if (principal.deviceId === null) throw apiError(403, 'forbidden', 'errors.auth.deviceRequired');
  }

  async publish(principal: Principal, input: CertificateInput): Promise<{ created: boolean; certificate: PublicCertificate }> {
    this.requirePublisher(principal);
    const row = {
      number: input.number,
      companyName: input.companyName,
      brn: input.brn ?? null,
      capabilityLevel: input.capabilityLevel,
      builtLevel: input.builtLevel,
      issuedOn: input.issuedOn,
      validUntil: input.validUntil,
      dataHash: input.dataHash,
      issuingOffice: input.issuingOffice,
      signerName: input.signerName,
    };
    const inserted = await this.db
      .insert(certificates)
      .values({ ...row, publishedByUser: principal.userId, publishedByDevice: principal.deviceId, publishedAt: this.now() })
      .onConflictDoNothing({ target: certificates.number })
      .returning({ number: certificates.number });
    if (inserted.length === 0) {
      const [existing] = await this.db.select().from(certificates).where(eq(certificates.number, input.number));
      if (!existing) throw new Error('certificate vanished between insert and read');
      const differing = COMPARED.filter((k) => existing[k] !== row[k]);
      if (differing.length > 0) {
        throw fieldsError(409, 'conflict', 'errors.certificate.conflict', Object.fromEntries(differing.map((k) => [k, { key: 'validation.differsFromRegister' }])));
      }
    }
    const certificate = await this.lookup(input.number);
    return { created: inserted.length === 1, certificate: certificate as PublicCertificate };
  }

  /**
   * Records a revocation. Administrators may revoke any certificate; a mentor only those published from their
   * own organisation. Repeating the same revocation is accepted; a different one is a conflict.
   */
  async revoke(principal: Principal, number: string, input: { reason: string; revokedAt: string }): Promise<{ created: boolean; certificate: PublicCertificate }> {
    this.requirePublisher(principal);
    const revokedAt = new Date(input.revokedAt);
    const created = await this.db.transaction(async (tx) => {
      const [cert] = await tx
        .select({ number: certificates.number, organizationId: users.organizationId })
        .from(certificates)
        .innerJoin(users, eq(users.id, certificates.publishedByUser))
        .where(eq(certificates.number, number));
      if (!cert) throw notFound('certificate');
      if (principal.role !== 'admin' && cert.organizationId !== principal.organizationId) throw forbidden();
      const inserted = await tx
        .insert(certificateRevocations)
        .values({ number, reason: input.reason, revokedAt, recordedByUser: principal.userId, recordedByDevice: principal.deviceId, recordedAt: this.now() })
        .onConflictDoNothing({ target: certificateRevocations.number })
        .returning({ number: certificateRevocations.number });
      if (inserted.length === 1) return true;
      const [existing] = await tx.select().from(certificateRevocations).where(eq(certificateRevocations.number, number));
      if (existing && existing.reason === input.reason && existing.revokedAt.getTime() === revokedAt.getTime()) return false;
      throw apiError(409, 'conflict', 'errors.certificate.alreadyRevoked', { params: { number } });
    });
    return { created, certificate: (await this.lookup(number)) as PublicCertificate };
  }

  /** The public view of one certificate, or null when the number is unknown. */
  async lookup(number: string): Promise<PublicCertificate | null> {
    const [row] = await this.db
      .select({ c: certificates, r: certificateRevocations })
      .from(certificates)
      .leftJoin(certificateRevocations, eq(certificateRevocations.number, certificates.number))
      .where(eq(certificates.number, number));
    if (!row) return null;
    const { c, r } = row;
    const status: CertificateStatus = r ? 'revoked' : koreanToday(this.now()) > c.validUntil ? 'expired' : 'valid';
    return {
      number: c.number,
      status,
      dataHash: c.dataHash,
      capabilityLevel: c.capabilityLevel,
      builtLevel: c.builtLevel,
      companyName: c.companyName,
      issuingOffice: c.issuingOffice,
      issuedOn: c.issuedOn,
      validUntil: c.validUntil,
      ...(r ? { revokedAt: r.revokedAt.toISOString(), reason: r.reason } : {}),
    };
  }
}
