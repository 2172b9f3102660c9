/** Organisations and users, created by administrators; and the first administrator of a new server. */
import crypto from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { hashPassword } from './auth/passwords.ts';
import { isUniqueViolation, type Db } from './db/index.ts';
import { organizations, users, type OrganizationKind, type UserRole } from './db/schema.ts';
import { fieldsError, notFound } from './errors.ts';

export interface OrganizationView {
  id: string;
  name: string;
  kind: OrganizationKind;
  region: string | null;
  createdAt: string;
}

export interface UserView {
  id: string;
  organizationId: string;
  email: string;
  displayName: string;
  role: UserRole;
  region: string | null;
  hasPassword: boolean;
  mentorId: string | null;
  createdAt: string;
  disabledAt: string | null;
}

const orgView = (o: typeof organizations.$inferSelect): OrganizationView => ({ id: o.id, name: o.name, kind: o.kind, region: o.region, createdAt: o.createdAt.toISOString() });
const userView = (u: typeof users.$inferSelect): UserView => ({
  id: u.id,
  organizationId: u.organizationId,
  email: u.email,
  displayName: u.displayName,
  role: u.role,
  region: u.region,
  hasPassword: u.passwordHash !== null,
  mentorId: u.mentorId,
  createdAt: u.createdAt.toISOString(),
  disabledAt: u.disabledAt?.toISOString() ?? null,
});

export class AccountService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  async createOrganization(input: { name: string; kind: OrganizationKind; region?: string | null }): Promise<OrganizationView> {
    const [row] = await this.db
      .insert(organizations)
      .values({ id: uuidv7(), name: input.name, kind: input.kind, region: input.region ?? null, createdAt: this.now() })
      .returning();
    return orgView(row as typeof organizations.$inferSelect);
  }

  async listOrganizations(): Promise<OrganizationView[]> {
    return (await this.db.select().from(organizations).orderBy(organizations.name)).map(orgView);
  }

  async createUser(input: { organizationId: string; email: string; displayName: string; role: UserRole; region?: string | null; password?: string; mentorId?: string | null }): Promise<UserView> {
    const [org] = await this.db.select({ id: organizations.id, region: organizations.region }).from(organizations).where(eq(organizations.id, input.organizationId));
    if (!org) throw fieldsError(400, 'validation', 'errors.validation', { organizationId: { key: 'validation.unknownOrganization' } });
    // Hash before touching the table: the insert is then one statement, and a taken address writes nothing.
    const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
    try {
      const [row] = await this.db
        .insert(users)
        .values({
          id: uuidv7(),
          organizationId: org.id,
          email: input.email,
          displayName: input.displayName,
          role: input.role,
          region: input.region ?? org.region,
          passwordHash,
          mentorId: input.mentorId ?? null,
          createdAt: this.now(),
        })
        .returning();
      return userView(row as typeof users.$inferSelect);
    } catch (error) {
      if (isUniqueViolation(error)) throw fieldsError(409, 'conflict', 'errors.user.emailTaken', { email: { key: 'validation.emailTaken' } });
      throw error;
    }
  }

  /** Sets a user's mentor id and region (what sync scopes them by); fields left out are kept. */
  async updateUser(id: string, input: { mentorId?: string | null; region?: string | null }): Promise<UserView> {
    const set: Partial<typeof users.$inferInsert> = {};
    if (input.mentorId !== undefined) set.mentorId = input.mentorId;
    if (input.region !== undefined) set.region = input.region;
    const [row] = await this.db.update(users).set(set).where(eq(users.id, id)).returning();
    if (!row) throw notFound('user');
    return userView(row);
  }

  async listUsers(): Promise<UserView[]> {
    return (await this.db.select().from(users).orderBy(users.email)).map(userView);
  }

  /**
   * On a server with no users, creates the central office and its administrator. Returns the password when
   * it was generated here (to be shown once), or null when nothing was created or the password was given.
   */
  async ensureBootstrapAdmin(email: string, password: string | undefined): Promise<{ created: boolean; generatedPassword: string | null }> {
    const [existing] = await this.db.select({ n: count() }).from(users);
    if ((existing?.n ?? 0) > 0) return { created: false, generatedPassword: null };
    const generated = password === undefined ? crypto.randomBytes(18).toString('base64url') : null;
    const passwordHash = await hashPassword(password ?? (generated as string));
    const now = this.now();
    try {
      await this.db.transaction(async (tx) => {
        const orgId = uuidv7();
        await tx.insert(organizations).values({ id: orgId, name: '중앙 관리 / Central office', kind: 'other', region: null, createdAt: now });
        await tx.insert(users).values({ id: uuidv7(), organizationId: orgId, email, displayName: 'Administrator', role: 'admin', region: null, passwordHash, createdAt: now });
      });
    } catch (error) {
      // Two instances starting on one empty PostgreSQL database: the other one created the administrator.
      if (isUniqueViolation(error)) return { created: false, generatedPassword: null };
      throw error;
    }
    return { created: true, generatedPassword: generated };
  }
}
