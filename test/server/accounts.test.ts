import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { accessTokens, devices, enrolmentCodes, organizations, users } from '../../server/db/schema.ts';
import type { ServerDatabase } from '../../server/db/index.ts';
import { ADMIN, BACKENDS, call, createUser, enrolDevice, login, startServer, TestClock } from './helpers.ts';

describe.each(BACKENDS)('accounts and devices ($name)', (backend) => {
  let app: FastifyInstance;
  let database: ServerDatabase;
  let dispose: () => Promise<void>;
  let adminToken: string;
  const clock = new TestClock();

  beforeAll(async () => {
    ({ database, dispose } = await backend.open());
    app = await startServer(database, clock);
    adminToken = await login(app, ADMIN.email, ADMIN.password);
  });
  afterAll(async () => {
    await app?.close();
    await dispose?.();
  });

  const rows = async (table: typeof organizations | typeof users | typeof devices) => (await database.db.select({ n: count() }).from(table))[0]?.n ?? 0;

  describe('login', () => {
    it('gives a short-lived token that identifies the administrator', async () => {
      const r = await call<{ accessToken: string; expiresAt: string; expiresIn: number; user: { role: string } }>(app, 'POST', '/api/auth/login', { body: { email: 'ADMIN@test.kr ', password: ADMIN.password } });
      expect(r.status).toBe(200);
      expect(r.body.expiresIn).toBe(900);
      expect(Date.parse(r.body.expiresAt)).toBe(clock.time + 900_000);
      expect(r.body.user.role).toBe('admin');
      const me = await call(app, 'GET', '/api/me', { token: r.body.accessToken });
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ role: 'admin', deviceId: null });
      // Only the hash of the token is stored.
      const stored = await database.db.select({ h: accessTokens.tokenHash }).from(accessTokens);
      expect(stored.some((s) => s.h === r.body.accessToken)).toBe(false);
    });

    it('refuses a wrong password and an unknown user alike', async () => {
      const wrong = await call(app, 'POST', '/api/auth/login', { body: { email: ADMIN.email, password: 'not-the-password' } });
      const unknown = await call(app, 'POST', '/api/auth/login', { body: { email: 'nobody@test.kr', password: 'whatever-password' } });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.body).toEqual({ code: 'invalid_credentials', messageKey: 'errors.auth.invalidCredentials' });
      expect(unknown.body).toEqual(wrong.body);
    });

    it('answers a malformed payload with field errors', async () => {
      const r = await call(app, 'POST', '/api/auth/login', { body: { email: 'no-at-sign', extra: 1 } });
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ code: 'validation', messageKey: 'errors.validation' });
      const fields = r.body.fields as Record<string, { key: string }>;
      expect(fields.email?.key).toBe('validation.email');
      expect(fields.password?.key).toBe('validation.required');
      expect(Object.keys(fields)).toContain('_');
    });

    it('stores passwords as salted scrypt hashes', async () => {
      const u = await createUser(app, adminToken, 'mentor', { password: 'mentor-password-1' });
      const twin = await createUser(app, adminToken, 'mentor', { password: 'mentor-password-1' });
      const hashes = await database.db.select({ id: users.id, h: users.passwordHash }).from(users);
      const a = hashes.find((x) => x.id === u.id)?.h ?? '';
      const b = hashes.find((x) => x.id === twin.id)?.h ?? '';
      expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
      expect(a).not.toContain('mentor-password-1');
      expect(a).not.toBe(b);
      expect(await login(app, u.email, 'mentor-password-1')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    });
  });

  describe('tokens', () => {
    it('refuses a missing, malformed or unknown token', async () => {
      expect((await call(app, 'GET', '/api/me')).body).toMatchObject({ code: 'unauthenticated' });
      expect((await app.inject({ method: 'GET', url: '/api/me', headers: { authorization: 'Basic abc' } })).statusCode).toBe(401);
      const unknown = await call(app, 'GET', '/api/me', { token: 'x'.repeat(43) });
      expect(unknown.status).toBe(401);
      expect(unknown.body).toMatchObject({ code: 'unauthenticated', messageKey: 'errors.auth.invalidToken' });
    });

    it('expires a token after 15 minutes with token_expired', async () => {
      const token = await login(app, ADMIN.email, ADMIN.password);
      clock.advance(14 * 60_000);
      expect((await call(app, 'GET', '/api/me', { token })).status).toBe(200);
      clock.advance(60_000);
      const r = await call(app, 'GET', '/api/me', { token });
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ code: 'token_expired', messageKey: 'errors.auth.tokenExpired' });
      expect((await call(app, 'GET', '/api/admin/users', { token })).status).toBe(401);
      adminToken = await login(app, ADMIN.email, ADMIN.password);
    });
  });

  describe('administration', () => {
    it('creates and lists organisations', async () => {
      const r = await call<{ id: string; kind: string; region: string }>(app, 'POST', '/api/admin/organizations', { token: adminToken, body: { name: '한국생산기술연구원', kind: 'institute', region: null } });
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ name: '한국생산기술연구원', kind: 'institute', region: null });
      const list = await call<{ rows: { id: string }[] }>(app, 'GET', '/api/admin/organizations', { token: adminToken });
      expect(list.body.rows.map((o) => o.id)).toContain(r.body.id);
    });

    it('refuses a bad organisation and writes nothing', async () => {
      const before = await rows(organizations);
      const r = await call(app, 'POST', '/api/admin/organizations', { token: adminToken, body: { name: '  ', kind: 'company', region: '99' } });
      expect(r.status).toBe(400);
      expect(r.body.fields).toMatchObject({ name: { key: 'validation.required' }, kind: { key: 'validation.choice' }, region: { key: 'validation.choice' } });
      expect(await rows(organizations)).toBe(before);
    });

    it('creates users with a role and the organisation region; refuses a taken address with 409', async () => {
      const org = await call<{ id: string }>(app, 'POST', '/api/admin/organizations', { token: adminToken, body: { name: '부산테크노파크', kind: 'regional_tp', region: '26' } });
      const r = await call(app, 'POST', '/api/admin/users', { token: adminToken, body: { organizationId: org.body.id, email: 'Kim@Busan.kr', displayName: '김멘토', role: 'mentor' } });
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ email: 'kim@busan.kr', role: 'mentor', region: '26', hasPassword: false, organizationId: org.body.id });
      expect(r.body).not.toHaveProperty('passwordHash');
      const before = await rows(users);
      const dup = await call(app, 'POST', '/api/admin/users', { token: adminToken, body: { organizationId: org.body.id, email: 'kim@busan.kr', displayName: '다른 김', role: 'supplier_consultant', password: 'long-enough-password' } });
      expect(dup.status).toBe(409);
      expect(dup.body).toMatchObject({ code: 'conflict', fields: { email: { key: 'validation.emailTaken' } } });
      expect(await rows(users)).toBe(before);
    });

    it('refuses a bad user payload field by field and writes nothing', async () => {
      const before = await rows(users);
      const r = await call(app, 'POST', '/api/admin/users', { token: adminToken, body: { organizationId: '', email: 'x', displayName: '', role: 'assessor', region: '00', password: 'short' } });
      expect(r.status).toBe(400);
      expect(r.body.fields).toMatchObject({
        organizationId: { key: 'validation.required' },
        email: { key: 'validation.email' },
        displayName: { key: 'validation.required' },
        role: { key: 'validation.choice' },
        region: { key: 'validation.choice' },
        password: { key: 'validation.passwordTooShort' },
      });
      const unknownOrg = await call(app, 'POST', '/api/admin/users', { token: adminToken, body: { organizationId: 'nope', email: 'a@b.kr', displayName: 'A', role: 'mentor' } });
      expect(unknownOrg.status).toBe(400);
      expect(unknownOrg.body.fields).toEqual({ organizationId: { key: 'validation.unknownOrganization' } });
      expect(await rows(users)).toBe(before);
    });

    it('refuses administration to non-administrators with 403 and writes nothing', async () => {
      const mentor = await createUser(app, adminToken, 'mentor', { password: 'mentor-password-2' });
      const token = await login(app, mentor.email, 'mentor-password-2');
      const [u, o] = [await rows(users), await rows(organizations)];
      const create = await call(app, 'POST', '/api/admin/users', { token, body: { organizationId: mentor.organizationId, email: 'sneaky@test.kr', displayName: 'S', role: 'admin' } });
      expect(create.status).toBe(403);
      expect(create.body).toEqual({ code: 'forbidden', messageKey: 'errors.auth.forbidden' });
      expect((await call(app, 'POST', '/api/admin/organizations', { token, body: { name: 'X', kind: 'other' } })).status).toBe(403);
      expect((await call(app, 'GET', '/api/admin/users', { token })).status).toBe(403);
      expect((await call(app, 'POST', `/api/admin/users/${mentor.id}/enrolment-codes`, { token })).status).toBe(403);
      expect([await rows(users), await rows(organizations)]).toEqual([u, o]);
    });
  });

  describe('enrolment', () => {
    it('enrols a device with a one-time code, stores only hashes, and gives it its own tokens', async () => {
      const mentor = await createUser(app, adminToken, 'mentor');
      const code = await call<{ code: string; expiresAt: string }>(app, 'POST', `/api/admin/users/${mentor.id}/enrolment-codes`, { token: adminToken });
      expect(code.status).toBe(201);
      expect(code.body.code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      expect(Date.parse(code.body.expiresAt)).toBe(clock.time + 24 * 3600_000);
      // Typed by hand: lower case, without dashes.
      const enrolled = await call<{ deviceId: string; deviceSecret: string; userId: string }>(app, 'POST', '/api/devices/enrol', { body: { code: code.body.code.replace(/-/g, '').toLowerCase(), deviceName: '김멘토 노트북' } });
      expect(enrolled.status).toBe(201);
      expect(enrolled.body.userId).toBe(mentor.id);
      const [codeRow] = await database.db.select().from(enrolmentCodes).where(eq(enrolmentCodes.userId, mentor.id));
      expect(codeRow?.codeHash).toMatch(/^[0-9a-f]{64}$/);
      expect(codeRow?.usedAt).not.toBeNull();
      const [deviceRow] = await database.db.select().from(devices).where(eq(devices.id, enrolled.body.deviceId));
      expect(deviceRow?.secretHash).toMatch(/^[0-9a-f]{64}$/);
      expect(deviceRow?.secretHash).not.toBe(enrolled.body.deviceSecret);

      const token = await call<{ accessToken: string; expiresIn: number }>(app, 'POST', '/api/auth/device-token', { body: { deviceId: enrolled.body.deviceId, deviceSecret: enrolled.body.deviceSecret } });
      expect(token.status).toBe(200);
      expect(token.body.expiresIn).toBe(900);
      const me = await call(app, 'GET', '/api/me', { token: token.body.accessToken });
      expect(me.body).toMatchObject({ userId: mentor.id, role: 'mentor', deviceId: enrolled.body.deviceId });
    });

    it('refuses a reused, unknown or expired code', async () => {
      const mentor = await createUser(app, adminToken, 'mentor');
      const code = await call<{ code: string }>(app, 'POST', `/api/admin/users/${mentor.id}/enrolment-codes`, { token: adminToken });
      expect((await call(app, 'POST', '/api/devices/enrol', { body: { code: code.body.code, deviceName: 'A' } })).status).toBe(201);
      const devicesBefore = await rows(devices);
      const reused = await call(app, 'POST', '/api/devices/enrol', { body: { code: code.body.code, deviceName: 'B' } });
      expect(reused.status).toBe(409);
      expect(reused.body).toEqual({ code: 'enrolment_code_used', messageKey: 'errors.enrol.codeUsed' });
      const unknown = await call(app, 'POST', '/api/devices/enrol', { body: { code: 'AAAA-BBBB-CCCC-DDDD', deviceName: 'C' } });
      expect(unknown.status).toBe(401);
      expect(unknown.body).toMatchObject({ code: 'enrolment_code_invalid' });

      const late = await call<{ code: string }>(app, 'POST', `/api/admin/users/${mentor.id}/enrolment-codes`, { token: adminToken });
      clock.advance(24 * 3600_000 + 1000);
      const expired = await call(app, 'POST', '/api/devices/enrol', { body: { code: late.body.code, deviceName: 'D' } });
      expect(expired.status).toBe(401);
      expect(expired.body).toMatchObject({ code: 'enrolment_code_expired' });
      expect(await rows(devices)).toBe(devicesBefore);
      adminToken = await login(app, ADMIN.email, ADMIN.password);
    });

    it('lets exactly one of two racing enrolments use a code', async () => {
      const mentor = await createUser(app, adminToken, 'mentor');
      const code = await call<{ code: string }>(app, 'POST', `/api/admin/users/${mentor.id}/enrolment-codes`, { token: adminToken });
      const results = await Promise.all([1, 2, 3].map((i) => call(app, 'POST', '/api/devices/enrol', { body: { code: code.body.code, deviceName: `race ${i}` } })));
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
      expect((await database.db.select().from(devices).where(eq(devices.userId, mentor.id))).length).toBe(1);
    });

    it('refuses a bad enrolment payload with field errors', async () => {
      const r = await call(app, 'POST', '/api/devices/enrol', { body: { code: '', deviceName: '' } });
      expect(r.status).toBe(400);
      expect(r.body.fields).toMatchObject({ code: { key: 'validation.required' }, deviceName: { key: 'validation.required' } });
    });

    it('refuses a wrong device secret', async () => {
      const mentor = await createUser(app, adminToken, 'mentor');
      const d = await enrolDevice(app, adminToken, mentor.id);
      // The first character changed, to a different one (replacing the last with 'A' changed nothing when it already
      // was 'A', and the last base64 character may carry unused bits).
      const wrong = `${d.deviceSecret.startsWith('A') ? 'B' : 'A'}${d.deviceSecret.slice(1)}`;
      const r = await call(app, 'POST', '/api/auth/device-token', { body: { deviceId: d.deviceId, deviceSecret: wrong } });
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({ code: 'invalid_credentials' });
      expect((await call(app, 'POST', '/api/auth/device-token', { body: { deviceId: 'unknown', deviceSecret: d.deviceSecret } })).status).toBe(401);
    });
  });

  describe('revocation', () => {
    it('stops a revoked device at once: its token and its secret', async () => {
      const mentor = await createUser(app, adminToken, 'mentor', { password: 'mentor-password-3' });
      const d = await enrolDevice(app, adminToken, mentor.id);
      const other = await enrolDevice(app, adminToken, mentor.id, '태블릿');
      const userToken = await login(app, mentor.email, 'mentor-password-3');
      expect((await call(app, 'GET', '/api/me', { token: d.token })).status).toBe(200);

      // The owning user revokes from their login session.
      const r = await call<{ ok: boolean; revokedAt: string }>(app, 'POST', `/api/devices/${d.deviceId}/revoke`, { token: userToken });
      expect(r.status).toBe(200);
      expect(r.body.revokedAt).toBe(new Date(clock.time).toISOString());

      const me = await call(app, 'GET', '/api/me', { token: d.token });
      expect(me.status).toBe(401);
      expect(['unauthenticated', 'device_revoked']).toContain(me.body.code);
      const exchange = await call(app, 'POST', '/api/auth/device-token', { body: { deviceId: d.deviceId, deviceSecret: d.deviceSecret } });
      expect(exchange.status).toBe(401);
      expect(exchange.body).toEqual({ code: 'device_revoked', messageKey: 'errors.auth.deviceRevoked' });
      // The user's other device keeps working.
      expect((await call(app, 'GET', '/api/me', { token: other.token })).status).toBe(200);
      const list = await call<{ rows: { id: string; revokedAt: string | null }[] }>(app, 'GET', '/api/devices', { token: userToken });
      expect(list.body.rows.map((x) => [x.id, x.revokedAt !== null]).sort()).toEqual([[d.deviceId, true], [other.deviceId, false]].sort());
    });

    it('refuses to let one user revoke another user’s device; an administrator may', async () => {
      const owner = await createUser(app, adminToken, 'mentor');
      const stranger = await createUser(app, adminToken, 'mentor', { password: 'stranger-password' });
      const d = await enrolDevice(app, adminToken, owner.id);
      const strangerToken = await login(app, stranger.email, 'stranger-password');
      const refused = await call(app, 'POST', `/api/devices/${d.deviceId}/revoke`, { token: strangerToken });
      expect(refused.status).toBe(403);
      expect((await call(app, 'GET', '/api/me', { token: d.token })).status).toBe(200);
      const strangerList = await call<{ rows: { id: string }[] }>(app, 'GET', '/api/devices', { token: strangerToken });
      expect(strangerList.body.rows).toEqual([]);

      const byAdmin = await call(app, 'POST', `/api/devices/${d.deviceId}/revoke`, { token: adminToken });
      expect(byAdmin.status).toBe(200);
      expect((await call(app, 'GET', '/api/me', { token: d.token })).status).toBe(401);
      // A second revocation keeps the first time.
      clock.advance(1000);
      const again = await call(app, 'POST', `/api/devices/${d.deviceId}/revoke`, { token: adminToken });
      expect(again.body.revokedAt).toBe(byAdmin.body.revokedAt);
      expect((await call(app, 'POST', '/api/devices/nope/revoke', { token: adminToken })).status).toBe(404);
    });

    it('turns away a device token whose device is revoked even if the token row survived', async () => {
      const mentor = await createUser(app, adminToken, 'mentor');
      const d = await enrolDevice(app, adminToken, mentor.id);
      // Simulate a revocation written by another path (e.g. an operator in SQL) that did not delete tokens.
      await database.db.update(devices).set({ revokedAt: clock.now() }).where(eq(devices.id, d.deviceId));
      const r = await call(app, 'GET', '/api/me', { token: d.token });
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({ code: 'device_revoked' });
    });
  });
});
