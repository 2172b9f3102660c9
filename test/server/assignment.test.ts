import type { FastifyInstance } from 'fastify';
import { desc } from 'drizzle-orm';
import { syncOps } from '../../server/db/schema.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerDatabase } from '../../server/db/index.ts';
import { httpTransport } from '../../electron/services/sync-transport.ts';
import { companyData, mentorData, openApp, useCleanup } from '../integration/fixtures.ts';
import { ADMIN, BACKENDS, createUser, enrolDevice, login, startServer, TestClock } from './helpers.ts';

useCleanup();

describe.each(BACKENDS)('laptops and the central service ($name)', (backend) => {
  let app: FastifyInstance;
  let database: ServerDatabase;
  let dispose: () => Promise<void>;
  let base: string;
  let adminToken: string;
  const clock = new TestClock();

  beforeAll(async () => {
    ({ database, dispose } = await backend.open());
    app = await startServer(database, clock);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    adminToken = await login(app, ADMIN.email, ADMIN.password);
  });
  afterAll(async () => {
    await app?.close();
    await dispose?.();
  });

  it('a company assigned to a pair after the mentor last synced arrives with its whole history; another pair never sees it', async () => {
    const transport = (token: string) => httpTransport({ baseUrl: base, token: () => Promise.resolve(token) });
    // The central office's laptop keeps the mentor registry.
    const office = openApp();
    const officeUser = await createUser(app, adminToken, 'admin');
    const officeDevice = await enrolDevice(app, adminToken, officeUser.id);
    const kim = await office.ok('mentors.create', mentorData({ name: '김공정', expertise: 'process' }));
    const lee = await office.ok('mentors.create', mentorData({ name: '이인공', expertise: 'ai', affiliationType: 'kaist_institute' }));
    const park = await office.ok('mentors.create', mentorData({ name: '박공정', expertise: 'process' }));
    const choi = await office.ok('mentors.create', mentorData({ name: '최인공', expertise: 'ai', affiliationType: 'kaist_institute' }));
    const pair = await office.ok('pairs.create', { processMentorId: kim.id, aiMentorId: lee.id });
    await office.ok('pairs.create', { processMentorId: park.id, aiMentorId: choi.id });
    // Enough registrations that batches (500 ops) end inside a record: none may be cut from its scope field.
    for (let i = 0; i < 40; i++) {
      await office.ok('companies.create', companyData({ name: `등록기업${i}`, region: '41', financials: [{ fiscalYear: 2025, revenue: 1_000_000_000 + i, operatingProfit: 10_000_000 }], contacts: [{ name: '담당', role: '', phone: '', email: '' }] }));
    }
    expect(office.services.sync.status().pending).toBeGreaterThan(600);
    const first = await office.services.sync.syncOnce(transport(officeDevice.token));
    expect(first.rejected).toBe(0);

    const laptop = async (mentorId: string) => {
      const u = await createUser(app, adminToken, 'mentor', { mentorId, region: '41' });
      return { app: openApp(), token: (await enrolDevice(app, adminToken, u.id)).token };
    };
    const kimLaptop = await laptop(kim.id);
    const parkLaptop = await laptop(park.id);
    await kimLaptop.app.services.sync.syncOnce(transport(kimLaptop.token));

    // The office registers a company and its assessment; Kim syncs (not assigned yet: nothing of it comes).
    const { id: companyId } = await office.ok('companies.create', companyData({ name: '배정정밀', region: '41' }));
    const { id: assessmentId } = await office.ok('assessments.create', { companyId, visitId: null, instrumentId: 'company-dx' });
    await office.ok('assessments.saveAnswer', { assessmentId, itemId: 'ceo_vision', value: 4 });
    await office.services.sync.syncOnce(transport(officeDevice.token));
    await kimLaptop.app.services.sync.syncOnce(transport(kimLaptop.token));
    expect((await kimLaptop.app.ok('companies.list', { query: '배정' })).rows).toEqual([]);

    // Assigned to Kim and Lee's pair: the next sync brings the company, with what was written before.
    await office.ok('pairs.assign', { companyId, pairId: pair.id });
    await office.services.sync.syncOnce(transport(officeDevice.token));
    await kimLaptop.app.services.sync.syncOnce(transport(kimLaptop.token));
    expect((await kimLaptop.app.ok('companies.list', { query: '배정' })).rows.map((r) => r.id)).toEqual([companyId]);
    expect((await kimLaptop.app.ok('assessments.get', { id: assessmentId })).answers.ceo_vision?.value).toBe(4);
    expect(kimLaptop.app.services.sync.status()).toMatchObject({ pending: 0, rejected: 0 });

    // Park's pair syncs everything it may see: not this company. Pages with nothing Park may read still
    // move the cursor, and the pull goes on to the end of the log.
    await parkLaptop.app.services.sync.pull(transport(parkLaptop.token), 50);
    const [maxSeq] = await database.db.select({ seq: syncOps.seq }).from(syncOps).orderBy(desc(syncOps.seq)).limit(1);
    expect(parkLaptop.app.services.sync.status().cursor).toBe(Number(maxSeq?.seq));
    await parkLaptop.app.services.sync.syncOnce(transport(parkLaptop.token));
    expect((await parkLaptop.app.ok('companies.list', { query: '배정' })).rows).toEqual([]);
    expect(parkLaptop.app.sqlite.prepare('SELECT count(*) AS n FROM change_log WHERE row_id = ?').get(companyId)).toEqual({ n: 0 });
    // Park cannot write into it either: a forged answer is refused and kept on Park's laptop with the reason.
    const forged = { opId: '01936a1e-7c4b-7cc0-9a5e-0a1b2c3d4e5f', tbl: 'organizations', rowId: companyId, field: 'name', value: '"가짜"', hlc: `${new Date().toISOString()}-0000-park`, deviceId: 'park', userId: 'park', base: null };
    const r = await transport(parkLaptop.token).push([forged]);
    expect(r.results[0]).toMatchObject({ status: 'rejected', reason: 'forbidden' });
  });
});
