import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { count } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { canonicalContent } from '#shared/sync/signing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PushResponse } from '#shared/sync/protocol';
import type { ServerDatabase } from '../../server/db/index.ts';
import { syncOps } from '../../server/db/schema.ts';
import { ADMIN, BACKENDS, call, createUser, login, startServer, TestClock } from './helpers.ts';
import { adminUserId, buildWorld, laptopFor, type Laptop, type World } from './sync-helpers.ts';

const outcome = (r: PushResponse) => r.results.map((x) => (x.status === 'accepted' ? 'ok' : x.reason));

describe.each(BACKENDS)('sync authorisation ($name)', (backend) => {
  let app: FastifyInstance;
  let database: ServerDatabase;
  let dispose: () => Promise<void>;
  let adminToken: string;
  let w: World;
  /** Records of pair 2's company (c2) and its children, written by pair 2's mentor. */
  const c2Records = { visit: uuidv7(), assessment: uuidv7(), answer: uuidv7() };
  const clock = new TestClock();

  beforeAll(async () => {
    ({ database, dispose } = await backend.open());
    app = await startServer(database, clock);
    adminToken = await login(app, ADMIN.email, ADMIN.password);
    w = await buildWorld(app, adminToken, await adminUserId(app, adminToken));
    await w.mentorC.pushOk([
      ...w.mentorC.record('visits', c2Records.visit, { org_id: w.ids.c2, summary: '대성 방문' }),
      ...w.mentorC.record('assessments', c2Records.assessment, { org_id: w.ids.c2, title: '역량평가' }),
      ...w.mentorC.record('assessment_answers', c2Records.answer, { assessment_id: c2Records.assessment, score: 3 }),
    ]);
  });
  afterAll(async () => {
    await app?.close();
    await dispose?.();
  });

  const rowsPulled = async (l: Laptop) => {
    l.cursor = 0;
    const p = await l.pullAll(50);
    return { rows: new Set(p.ops.map((o) => o.rowId)), ops: p.ops, conflicts: p.conflicts };
  };

  describe('mentors', () => {
    it('cannot push to another pair’s company, its records or their children, new or existing', async () => {
      const r = await w.mentorA.push([
        w.mentorA.op('organizations', w.ids.c2, 'name', '빼앗기'),
        w.mentorA.op('visits', c2Records.visit, 'summary', '덮어쓰기'),
        w.mentorA.op('visits', uuidv7(), 'org_id', w.ids.c2),
        w.mentorA.op('assessment_answers', c2Records.answer, 'score', 5),
        w.mentorA.op('assessment_answers', uuidv7(), 'assessment_id', c2Records.assessment),
        w.mentorA.op('contacts', uuidv7(), 'org_id', w.ids.c2),
      ]);
      expect(r.status).toBe(200);
      expect(outcome(r.body)).toEqual(['forbidden', 'forbidden', 'forbidden', 'forbidden', 'forbidden', 'forbidden']);
      expect(r.body.results.every((x) => x.status === 'rejected' && x.messageKey === 'errors.sync.forbidden')).toBe(true);
    });

    it('cannot pull another pair’s company or anything of it; pulls its own, the region’s suppliers and the registry', async () => {
      const { rows, ops } = await rowsPulled(w.mentorA);
      for (const id of [w.ids.c2, c2Records.visit, c2Records.assessment, c2Records.answer, w.ids.a2, w.ids.s2]) expect(rows.has(id)).toBe(false);
      for (const id of [w.ids.c1, w.ids.a1, w.ids.s1, w.ids.m1, w.ids.m3, w.ids.p2]) expect(rows.has(id)).toBe(true);
      expect(ops.every((o) => o.rowId !== w.ids.c2)).toBe(true);
      const c = await rowsPulled(w.mentorC);
      for (const id of [w.ids.c2, c2Records.visit, c2Records.answer, w.ids.a2]) expect(c.rows.has(id)).toBe(true);
      expect(c.rows.has(w.ids.c1)).toBe(false);
    });

    it('cannot see another pair’s conflicts', async () => {
      const a = w.mentorC.op('visits', c2Records.visit, 'summary', '하나', null);
      const b = w.admin.op('visits', c2Records.visit, 'summary', '둘', null);
      await w.mentorC.pushOk([a]);
      await w.admin.pushOk([b]);
      expect((await rowsPulled(w.mentorC)).conflicts.some((c) => c.rowId === c2Records.visit)).toBe(true);
      expect((await rowsPulled(w.mentorA)).conflicts.some((c) => c.rowId === c2Records.visit)).toBe(false);
    });

    it('cannot write pair assignments, the mentor registry or sanctions, even for their own company', async () => {
      const r = await w.mentorA.push([
        ...w.mentorA.record('pair_assignments', uuidv7(), { pair_id: w.ids.p1, org_id: w.ids.c2 }),
        w.mentorA.op('pair_assignments', w.ids.a1, 'deleted_at', '2027-03-03T00:00:00Z'),
        w.mentorA.op('mentors', w.ids.m1, 'region', '11'),
        w.mentorA.op('mentors', uuidv7(), 'name', '가짜 멘토'),
        w.mentorA.op('mentor_pairs', w.ids.p2, 'process_mentor_id', w.ids.m1),
        w.mentorA.op('sanctions', uuidv7(), 'org_id', w.ids.c1),
      ]);
      expect(outcome(r.body)).toEqual(['forbidden', 'forbidden', 'forbidden', 'forbidden', 'forbidden', 'forbidden', 'forbidden']);
    });

    it('cannot change a restricted field (an organisation’s kind), but gives it when creating an organisation', async () => {
      const r = await w.mentorA.push([w.mentorA.op('organizations', w.ids.c1, 'kind', 'supplier'), w.mentorA.op('organizations', w.ids.c1, 'name', '한빛정밀(주)')]);
      expect(outcome(r.body)).toEqual(['forbiddenField', 'ok']);
      expect(r.body.results[0]).toMatchObject({ messageKey: 'errors.sync.forbiddenField' });
      // The administrator may.
      const admin = await w.admin.push([w.admin.op('organizations', w.ids.s2, 'kind', 'supplier')]);
      expect(outcome(admin.body)).toEqual(['ok']);
    });

    it('the record’s organisation (or parent) is fixed when it is created', async () => {
      const visit = uuidv7();
      await w.mentorA.pushOk(w.mentorA.record('visits', visit, { org_id: w.ids.c1 }));
      const r = await w.admin.push([w.admin.op('visits', visit, 'org_id', w.ids.c2), w.admin.op('visits', visit, 'org_id', w.ids.c1)]);
      expect(outcome(r.body)).toEqual(['invalid', 'ok']);
      expect(r.body.results[0]).toMatchObject({ messageKey: 'errors.sync.scopeChange' });
    });

    it('registry: writes suppliers of their region, creates suppliers, not another region’s', async () => {
      const newSupplier = uuidv7();
      const r = await w.mentorA.push([
        ...w.mentorA.record('financials', uuidv7(), { org_id: w.ids.s1, fiscal_year: 2026, revenue: 1_000_000_000 }),
        w.mentorA.op('financials', uuidv7(), 'org_id', w.ids.s2),
        ...w.mentorA.record('organizations', newSupplier, { kind: 'supplier', name: '새공급', region: '41' }),
        ...w.mentorA.record('organizations', uuidv7(), { name: '종류 없음' }),
      ]);
      expect(outcome(r.body)).toEqual(['ok', 'ok', 'ok', 'forbidden', 'ok', 'ok', 'ok', 'invalid']);
      expect(r.body.results.at(-1)).toMatchObject({ messageKey: 'errors.sync.missingKind' });
      expect((await rowsPulled(w.mentorB)).rows.has(newSupplier)).toBe(true);
      expect((await rowsPulled(w.mentorC)).rows.has(newSupplier)).toBe(true);
    });

    it('a company a mentor creates is theirs until it is assigned; then the assignment decides', async () => {
      const company = uuidv7();
      const visit = uuidv7();
      await w.mentorA.pushOk([...w.mentorA.record('organizations', company, { kind: 'company', name: '신규기업', region: '41' }), ...w.mentorA.record('visits', visit, { org_id: company })]);
      expect((await rowsPulled(w.mentorA)).rows.has(visit)).toBe(true);
      expect((await rowsPulled(w.mentorB)).rows.has(company)).toBe(false);
      // The office assigns it to pair 2.
      await w.admin.pushOk(w.admin.record('pair_assignments', uuidv7(), { pair_id: w.ids.p2, org_id: company, assigned_on: '2027-03-04' }));
      expect((await rowsPulled(w.mentorA)).rows.has(company)).toBe(false);
      expect(outcome((await w.mentorA.push([w.mentorA.op('visits', visit, 'summary', '아직 내 것?')])).body)).toEqual(['forbidden']);
      const c = await rowsPulled(w.mentorC);
      expect(c.rows.has(company)).toBe(true);
      expect(c.rows.has(visit)).toBe(true);
      expect(outcome((await w.mentorC.push([w.mentorC.op('visits', visit, 'summary', '인계받음')])).body)).toEqual(['ok']);
      // A laptop whose cursor had passed the company's history fetches it with a snapshot of that company.
      const fresh = await laptopFor(app, adminToken, w.users.mentorC);
      const snap = await call<{ ops: { rowId: string; field: string }[]; next: unknown }>(app, 'GET', `/api/sync/snapshot?orgId=${company}`, { token: fresh.token });
      expect(snap.status).toBe(200);
      expect(new Set(snap.body.ops.map((o) => o.rowId))).toEqual(new Set([company, visit, ...(await rowsPulled(w.admin)).ops.filter((o) => o.tbl === 'pair_assignments' && o.value === JSON.stringify(company)).map((o) => o.rowId)]));
      const denied = await call<{ ops: unknown[] }>(app, 'GET', `/api/sync/snapshot?orgId=${company}`, { token: w.mentorA.token });
      expect(denied.body.ops).toEqual([]);
    });

    it('an ended assignment (tombstone) takes the company away', async () => {
      const company = uuidv7();
      const asg = uuidv7();
      await w.admin.pushOk([
        ...w.admin.record('organizations', company, { kind: 'company', name: '종료기업', region: '41' }),
        ...w.admin.record('pair_assignments', asg, { pair_id: w.ids.p1, org_id: company }),
      ]);
      expect(outcome((await w.mentorB.push([w.mentorB.op('organizations', company, 'name', '종료기업(주)')])).body)).toEqual(['ok']);
      await w.admin.pushOk([w.admin.op('pair_assignments', asg, 'deleted_at', '2027-03-10T00:00:00Z')]);
      expect(outcome((await w.mentorB.push([w.mentorB.op('organizations', company, 'name', '다시')])).body)).toEqual(['forbidden']);
    });

    it('a user’s mentor id (set by the administrator) decides their pair', async () => {
      const u = await createUser(app, adminToken, 'mentor');
      const l = await laptopFor(app, adminToken, u.id);
      expect((await rowsPulled(l)).rows.has(w.ids.c1)).toBe(false);
      const patched = await call(app, 'PATCH', `/api/admin/users/${u.id}`, { token: adminToken, body: { mentorId: w.ids.m2 } });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ id: u.id, mentorId: w.ids.m2, region: '41' });
      expect((await rowsPulled(l)).rows.has(w.ids.c1)).toBe(true);
      // Only administrators change it, with field errors for a malformed body.
      expect((await call(app, 'PATCH', `/api/admin/users/${u.id}`, { token: w.mentorA.token, body: { mentorId: w.ids.m4 } })).status).toBe(403);
      const bad = await call(app, 'PATCH', `/api/admin/users/${u.id}`, { token: adminToken, body: { region: 'x', other: 1 } });
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ code: 'validation', fields: { region: { key: 'validation.choice' } } });
      expect((await call(app, 'PATCH', `/api/admin/users/${uuidv7()}`, { token: adminToken, body: { region: null } })).status).toBe(404);
    });
  });

  describe('supplier consultants', () => {
    let diagnosis: string;
    it('see the suppliers of their region and never a company', async () => {
      const { rows } = await rowsPulled(w.consultant);
      expect(rows.has(w.ids.s1)).toBe(true);
      for (const id of [w.ids.c1, w.ids.c2, w.ids.s2, w.ids.a1, c2Records.visit]) expect(rows.has(id)).toBe(false);
      const r = await w.consultant.push([w.consultant.op('organizations', w.ids.c1, 'name', 'x'), w.consultant.op('organizations', uuidv7(), 'kind', 'company'), w.consultant.op('visits', uuidv7(), 'org_id', w.ids.s1)]);
      expect(outcome(r.body)).toEqual(['forbidden', 'forbidden', 'forbidden']);
    });

    it('own their diagnoses: another consultant of the region and mentors neither see nor write them', async () => {
      diagnosis = uuidv7();
      const answer = uuidv7();
      await w.consultant.pushOk([
        ...w.consultant.record('diagnoses', diagnosis, { org_id: w.ids.s1, started_on: '2027-03-02' }),
        ...w.consultant.record('diagnosis_answers', answer, { diagnosis_id: diagnosis, score: 4 }),
      ]);
      const other = await laptopFor(app, adminToken, (await createUser(app, adminToken, 'supplier_consultant')).id);
      const seen = await rowsPulled(other);
      expect(seen.rows.has(w.ids.s1)).toBe(true);
      expect(seen.rows.has(diagnosis)).toBe(false);
      expect(seen.rows.has(answer)).toBe(false);
      expect(outcome((await other.push([other.op('diagnoses', diagnosis, 'notes', 'x'), other.op('diagnosis_answers', uuidv7(), 'diagnosis_id', diagnosis)])).body)).toEqual(['forbidden', 'forbidden']);
      expect((await rowsPulled(w.mentorA)).rows.has(diagnosis)).toBe(false);
      expect(outcome((await w.mentorA.push([w.mentorA.op('diagnoses', diagnosis, 'notes', 'x')])).body)).toEqual(['forbidden']);
      const mine = await rowsPulled(w.consultant);
      expect(mine.rows.has(diagnosis) && mine.rows.has(answer)).toBe(true);
    });

    it('may not approve a portal profile (a restricted field) after it was created; an approved profile is locked', async () => {
      const profile = uuidv7();
      await w.consultant.pushOk(w.consultant.record('portal_profiles', profile, { org_id: w.ids.s1, profile: '{}' }));
      expect(outcome((await w.consultant.push([w.consultant.op('portal_profiles', uuidv7(), 'org_id', w.ids.s2)])).body)).toEqual(['forbidden']);
      const approve = await w.consultant.push([w.consultant.op('portal_profiles', profile, 'approved_at', '2027-03-05T00:00:00Z'), w.consultant.op('portal_profiles', profile, 'profile', '{"a":1}')]);
      expect(outcome(approve.body)).toEqual(['forbiddenField', 'ok']);
      expect(approve.body.results[0]).toMatchObject({ messageKey: 'errors.sync.forbiddenField' });
      await w.admin.pushOk([w.admin.op('portal_profiles', profile, 'approved_at', '2027-03-05T00:00:00Z')]);
      expect(outcome((await w.admin.push([w.admin.op('portal_profiles', profile, 'approved_at', null)])).body)).toEqual(['locked']);
      expect(outcome((await w.consultant.push([w.consultant.op('portal_profiles', profile, 'profile', '{}')])).body)).toEqual(['locked']);
    });
  });

  describe('locks', () => {
    it('ops that finalise a record come with its last edits; afterwards the record and its children are closed', async () => {
      const assessment = uuidv7();
      const answer = uuidv7();
      const created = [...w.mentorA.record('assessments', assessment, { org_id: w.ids.c1 }), ...w.mentorA.record('assessment_answers', answer, { assessment_id: assessment, score: 2 })];
      await w.mentorA.pushOk(created);
      // Mentor B has pulled A's answer (its clock is past A's and its edit is based on it), then signs.
      w.mentorB.millis = Math.max(w.mentorB.millis, w.mentorA.millis) + 60_000;
      const seenScore = created.find((o) => o.field === 'score')?.hlc ?? null;
      // The signing laptop claims what it signed: the record and its answers as this batch leaves them.
      const signed = (score: number) =>
        crypto
          .createHash('sha256')
          .update(
            canonicalContent('assessments', assessment, [
              { tbl: 'assessments', rowId: assessment, fields: { org_id: JSON.stringify(w.ids.c1) } },
              { tbl: 'assessment_answers', rowId: answer, fields: { assessment_id: JSON.stringify(assessment), score: JSON.stringify(score), note: JSON.stringify('마지막') } },
            ]),
          )
          .digest('hex');
      // A claim that does not match (it signed score 4, the service will hold 3) is refused, and the record stays open.
      const wrong = await w.mentorB.push([w.mentorB.op('assessments', assessment, 'content_hash', signed(4)), w.mentorB.op('assessments', assessment, 'finalized_at', '2027-03-02T02:00:00Z')]);
      expect(outcome(wrong.body)).toEqual(['ok', 'signMismatch']);
      expect(wrong.body.results[1]).toMatchObject({ messageKey: 'errors.sync.signMismatch' });
      const finalising = await w.mentorB.push([
        w.mentorB.op('assessment_answers', answer, 'score', 3, seenScore),
        w.mentorB.op('assessment_answers', answer, 'note', '마지막'),
        w.mentorB.op('assessments', assessment, 'content_hash', signed(3)),
        w.mentorB.op('assessments', assessment, 'finalized_at', '2027-03-02T03:00:00Z'),
      ]);
      expect(outcome(finalising.body)).toEqual(['ok', 'ok', 'ok', 'ok']);
      const after = await w.mentorA.push([
        w.mentorA.op('assessment_answers', answer, 'score', 1),
        w.mentorA.op('assessment_answers', uuidv7(), 'assessment_id', assessment),
        w.mentorA.op('assessments', assessment, 'title', '고침'),
        w.mentorA.op('assessments', assessment, 'finalized_at', null),
      ]);
      expect(outcome(after.body)).toEqual(['locked', 'locked', 'locked', 'locked']);
      expect(after.body.results[0]).toMatchObject({ messageKey: 'errors.sync.locked' });
      // Not a child that is locked with its parent: a certificate is created after its confirmation is finalised.
      const confirmation = uuidv7();
      const confirmationHash = crypto
        .createHash('sha256')
        .update(canonicalContent('level_confirmations', confirmation, [{ tbl: 'level_confirmations', rowId: confirmation, fields: { org_id: JSON.stringify(w.ids.c1) } }]))
        .digest('hex');
      await w.mentorA.pushOk(w.mentorA.record('level_confirmations', confirmation, { org_id: w.ids.c1, content_hash: confirmationHash, finalized_at: '2027-03-02T04:00:00Z' }));
      const cert = uuidv7();
      await w.mentorA.pushOk(w.mentorA.record('certificates', cert, { confirmation_id: confirmation, number: 'DXM-2027-00001', issued_at: '2027-03-02T05:00:00Z' }));
      expect(outcome((await w.mentorA.push([w.mentorA.op('certificates', cert, 'number', 'DXM-2027-00002')])).body)).toEqual(['locked']);
    });
  });

  describe('administrators', () => {
    it('see everything', async () => {
      const { ops } = await rowsPulled(w.admin);
      const [stored] = await database.db.select({ n: count() }).from(syncOps);
      expect(ops.length).toBe(stored?.n);
    });
  });

  describe('every endpoint', () => {
    const endpoints = [
      ['POST', '/api/sync/push'],
      ['GET', '/api/sync/pull?after=0'],
      ['GET', '/api/sync/snapshot'],
    ] as const;
    const body = () => ({ ops: [w.mentorA.op('visits', uuidv7(), 'org_id', w.ids.c1)] });

    it('needs a token, and a device’s: a password login is refused', async () => {
      const password = await createUser(app, adminToken, 'mentor', { password: 'mentor-password-9', mentorId: w.ids.m1 });
      const session = await login(app, password.email, 'mentor-password-9');
      for (const [method, url] of endpoints) {
        const none = await call(app, method, url, method === 'POST' ? { body: body() } : {});
        expect(none.status).toBe(401);
        expect(none.body).toMatchObject({ code: 'unauthenticated' });
        const browser = await call(app, method, url, { token: session, ...(method === 'POST' ? { body: body() } : {}) });
        expect(browser.status).toBe(403);
        expect(browser.body).toEqual({ code: 'forbidden', messageKey: 'errors.auth.deviceRequired' });
      }
    });

    it('refuses a revoked device (401) and stores nothing it sends', async () => {
      const u = await createUser(app, adminToken, 'mentor', { mentorId: w.ids.m1 });
      const l = await laptopFor(app, adminToken, u.id);
      expect((await l.pull(0, 1)).status).toBe(200);
      const revoked = await call(app, 'POST', `/api/devices/${l.deviceId}/revoke`, { token: adminToken });
      expect(revoked.status).toBe(200);
      const [before] = await database.db.select({ n: count() }).from(syncOps);
      for (const [method, url] of endpoints) {
        const r = await call(app, method, url, { token: l.token, ...(method === 'POST' ? { body: body() } : {}) });
        expect(r.status).toBe(401);
      }
      const [after] = await database.db.select({ n: count() }).from(syncOps);
      expect(after?.n).toBe(before?.n);
    });
  });
});
