/**
 * Accounts, devices and access tokens.
 *
 * Token design: opaque random bearer tokens (256 bits), stored as SHA-256 with their expiry, user and device.
 * Chosen over HMAC-signed tokens because every request needs a database round-trip anyway to honour
 * revocation immediately (a revoked device, a disabled account); with a token row that check is the lookup
 * itself, there is no signing key to protect or rotate, and revoking is a DELETE. A stolen database copy
 * yields only hashes. Expired rows are kept for a day so a late caller is told `token_expired` (not just
 * "unknown token"), then purged.
 */
import { and, eq, isNull, lt } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { Db } from '../db/index.ts';
import { accessTokens, devices, enrolmentCodes, users, type UserRole } from '../db/schema.ts';
import { apiError, forbidden, notFound, unauthenticated } from '../errors.ts';
import { burnPasswordCheck, verifyPassword } from './passwords.ts';
import { hashEnrolmentCode, randomEnrolmentCode, randomToken, sameDigest, sha256Hex } from './secrets.ts';

export interface AuthSettings {
  /** Lifetime of an access token (login or device), seconds. */
  accessTokenTtlSeconds: number;
  /** Lifetime of a one-time enrolment code, seconds. */
  enrolmentCodeTtlSeconds: number;
  now: () => Date;
}

/** Who is calling: a user (password login) or a user's enrolled device. */
export interface Principal {
  userId: string;
  role: UserRole;
  organizationId: string;
  region: string | null;
  deviceId: string | null;
}

export interface IssuedToken {
  accessToken: string;
  expiresAt: string;
  expiresIn: number;
}

const EXPIRED_GRACE_MS = 24 * 3600_000;

export class AuthService {
  constructor(
    private readonly db: Db,
    private readonly settings: AuthSettings,
  ) {}

  private now(): Date {
    return this.settings.now();
  }

  private async issueToken(userId: string, deviceId: string | null): Promise<IssuedToken> {
    const now = this.now();
    const accessToken = randomToken();
    const expiresAt = new Date(now.getTime() + this.settings.accessTokenTtlSeconds * 1000);
    await this.db.delete(accessTokens).where(and(eq(accessTokens.userId, userId), lt(accessTokens.expiresAt, new Date(now.getTime() - EXPIRED_GRACE_MS))));
    await this.db.insert(accessTokens).values({ tokenHash: sha256Hex(accessToken), userId, deviceId, createdAt: now, expiresAt });
    return { accessToken, expiresAt: expiresAt.toISOString(), expiresIn: this.settings.accessTokenTtlSeconds };
  }

  /** Password login. Unknown user and wrong password answer alike, after the same scrypt work. */
  async login(email: string, password: string): Promise<IssuedToken & { user: { id: string; role: UserRole; displayName: string } }> {
    const [user] = await this.db.select().from(users).where(eq(users.email, email));
    if (!user?.passwordHash) {
      await burnPasswordCheck(password);
      throw apiError(401, 'invalid_credentials', 'errors.auth.invalidCredentials');
    }
    if (!(await verifyPassword(password, user.passwordHash))) throw apiError(401, 'invalid_credentials', 'errors.auth.invalidCredentials');
    if (user.disabledAt) throw apiError(401, 'account_disabled', 'errors.auth.accountDisabled');
    return { ...(await this.issueToken(user.id, null)), user: { id: user.id, role: user.role, displayName: user.displayName } };
  }

  /** Resolves a bearer token, or throws the 401 that says why it is refused. */
  async authenticate(authorization: string | undefined): Promise<Principal> {
    const m = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(authorization ?? '');
    if (!m?.[1]) throw unauthenticated();
    const [row] = await this.db
      .select({
        expiresAt: accessTokens.expiresAt,
        userId: users.id,
        role: users.role,
        organizationId: users.organizationId,
        region: users.region,
        disabledAt: users.disabledAt,
        deviceId: accessTokens.deviceId,
        deviceRevokedAt: devices.revokedAt,
      })
      .from(accessTokens)
      .innerJoin(users, eq(users.id, accessTokens.userId))
      .leftJoin(devices, eq(devices.id, accessTokens.deviceId))
      .where(eq(accessTokens.tokenHash, sha256Hex(m[1])));
    if (!row) throw apiError(401, 'unauthenticated', 'errors.auth.invalidToken');
    if (row.expiresAt.getTime() <= this.now().getTime()) throw apiError(401, 'token_expired', 'errors.auth.tokenExpired');
    if (row.deviceId !== null && row.deviceRevokedAt !== null) throw apiError(401, 'device_revoked', 'errors.auth.deviceRevoked');
    if (row.disabledAt) throw apiError(401, 'account_disabled', 'errors.auth.accountDisabled');
    return { userId: row.userId, role: row.role, organizationId: row.organizationId, region: row.region, deviceId: row.deviceId };
  }

  /** A one-time code for one of `userId`'s devices; the plain code is returned once and stored only hashed. */
  async createEnrolmentCode(userId: string, createdBy: string): Promise<{ code: string; expiresAt: string }> {
    const [user] = await this.db.select({ id: users.id, disabledAt: users.disabledAt }).from(users).where(eq(users.id, userId));
    if (!user) throw notFound('user');
    if (user.disabledAt) throw apiError(409, 'account_disabled', 'errors.auth.accountDisabled');
    const now = this.now();
    const code = randomEnrolmentCode();
    const expiresAt = new Date(now.getTime() + this.settings.enrolmentCodeTtlSeconds * 1000);
    await this.db.insert(enrolmentCodes).values({ id: uuidv7(), userId, codeHash: hashEnrolmentCode(code), expiresAt, createdBy, createdAt: now });
    return { code, expiresAt: expiresAt.toISOString() };
  }

  /**
   * Enrols a device with a one-time code. The code is claimed with a conditional UPDATE in the same
   * transaction that creates the device, so two devices racing with one code cannot both succeed.
   */
  async enrol(code: string, deviceName: string): Promise<{ deviceId: string; deviceSecret: string; userId: string }> {
    const codeHash = hashEnrolmentCode(code);
    const now = this.now();
    return this.db.transaction(async (tx) => {
      const [row] = await tx.select().from(enrolmentCodes).where(eq(enrolmentCodes.codeHash, codeHash));
      if (!row) throw apiError(401, 'enrolment_code_invalid', 'errors.enrol.codeInvalid');
      if (row.usedAt) throw apiError(409, 'enrolment_code_used', 'errors.enrol.codeUsed');
      if (row.expiresAt.getTime() <= now.getTime()) throw apiError(401, 'enrolment_code_expired', 'errors.enrol.codeExpired');
      const [user] = await tx.select({ disabledAt: users.disabledAt }).from(users).where(eq(users.id, row.userId));
      if (!user || user.disabledAt) throw apiError(401, 'account_disabled', 'errors.auth.accountDisabled');
      const deviceId = uuidv7();
      const deviceSecret = randomToken();
      const claimed = await tx
        .update(enrolmentCodes)
        .set({ usedAt: now, deviceId })
        .where(and(eq(enrolmentCodes.id, row.id), isNull(enrolmentCodes.usedAt)))
        .returning({ id: enrolmentCodes.id });
      if (claimed.length !== 1) throw apiError(409, 'enrolment_code_used', 'errors.enrol.codeUsed');
      await tx.insert(devices).values({ id: deviceId, userId: row.userId, name: deviceName, secretHash: sha256Hex(deviceSecret), createdAt: now });
      return { deviceId, deviceSecret, userId: row.userId };
    });
  }

  /** Exchanges a device's id and secret for an access token. */
  async deviceToken(deviceId: string, deviceSecret: string): Promise<IssuedToken> {
    const [device] = await this.db
      .select({ id: devices.id, userId: devices.userId, secretHash: devices.secretHash, revokedAt: devices.revokedAt, disabledAt: users.disabledAt })
      .from(devices)
      .innerJoin(users, eq(users.id, devices.userId))
      .where(eq(devices.id, deviceId));
    // Hash even for an unknown id, so both paths cost the same.
    const presented = sha256Hex(deviceSecret);
    if (!device || !sameDigest(presented, device.secretHash)) throw apiError(401, 'invalid_credentials', 'errors.auth.invalidCredentials');
    if (device.revokedAt) throw apiError(401, 'device_revoked', 'errors.auth.deviceRevoked');
    if (device.disabledAt) throw apiError(401, 'account_disabled', 'errors.auth.accountDisabled');
    await this.db.update(devices).set({ lastSeenAt: this.now() }).where(eq(devices.id, deviceId));
    return this.issueToken(device.userId, device.id);
  }

  /** Devices an administrator sees (all) or a user sees (their own). */
  async listDevices(principal: Principal) {
    const q = this.db
      .select({ id: devices.id, userId: devices.userId, name: devices.name, createdAt: devices.createdAt, lastSeenAt: devices.lastSeenAt, revokedAt: devices.revokedAt })
      .from(devices);
    const rows = await (principal.role === 'admin' ? q : q.where(eq(devices.userId, principal.userId))).orderBy(devices.createdAt);
    return rows.map((d) => ({ ...d, createdAt: d.createdAt.toISOString(), lastSeenAt: d.lastSeenAt?.toISOString() ?? null, revokedAt: d.revokedAt?.toISOString() ?? null }));
  }

  /**
   * Revokes a device (an administrator, or the user who owns it). Its tokens are deleted in the same
   * transaction, and `authenticate` also checks the device, so nothing it holds works after this returns.
   * Revoking twice is harmless and keeps the first time.
   */
  async revokeDevice(principal: Principal, deviceId: string): Promise<{ revokedAt: string }> {
    const now = this.now();
    return this.db.transaction(async (tx) => {
      const [device] = await tx.select().from(devices).where(eq(devices.id, deviceId));
      if (!device) throw notFound('device');
      if (principal.role !== 'admin' && device.userId !== principal.userId) throw forbidden();
      const [updated] = await tx
        .update(devices)
        .set({ revokedAt: now, revokedBy: principal.userId })
        .where(and(eq(devices.id, deviceId), isNull(devices.revokedAt)))
        .returning({ revokedAt: devices.revokedAt });
      await tx.delete(accessTokens).where(eq(accessTokens.deviceId, deviceId));
      return { revokedAt: (updated?.revokedAt ?? device.revokedAt ?? now).toISOString() };
    });
  }
}

export function requireRole(principal: Principal, roles: readonly UserRole[]): void {
  if (!roles.includes(principal.role)) throw forbidden();
}
