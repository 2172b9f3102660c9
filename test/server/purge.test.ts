/**
 * Tombstone purge (issue 6: "tombstones are purged only after every device has passed them"): real laptops
 * (the app's services on SQLite files) sync with the real service over HTTP; a deleted record goes from the
 * service and from every laptop only once every device that is not revoked has applied the log past its
 * delete, never while a record that depends on it is alive, and an op that still arrives for it is refused.
 */
import type { FastifyInstance } from 'fastify';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PURGE_FIELD } from '#shared/sync/protocol';
import type { ServerDatabase } from '../../server/db/index.ts';
import { syncFields, syncOps, syncRecords } from '../../server/db/schema.ts';
import { silentLogger } from '../../electron/services/logger.ts';
import { DivergenceCheck } from '../../electron/services/sync-divergence.ts';
import { httpTransport, type SyncTransport } from '../../electron/services/sync-transport.ts';
import { companyData, openApp, useCleanup, type TestApp } from '../integration/fixtures.ts';
import { ADMIN, BACKENDS, call, createUser, enrolDevice, login, startServer, TestClock } from './helpers.ts';
import { laptopFor } from './sync-helpers.ts';

useCleanup();

describe.each(BACKENDS)('purging deleted records every device has passed ($name)', (backend) => {
  let app: FastifyInstance;
  let database: ServerDatabase;
  let dispose: () => Promise<void>;
  let baseUrl: string;
  let adminToken: string;
  let userId: string;

  beforeAll(async () => {
    ({ database, dispose } = await backend.open());
    app = await startServer(database, new TestClock());
    baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    adminToken = await login(app, ADMIN.email, ADMIN.password);
    userId = (await createUser(app, adminToken, 'admin')).id;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await dispose?.();
  });

  const laptop = async (): Promise<{ app: TestApp; t: SyncTransport }> => {
    const { token } = await enrolDevice(app, adminToken, userId);
    return { app: openApp(), t: httpTransport({ baseUrl, token: () => Promise.resolve(token) }) };
  };
  const purge = async () => {
    const r = await call<{ horizon: number; records: number }>(app, 'POST', '/api/admin/sync/purge', { token: adminToken });
    expect(r.status).toBe(200);
    return r.body;
  };
  const rowsOf = (l: TestApp, rowId: string) => ({
    log: (l.sqlite.prepare('SELECT count(*) AS n FROM change_log WHERE row_id = ?').get(rowId) as { n: number }).n,
    clocks: (l.sqlite.prepare('SELECT count(*) AS n FROM field_clocks WHERE row_id = ?').get(rowId) as { n: number }).n,
  });

  it('goes from the service and both laptops once both have passed the delete; a parent waits for its children', async () => {
    const [l1, l2] = [await laptop(), await laptop()];
    const raw = await laptopFor(app, adminToken, userId);
    const sync = async (...ls: { app: TestApp; t: SyncTransport }[]) => {
      for (const l of ls) await l.app.services.sync.syncOnce(l.t);
    };
    // Every device applies the log to its end (its position is what it asks after: twice proves the first applied).
    const everyonePasses = async () => {
      await sync(l1, l2, l1, l2);
      await raw.pullAll();
      await raw.pullAll();
    };
    const input = companyData({ name: '정리정밀', contacts: [{ name: '김담당', role: '', phone: '', email: '' }] });
    const { id: companyId } = await l1.app.ok('companies.create', input);
    const contactId = (await l1.app.ok('companies.get', { id: companyId })).contacts[0]!.id;
    const { id: archivedId } = await l1.app.ok('companies.create', companyData({ name: '휴업정밀' }));
    await sync(l1, l2);

    // A contact deleted and a company archived on one laptop; the other has not applied that yet: nothing goes.
    await l1.app.ok('companies.update', { ...input, id: companyId, contacts: [] });
    await l1.app.ok('companies.archive', { id: archivedId });
    await sync(l1);
    expect(await purge()).toMatchObject({ records: 0 });
    await everyonePasses();
    expect(await purge()).toMatchObject({ records: 1 });
    expect(await database.db.select().from(syncFields).where(eq(syncFields.rowId, contactId))).toEqual([]);
    expect((await database.db.select().from(syncOps).where(eq(syncOps.rowId, contactId))).map((o) => o.field)).toEqual([PURGE_FIELD]);
    expect((await database.db.select().from(syncRecords).where(eq(syncRecords.rowId, contactId)))[0]?.purgedSeq).toBeGreaterThan(0);
    // An archived company is not deleted: people restore it, so it is never purged.
    expect((await database.db.select().from(syncRecords).where(eq(syncRecords.rowId, archivedId)))[0]?.purgedSeq).toBeNull();

    await sync(l1, l2);
    for (const l of [l1, l2]) {
      expect(l.app.sqlite.prepare('SELECT count(*) AS n FROM contacts WHERE id = ?').get(contactId)).toEqual({ n: 0 });
      expect(rowsOf(l.app, contactId)).toEqual({ log: 0, clocks: 0 });
      expect((await l.app.ok('companies.get', { id: companyId })).name).toBe('정리정밀');
      expect(l.app.services.sync.checkIntegrity()).toMatchObject({ altered: [], unlogged: [] });
      // Laptop and service agree record for record.
      const check = new DivergenceCheck(l.app.sqlite, l.app.services.sync, l.app.services.settings.deviceId(), silentLogger());
      expect(await check.run(l.t)).toMatchObject({ recordsDiffering: 0, notRun: null });
    }
    await l2.app.ok('companies.restore', { id: archivedId });
    await sync(l2, l1);
    expect((await l1.app.ok('companies.get', { id: archivedId })).name).toBe('휴업정밀');

    // A visit deleted while its attendee is alive waits; once the attendee goes too, both go (child first).
    const visit = '018f0000-0000-7000-8000-00000000a001';
    const attendee = '018f0000-0000-7000-8000-00000000a002';
    await raw.pushOk([...raw.record('visits', visit, { org_id: companyId, visited_on: '2027-03-05' }), ...raw.record('visit_attendees', attendee, { visit_id: visit, name: '김대표' })]);
    await everyonePasses();
    await raw.pushOk([raw.op('visits', visit, 'deleted_at', '2027-03-06T01:00:00.000Z')]);
    await everyonePasses();
    expect(await purge()).toMatchObject({ records: 0 });
    await raw.pushOk([raw.op('visit_attendees', attendee, 'deleted_at', '2027-03-06T01:00:00.000Z')]);
    await everyonePasses();
    expect(await purge()).toMatchObject({ records: 2 });
    for (const l of [l1, l2]) {
      expect(l.app.sqlite.prepare('SELECT count(*) AS n FROM visits WHERE id = ?').get(visit)).toEqual({ n: 0 });
      expect(l.app.sqlite.prepare('SELECT count(*) AS n FROM visit_attendees WHERE id = ?').get(attendee)).toEqual({ n: 0 });
    }

    // An op that still arrives for a purged record is refused, never bringing it back.
    const r = await raw.push([raw.op('visits', visit, 'summary', '되살림')]);
    expect(r.status).toBe(200);
    expect(r.body.results[0]).toMatchObject({ status: 'rejected', reason: 'purged', messageKey: 'errors.sync.purged' });
    expect(await database.db.select().from(syncFields).where(eq(syncFields.rowId, visit))).toEqual([]);
    // A device that has never pulled holds every later purge back.
    await laptopFor(app, adminToken, userId);
    expect(await purge()).toMatchObject({ horizon: 0, records: 0 });
  });

  it('is for administrators only', async () => {
    const mentor = await createUser(app, adminToken, 'mentor');
    const token = (await enrolDevice(app, adminToken, mentor.id)).token;
    expect((await call(app, 'POST', '/api/admin/sync/purge', { token })).status).toBe(403);
    expect((await call(app, 'POST', '/api/admin/sync/purge')).status).toBe(401);
  });
});
