import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateRevocations, certificates } from '../../server/db/schema.ts';
import type { ServerDatabase } from '../../server/db/index.ts';
import { ADMIN, BACKENDS, call, createUser, enrolDevice, login, startServer, TestClock } from './helpers.ts';

const hash = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
let seq = 0;
/** A certificate as the desktop app issues it (clock: 2027-03-02). */
const cert = (over: Record<string, unknown> = {}) => ({
  number: `DXM-2027-${String(++seq).padStart(5, '0')}`,
  companyName: '(주)대한정밀',
  brn: '220-81-62517',
  capabilityLevel: 3,
  builtLevel: 'intermediate1',
  issuedOn: '2027-03-01',
  validUntil: '2029-02-28',
  dataHash: hash(`certificate ${seq}`),
  issuingOffice: 'DXM',
  signerName: '김평가',
  ...over,
});

describe.each(BACKENDS)('certificate register and verification ($name)', (backend) => {
  let app: FastifyInstance;
  let database: ServerDatabase;
  let dispose: () => Promise<void>;
  let adminToken: string;
  /** A mentor's enrolled laptop: may publish. */
  let device: string;
  let mentorOrg: string;
  const clock = new TestClock(Date.parse('2027-03-02T01:00:00Z'));

  beforeAll(async () => {
    ({ database, dispose } = await backend.open());
    app = await startServer(database, clock);
    adminToken = await login(app, ADMIN.email, ADMIN.password);
    const mentor = await createUser(app, adminToken, 'mentor');
    mentorOrg = mentor.organizationId;
    device = (await enrolDevice(app, adminToken, mentor.id)).token;
  });
  afterAll(async () => {
    await app?.close();
    await dispose?.();
  });

  const certCount = async () => (await database.db.select({ n: count() }).from(certificates))[0]?.n ?? 0;

  describe('publishing', () => {
    it('publishes, and accepts the same certificate again (idempotent)', async () => {
      const c = cert();
      const first = await call(app, 'POST', '/api/certificates', { token: device, body: c });
      expect(first.status).toBe(201);
      expect(first.body).toEqual({
        number: c.number,
        status: 'valid',
        dataHash: c.dataHash,
        capabilityLevel: 3,
        builtLevel: 'intermediate1',
        companyName: '(주)대한정밀',
        issuingOffice: 'DXM',
        issuedOn: '2027-03-01',
        validUntil: '2029-02-28',
      });
      const again = await call(app, 'POST', '/api/certificates', { token: device, body: { ...c, dataHash: c.dataHash.toUpperCase() } });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      const [row] = await database.db.select().from(certificates).where(eq(certificates.number, c.number));
      expect(row?.brn).toBe('2208162517');
    });

    it('refuses a different certificate under a number already registered (409) and keeps the first', async () => {
      const c = cert();
      expect((await call(app, 'POST', '/api/certificates', { token: device, body: c })).status).toBe(201);
      const other = await call(app, 'POST', '/api/certificates', { token: device, body: { ...c, dataHash: hash('forged'), companyName: '다른회사' } });
      expect(other.status).toBe(409);
      expect(other.body).toEqual({
        code: 'conflict',
        messageKey: 'errors.certificate.conflict',
        fields: { dataHash: { key: 'validation.differsFromRegister' }, companyName: { key: 'validation.differsFromRegister' } },
      });
      const pub = await call(app, 'GET', `/api/public/certificates/${c.number}`);
      expect(pub.body).toMatchObject({ dataHash: c.dataHash, companyName: '(주)대한정밀' });
    });

    it('refuses a bad payload field by field and writes nothing', async () => {
      const before = await certCount();
      const r = await call(app, 'POST', '/api/certificates', {
        token: device,
        body: { number: 'DXM-27-1', companyName: '', brn: '123-45-67890', capabilityLevel: 7, builtLevel: 'expert', issuedOn: '2027-02-30', validUntil: 'soon', dataHash: 'abc', issuingOffice: 'D X', signerName: '', extra: true },
      });
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ code: 'validation', messageKey: 'errors.validation' });
      const fields = r.body.fields as Record<string, { key: string }>;
      expect(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.key]))).toEqual({
        number: 'validation.certificateNumber',
        companyName: 'validation.required',
        brn: 'validation.brn',
        capabilityLevel: 'validation.tooLarge',
        builtLevel: 'validation.choice',
        issuedOn: 'validation.date',
        validUntil: 'validation.date',
        dataHash: 'validation.sha256',
        issuingOffice: 'validation.issuingOffice',
        signerName: 'validation.required',
        _: 'validation.invalid',
      });
      const mismatch = await call(app, 'POST', '/api/certificates', { token: device, body: cert({ number: 'ABC-2026-00001', validUntil: '2026-01-01' }) });
      expect(mismatch.status).toBe(400);
      expect(mismatch.body.fields).toMatchObject({ number: { key: 'validation.certificateOffice' }, validUntil: { key: 'validation.dateOrder' } });
      expect((await call(app, 'POST', '/api/certificates', { token: device })).status).toBe(400);
      expect(await certCount()).toBe(before);
    });

    it('requires an enrolled device of a publishing role', async () => {
      const before = await certCount();
      expect((await call(app, 'POST', '/api/certificates', { body: cert() })).status).toBe(401);
      // A password session is not an enrolled device.
      const fromBrowser = await call(app, 'POST', '/api/certificates', { token: adminToken, body: cert() });
      expect(fromBrowser.status).toBe(403);
      expect(fromBrowser.body).toMatchObject({ code: 'forbidden', messageKey: 'errors.auth.deviceRequired' });
      const consultant = await createUser(app, adminToken, 'supplier_consultant');
      const consultantDevice = (await enrolDevice(app, adminToken, consultant.id)).token;
      expect((await call(app, 'POST', '/api/certificates', { token: consultantDevice, body: cert() })).status).toBe(403);
      expect(await certCount()).toBe(before);
    });
  });

  describe('revocation', () => {
    it('revokes once; the same revocation again is accepted, a different one is a conflict', async () => {
      const c = cert();
      await call(app, 'POST', '/api/certificates', { token: device, body: c });
      const revocation = { reason: '평가 자료 허위 기재 확인', revokedAt: '2027-03-02T10:00:00+09:00' };
      const r = await call(app, 'POST', `/api/certificates/${c.number}/revoke`, { token: device, body: revocation });
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ number: c.number, status: 'revoked', reason: revocation.reason, revokedAt: '2027-03-02T01:00:00.000Z' });
      const again = await call(app, 'POST', `/api/certificates/${c.number}/revoke`, { token: device, body: { ...revocation, revokedAt: '2027-03-02T01:00:00Z' } });
      expect(again.status).toBe(200);
      const different = await call(app, 'POST', `/api/certificates/${c.number}/revoke`, { token: device, body: { ...revocation, reason: '다른 사유' } });
      expect(different.status).toBe(409);
      expect(different.body).toMatchObject({ code: 'conflict', messageKey: 'errors.certificate.alreadyRevoked' });
      const pub = await call(app, 'GET', `/api/public/certificates/${c.number.toLowerCase()}`);
      expect(pub.body).toMatchObject({ status: 'revoked', reason: revocation.reason });
    });

    it('refuses unknown numbers, bad payloads and mentors of another organisation', async () => {
      const before = (await database.db.select({ n: count() }).from(certificateRevocations))[0]?.n;
      expect((await call(app, 'POST', '/api/certificates/DXM-2027-99999/revoke', { token: device, body: { reason: 'x', revokedAt: '2027-03-02T00:00:00Z' } })).status).toBe(404);
      const c = cert();
      await call(app, 'POST', '/api/certificates', { token: device, body: c });
      const bad = await call(app, 'POST', `/api/certificates/${c.number}/revoke`, { token: device, body: { reason: '', revokedAt: 'yesterday' } });
      expect(bad.status).toBe(400);
      expect(bad.body.fields).toMatchObject({ reason: { key: 'validation.required' }, revokedAt: { key: 'validation.dateTime' } });
      const outsider = await createUser(app, adminToken, 'mentor');
      expect(outsider.organizationId).not.toBe(mentorOrg);
      const outsiderDevice = (await enrolDevice(app, adminToken, outsider.id)).token;
      expect((await call(app, 'POST', `/api/certificates/${c.number}/revoke`, { token: outsiderDevice, body: { reason: '권한 없음', revokedAt: '2027-03-02T00:00:00Z' } })).status).toBe(403);
      expect((await database.db.select({ n: count() }).from(certificateRevocations))[0]?.n).toBe(before);
      expect((await call(app, 'GET', `/api/public/certificates/${c.number}`)).body).toMatchObject({ status: 'valid' });
    });
  });

  describe('public verification', () => {
    it('answers valid, expired and unknown, without authentication and without the BRN', async () => {
      const c = cert();
      await call(app, 'POST', '/api/certificates', { token: device, body: c });
      const valid = await call(app, 'GET', `/api/public/certificates/${c.number}`);
      expect(valid.status).toBe(200);
      expect(valid.body).toMatchObject({ number: c.number, status: 'valid', dataHash: c.dataHash });
      expect(valid.text).not.toContain('2208162517');
      expect(valid.body).not.toHaveProperty('signerName');

      const old = cert({ issuedOn: '2025-01-10', validUntil: '2027-03-01', number: `DXM-2025-${String(++seq).padStart(5, '0')}` });
      expect((await call(app, 'POST', '/api/certificates', { token: device, body: old })).status).toBe(201);
      // 2027-03-02 01:00Z is 10:00 on 2 March in Korea: the day after validUntil.
      expect((await call(app, 'GET', `/api/public/certificates/${old.number}`)).body).toMatchObject({ status: 'expired' });

      const unknown = await call(app, 'GET', '/api/public/certificates/DXM-2027-88888');
      expect(unknown.status).toBe(404);
      expect(unknown.body).toEqual({ code: 'not_found', messageKey: 'errors.notFound', params: { entity: 'certificate' } });
      const malformed = await call(app, 'GET', '/api/public/certificates/not-a-number');
      expect(malformed.status).toBe(400);
      expect(malformed.body.fields).toMatchObject({ number: { key: 'validation.certificateNumber' } });
    });

    it('expires on the Korean calendar day after validUntil', async () => {
      const c = cert({ validUntil: '2027-03-03' });
      await call(app, 'POST', '/api/certificates', { token: device, body: c });
      const saved = clock.time;
      clock.time = Date.parse('2027-03-03T14:59:00Z'); // 23:59 in Seoul
      expect((await call(app, 'GET', `/api/public/certificates/${c.number}`)).body).toMatchObject({ status: 'valid' });
      clock.time = Date.parse('2027-03-03T15:00:00Z'); // midnight in Seoul
      expect((await call(app, 'GET', `/api/public/certificates/${c.number}`)).body).toMatchObject({ status: 'expired' });
      clock.time = saved;
    });
  });

  describe('the /verify page', () => {
    it('serves a bilingual form under a strict CSP with no external assets', async () => {
      const r = await app.inject({ method: 'GET', url: '/verify' });
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
      const csp = String(r.headers['content-security-policy']);
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("form-action 'self'");
      expect(csp).not.toContain('unsafe-inline');
      // The one inline style block is allowed by its hash.
      const style = /<style>([\s\S]*?)<\/style>/.exec(r.body)?.[1] ?? '';
      expect(csp).toContain(`'sha256-${crypto.createHash('sha256').update(style).digest('base64')}'`);
      expect(r.body).toContain('수준확인서 진위 확인');
      expect(r.body).toContain('Certificate verification');
      expect(r.body).not.toMatch(/<script|src=|href=|https?:\/\//i);
      expect(r.body).not.toContain('id="result"');
    });

    it('shows valid, revoked and unknown certificates, and compares a hash', async () => {
      const c = cert();
      await call(app, 'POST', '/api/certificates', { token: device, body: c });
      const valid = await app.inject({ method: 'GET', url: `/verify/${c.number}` });
      expect(valid.statusCode).toBe(200);
      expect(valid.body).toContain('data-status="valid"');
      expect(valid.body).toContain('유효한 확인서입니다');
      expect(valid.body).toContain(c.dataHash);

      const match = await app.inject({ method: 'GET', url: `/verify?number=${c.number}&hash=${c.dataHash.toUpperCase()}` });
      expect(match.body).toContain('data-hash="match"');
      const mismatch = await app.inject({ method: 'GET', url: `/verify?number=${c.number}&hash=${hash('tampered')}` });
      expect(mismatch.body).toContain('data-hash="mismatch"');
      // The text of the certificate's QR code works as the number.
      const qr = await app.inject({ method: 'GET', url: `/verify?number=${encodeURIComponent(`DXCERT|${c.number}|${c.dataHash}`)}` });
      expect(qr.body).toContain('data-hash="match"');

      await call(app, 'POST', `/api/certificates/${c.number}/revoke`, { token: device, body: { reason: '기업 요청', revokedAt: '2027-03-02T00:00:00Z' } });
      const revoked = await app.inject({ method: 'GET', url: `/verify/${c.number}` });
      expect(revoked.body).toContain('data-status="revoked"');
      expect(revoked.body).toContain('기업 요청');

      const unknown = await app.inject({ method: 'GET', url: '/verify?number=DXM-2027-77777' });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.body).toContain('data-status="unknown"');
      const bad = await app.inject({ method: 'GET', url: '/verify?number=hello' });
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('data-status="invalid"');
    });

    it('escapes everything it echoes or shows', async () => {
      const evil = '<script>alert("x")</script>';
      const c = cert({ companyName: `<img src=x onerror=alert(1)> & "회사"`, signerName: evil });
      await call(app, 'POST', '/api/certificates', { token: device, body: c });
      await call(app, 'POST', `/api/certificates/${c.number}/revoke`, { token: device, body: { reason: `${evil}'"`, revokedAt: '2027-03-02T00:00:00Z' } });
      const shown = await app.inject({ method: 'GET', url: `/verify/${c.number}` });
      expect(shown.body).not.toContain('<img');
      expect(shown.body).not.toContain('<script');
      expect(shown.body).toContain('&#60;img src&#61;x onerror&#61;alert(1)&#62; &#38; &#34;회사&#34;');
      expect(shown.body).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;&#39;&#34;');

      const echoed = await app.inject({ method: 'GET', url: `/verify?number=${encodeURIComponent(`"><script>alert(1)</script>`)}&hash=${encodeURIComponent(`" autofocus onfocus="alert(1)`)}` });
      expect(echoed.statusCode).toBe(400);
      expect(echoed.body).not.toContain('<script>alert');
      expect(echoed.body).not.toContain('" autofocus');
      expect(echoed.body).toContain('value="&#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62;"');
      const inPath = await app.inject({ method: 'GET', url: `/verify/${encodeURIComponent('<b>DXM-2027-1</b>')}` });
      expect(inPath.body).not.toContain('<b>');
    });
  });
});
