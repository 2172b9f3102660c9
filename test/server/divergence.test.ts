/**
 * Divergence checks against the real central service (server/sync/digest.ts, POST /api/sync/digest and
 * /api/sync/records): a caller's tree covers exactly the records it may read — the same as pull shows it —
 * so another pair's company never shows, not even as a differing bucket; the records endpoint gives nothing
 * of unreadable records; and a head altered or lost in `sync_fields`, or a record lost from the service
 * altogether, is found by a laptop's check and repaired.
 */
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { and, eq } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketOf, bucketText, DIGEST_BUCKETS, DigestTree, differingRecords, recordKey, type RecordDigest } from '#shared/sync/digest';
import { MAX_RECORDS_REQUEST, type DigestResponse, type RecordsResponse } from '#shared/sync/protocol';
import type { ServerDatabase } from '../../server/db/index.ts';
import { syncFields, syncOps, syncRecords } from '../../server/db/schema.ts';
import { silentLogger } from '../../electron/services/logger.ts';
import { DivergenceCheck } from '../../electron/services/sync-divergence.ts';
import { httpTransport, type SyncTransport } from '../../electron/services/sync-transport.ts';
import { companyData, openApp, useCleanup, type TestApp } from '../integration/fixtures.ts';
import { ADMIN, BACKENDS, call, createUser, enrolDevice, login, startServer, TestClock } from './helpers.ts';
import { adminUserId, buildWorld, type Laptop, type World } from './sync-helpers.ts';

useCleanup();

const sha256 = (t: string) => crypto.createHash('sha256').update(t).digest('hex');
const NO_BUCKETS: null[] = Array.from({ length: DIGEST_BUCKETS }, () => null);

/** Bucket digests built from record digests (as a laptop holding exactly these records would send). */
function bucketsOf(records: readonly RecordDigest[]): (string | null)[] {
  const per: RecordDigest[][] = Array.from({ length: DIGEST_BUCKETS }, () => []);
  for (const r of records) per[bucketOf(r.tbl, r.rowId)]?.push(r);
  return per.map((list) => (list.length === 0 ? null : sha256(bucketText(list))));
}

describe.each(BACKENDS)('divergence checks against the central service ($name)', (backend) => {
  let app: FastifyInstance;
  let database: ServerDatabase;
  let dispose: () => Promise<void>;
  let baseUrl: string;
  let adminToken: string;
  let w: World;
  const ids = { visitA: uuidv7(), attendeeA: uuidv7(), visitC: uuidv7(), diagnosis: uuidv7() };

  beforeAll(async () => {
    ({ database, dispose } = await backend.open());
    app = await startServer(database, new TestClock());
    baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    adminToken = await login(app, ADMIN.email, ADMIN.password);
    w = await buildWorld(app, adminToken, await adminUserId(app, adminToken));
    await w.mentorA.pushOk([
      ...w.mentorA.record('visits', ids.visitA, { org_id: w.ids.c1, visited_on: '2027-03-05', summary: '라인 점검' }),
      ...w.mentorA.record('visit_attendees', ids.attendeeA, { visit_id: ids.visitA, name: '김대표' }),
    ]);
    await w.mentorC.pushOk(w.mentorC.record('visits', ids.visitC, { org_id: w.ids.c2, summary: '대성 방문' }));
    await w.consultant.pushOk(w.consultant.record('diagnoses', ids.diagnosis, { org_id: w.ids.s1, started_on: '2027-03-02' }));
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await dispose?.();
  });

  const digest = (l: Laptop, body: unknown) => call<DigestResponse>(app, 'POST', '/api/sync/digest', { token: l.token, body });
  const records = (l: Laptop, body: unknown) => call<RecordsResponse>(app, 'POST', '/api/sync/records', { token: l.token, body });
  /** Everything in the caller's tree: against an empty laptop, every non-empty bucket differs. */
  const treeOf = async (l: Laptop, skip: { tbl: string; rowId: string }[] = []) => {
    const r = await digest(l, { buckets: NO_BUCKETS, skip });
    expect(r.status).toBe(200);
    expect(r.body.more).toBe(false);
    return r.body.differing.flatMap((b) => b.records);
  };
  /** The records pull shows the caller, with the tree a laptop builds from the pulled ops. */
  const pulled = async (l: Laptop) => {
    l.cursor = 0;
    const ops = (await l.pullAll()).ops;
    const tree = new DigestTree();
    for (const o of ops) tree.add(o.tbl, o.rowId, o.field, o.hlc);
    return { keys: new Set(ops.map((o) => recordKey(o.tbl, o.rowId))), index: tree.build(sha256) };
  };

  it('a mentor’s tree covers exactly what pull shows them: never another pair’s company, a region’s other suppliers or a consultant’s diagnosis', async () => {
    const mine = await treeOf(w.mentorA);
    const keys = new Set(mine.map((r) => recordKey(r.tbl, r.rowId)));
    for (const k of [recordKey('organizations', w.ids.c1), recordKey('organizations', w.ids.s1), recordKey('visits', ids.visitA), recordKey('visit_attendees', ids.attendeeA), recordKey('mentors', w.ids.m3), recordKey('pair_assignments', w.ids.a1)]) {
      expect(keys.has(k), k).toBe(true);
    }
    for (const k of [recordKey('organizations', w.ids.c2), recordKey('organizations', w.ids.s2), recordKey('visits', ids.visitC), recordKey('pair_assignments', w.ids.a2), recordKey('diagnoses', ids.diagnosis)]) {
      expect(keys.has(k), k).toBe(false);
    }
    const view = await pulled(w.mentorA);
    expect(keys).toEqual(view.keys);
    // The laptop's tree from what it pulled equals the service's, bucket by bucket: nothing differs.
    const same = await digest(w.mentorA, { buckets: view.index.buckets });
    expect(same.body).toEqual({ compared: DIGEST_BUCKETS, records: keys.size, differing: [], more: false });
    // The record digests the service sent make up its bucket digests.
    expect((await digest(w.mentorA, { buckets: bucketsOf(mine) })).body.differing).toEqual([]);
    // The administrator's tree holds all of it; the consultant's holds their diagnosis.
    const all = new Set((await treeOf(w.admin)).map((r) => recordKey(r.tbl, r.rowId)));
    for (const k of [...keys, recordKey('organizations', w.ids.c2), recordKey('visits', ids.visitC), recordKey('diagnoses', ids.diagnosis)]) expect(all.has(k), k).toBe(true);
    expect(new Set((await treeOf(w.consultant)).map((r) => r.rowId)).has(ids.diagnosis)).toBe(true);
    // Skipped records (changes not pushed yet) are left out.
    expect((await treeOf(w.mentorA, [{ tbl: 'visits', rowId: ids.visitA }])).map((r) => r.rowId)).not.toContain(ids.visitA);
  });

  it('another pair’s edits never make a bucket differ; the colleague’s edit makes exactly its record’s bucket differ', async () => {
    const before = await pulled(w.mentorA);
    await w.mentorC.pushOk([w.mentorC.op('visits', ids.visitC, 'summary', '대성 재방문'), w.mentorC.op('organizations', w.ids.c2, 'name', '대성금속(주)')]);
    expect((await digest(w.mentorA, { buckets: before.index.buckets })).body.differing).toEqual([]);
    // The colleague has seen the visit (pulled it), so their edit sorts after it and becomes the head.
    await w.mentorB.pullAll();
    await w.mentorB.pushOk([w.mentorB.op('visits', ids.visitA, 'summary', '라인 재점검')]);
    const r = await digest(w.mentorA, { buckets: before.index.buckets });
    expect(r.body.differing.map((b) => b.bucket)).toEqual([bucketOf('visits', ids.visitA)]);
    const bucket = r.body.differing[0]?.bucket as number;
    expect(differingRecords(before.index.recordsIn(bucket), r.body.differing[0]?.records ?? []).map((d) => d.rowId)).toEqual([ids.visitA]);
  });

  it('the records endpoint gives the heads of readable records only; the rest are absent, whatever the reason', async () => {
    const unknown = uuidv7();
    const ask = [
      { tbl: 'organizations', rowId: w.ids.c1 },
      { tbl: 'organizations', rowId: w.ids.c2 },
      { tbl: 'visits', rowId: ids.visitC },
      { tbl: 'diagnoses', rowId: ids.diagnosis },
      { tbl: 'organizations', rowId: w.ids.s2 },
      { tbl: 'visits', rowId: unknown },
      { tbl: 'mentors', rowId: w.ids.m3 },
    ];
    const r = await records(w.mentorA, { records: ask });
    expect(r.status).toBe(200);
    expect([...new Set(r.body.ops.map((o) => o.rowId))].sort()).toEqual([w.ids.c1, w.ids.m3].sort());
    expect(r.body.absent.map((a) => a.rowId).sort()).toEqual([w.ids.c2, ids.visitC, ids.diagnosis, w.ids.s2, unknown].sort());
    expect(r.body.ops.some((o) => o.value?.includes('대성'))).toBe(false);
    // Each op is the field's head as the service holds it.
    const heads = await database.db.select().from(syncFields).where(and(eq(syncFields.tbl, 'organizations'), eq(syncFields.rowId, w.ids.c1)));
    expect(r.body.ops.filter((o) => o.rowId === w.ids.c1).map((o) => [o.field, o.opId, o.hlc, o.seq]).sort()).toEqual(heads.map((h) => [h.field, h.opId, h.hlc, h.seq]).sort());

    // Same gate and validation as the other sync routes.
    expect((await call(app, 'POST', '/api/sync/records', { body: { records: ask } })).status).toBe(401);
    expect((await call(app, 'POST', '/api/sync/records', { token: adminToken, body: { records: ask } })).status).toBe(403);
    expect((await call(app, 'POST', '/api/sync/digest', { token: adminToken, body: { buckets: NO_BUCKETS } })).status).toBe(403);
    const tooMany = Array.from({ length: MAX_RECORDS_REQUEST + 1 }, () => ({ tbl: 'visits', rowId: uuidv7() }));
    expect((await records(w.mentorA, { records: tooMany })).status).toBe(400);
    expect((await records(w.mentorA, { records: ask, extra: 1 })).status).toBe(400);
    expect((await records(w.mentorA, { records: [{ tbl: 'Visits; drop', rowId: 'x' }] })).status).toBe(400);
    expect((await digest(w.mentorA, { buckets: NO_BUCKETS.slice(1) })).status).toBe(400);
  });

  it('a head altered or lost in sync_fields, and a record the service lost, are found by a laptop and repaired', async () => {
    const user = await createUser(app, adminToken, 'admin');
    const token = (await enrolDevice(app, adminToken, user.id)).token;
    const t: SyncTransport = httpTransport({ baseUrl, token: () => Promise.resolve(token) });
    const laptop: TestApp = openApp();
    const check = new DivergenceCheck(laptop.sqlite, laptop.services.sync, laptop.services.settings.deviceId(), silentLogger());
    const { id: companyId } = await laptop.ok('companies.create', companyData({ name: '정합정밀' }));
    const { id: lostAction } = await laptop.ok('actions.create', { companyId, title: '재고 관리', owner: '', dueOn: null, severity: 'low' });
    const { id: assessmentId } = await laptop.ok('assessments.create', { companyId, visitId: null, instrumentId: 'company-dx' });
    await laptop.ok('assessments.saveAnswer', { assessmentId, itemId: 'ceo_vision', value: 4 });
    const { id: actionId } = await laptop.ok('actions.create', { companyId, title: '작업표준서', owner: '', dueOn: null, severity: 'high' });
    await laptop.services.sync.syncOnce(t);
    expect(await check.run(t)).toMatchObject({ recordsDiffering: 0, bucketsDiffering: 0, notRun: null });

    // The service's state is edited behind its back: a head gets an older clock and another value, another vanishes.
    const headsBefore = await database.db.select().from(syncFields).where(eq(syncFields.rowId, companyId));
    const name = headsBefore.find((h) => h.field === 'name');
    expect(name?.value).toBe('"정합정밀"');
    await database.db.update(syncFields).set({ hlc: '2020-01-01T00:00:00.000Z-0000-tamper', value: '"변조"' }).where(and(eq(syncFields.tbl, 'organizations'), eq(syncFields.rowId, companyId), eq(syncFields.field, 'name')));
    await database.db.delete(syncFields).where(and(eq(syncFields.tbl, 'action_items'), eq(syncFields.rowId, actionId), eq(syncFields.field, 'title')));
    const local = check.localTree();
    const answer = await t.digest!({ buckets: local.buckets, skip: [] });
    const found = answer.differing.flatMap((b) => differingRecords(local.recordsIn(b.bucket), b.records)).map((d) => recordKey(d.tbl, d.rowId));
    expect(found.sort()).toEqual([recordKey('organizations', companyId), recordKey('action_items', actionId)].sort());

    expect(await check.run(t)).toMatchObject({ recordsDiffering: 2, recordsRepulled: 0, opsResent: 0, unresolvedCount: 0 });
    expect(await database.db.select().from(syncFields).where(eq(syncFields.rowId, companyId))).toEqual(expect.arrayContaining(headsBefore));
    expect((await database.db.select().from(syncFields).where(and(eq(syncFields.rowId, actionId), eq(syncFields.field, 'title'))))[0]?.value).toBe('"작업표준서"');
    expect(await check.run(t)).toMatchObject({ recordsDiffering: 0 });

    // The service loses a whole record (log, heads, record); later ops keep its log's end past the laptop's cursor.
    const lostOps = await database.db.select({ opId: syncOps.opId }).from(syncOps).where(and(eq(syncOps.tbl, 'action_items'), eq(syncOps.rowId, lostAction)));
    expect(lostOps.length).toBeGreaterThan(2);
    for (const table of [syncOps, syncFields, syncRecords]) await database.db.delete(table).where(and(eq(table.tbl, 'action_items'), eq(table.rowId, lostAction)));
    await laptop.services.sync.syncOnce(t);
    const summary = await check.run(t);
    expect(summary).toMatchObject({ recordsDiffering: 1, recordsRepulled: 0, opsResent: lostOps.length, unresolvedCount: 0 });
    await laptop.services.sync.syncOnce(t);
    expect((await database.db.select({ opId: syncOps.opId }).from(syncOps).where(eq(syncOps.rowId, lostAction))).map((o) => o.opId).sort()).toEqual(lostOps.map((o) => o.opId).sort());
    expect(await check.run(t)).toMatchObject({ recordsDiffering: 0 });
    expect(laptop.services.sync.status()).toMatchObject({ pending: 0, rejected: 0 });
    expect((await laptop.ok('companies.get', { id: companyId })).name).toBe('정합정밀');
    expect((await laptop.ok('actions.list', { companyId })).rows.map((r) => r.title).sort()).toEqual(['작업표준서', '재고 관리'].sort());
  }, 60_000);
});
